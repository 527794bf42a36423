/**
 * The state tree as a value: a persistent (immutable) authenticated map from 32-byte keys to
 * byte strings, with its root hash.
 *
 * Spec: docs/state-tree.md. A `StateTree` is a frozen handle on a root node; updating it
 * (`applyBatch`) returns a new handle that shares every untouched node, so keeping the tree of
 * each checkpoint costs O(1) and old versions stay valid and readable forever.
 * Bytes are copied in and out: no caller can change a stored key or value through an alias.
 */
import type { Hash32 } from '../../crypto/hash.ts';
import { keyBit } from './hashing.ts';
import { countEntries, subtreeHash, type LeafNode, type TreeNode } from './node.ts';
import { checkKey, compareKeys } from './_keys.ts';

/** Largest page `entries` returns: it is for debugging and export, not for bulk reads in a loop. */
export const MAX_ENTRIES_PER_PAGE = 100_000;

export type TreeEntry = { readonly key: Uint8Array; readonly value: Uint8Array };

export type EntriesOptions = {
  /** First key to include (inclusive); default: the smallest key. */
  readonly startKey?: Uint8Array;
  /** At most this many entries (1 ..= MAX_ENTRIES_PER_PAGE). */
  readonly maxEntries: number;
};

export type EntriesPage = {
  /** Entries in ascending key order. */
  readonly entries: readonly TreeEntry[];
  /** The key to pass as `startKey` for the next page; `null` when this page reached the end. */
  readonly nextKey: Uint8Array | null;
};

export interface StateTree {
  /** The root node (`null` for the empty tree): for proofs and for persisting nodes by hash. */
  readonly rootNode: TreeNode | null;
  /** Number of entries. */
  readonly size: number;
  /** The root hash (a fresh copy). */
  root(): Hash32;
  /** The value stored under `key` (a fresh copy), or `null` when absent. */
  get(key: Uint8Array): Uint8Array | null;
  /** One page of entries in key order (fresh copies). */
  entries(options: EntriesOptions): EntriesPage;
}

const EMPTY_TREE: StateTree = treeFromRootNode(null);

/** The tree with no entries; its root is `EMPTY_SUBTREE_HASH`. */
export function emptyTree(): StateTree {
  return EMPTY_TREE;
}

/** A tree handle on `rootNode`, which must be a canonical node built by this folder. */
export function treeFromRootNode(rootNode: TreeNode | null): StateTree {
  return Object.freeze({
    rootNode,
    size: countEntries(rootNode),
    root: () => subtreeHash(rootNode).slice(),
    get: (key: Uint8Array) => getValue(rootNode, key),
    entries: (options: EntriesOptions) => listEntries(rootNode, options),
  });
}

/** The leaf for `key` on its path, if that path ends in a leaf with exactly this key. */
export function findLeaf(rootNode: TreeNode | null, key: Uint8Array): LeafNode | null {
  let node = rootNode;
  // Bounded: each step goes one level deeper, and no path is longer than 256 levels.
  for (let depth = 0; node !== null && node.kind === 'internal'; depth++) {
    node = keyBit(key, depth) === 0 ? node.left : node.right;
  }
  return node !== null && compareKeys(node.key, key) === 0 ? node : null;
}

function getValue(rootNode: TreeNode | null, key: Uint8Array): Uint8Array | null {
  checkKey(key, 'get: key');
  const leaf = findLeaf(rootNode, key);
  return leaf === null ? null : leaf.value.slice();
}

function listEntries(rootNode: TreeNode | null, options: EntriesOptions): EntriesPage {
  const { startKey, maxEntries } = options;
  if (startKey !== undefined) checkKey(startKey, 'entries: startKey');
  if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > MAX_ENTRIES_PER_PAGE) {
    throw new RangeError(`entries: maxEntries must be an integer in 1..${MAX_ENTRIES_PER_PAGE}`);
  }
  // Collect one extra leaf: it tells whether a next page exists and where it starts.
  const leaves: LeafNode[] = [];
  collectLeaves(rootNode, 0, startKey ?? null, leaves, maxEntries + 1);
  const next = leaves.length > maxEntries ? (leaves.pop() as LeafNode) : null;
  return Object.freeze({
    entries: Object.freeze(leaves.map((leaf) => Object.freeze({ key: leaf.key.slice(), value: leaf.value.slice() }))),
    nextKey: next === null ? null : next.key.slice(),
  });
}

/**
 * In-order walk appending leaves with key ≥ `startKey` until `out` holds `limit`. `startKey` is
 * non-null only while the walk is still on the start key's path; off it, a subtree is either
 * wholly before the start (skipped) or wholly after it (taken whole).
 */
function collectLeaves(node: TreeNode | null, depth: number, startKey: Uint8Array | null, out: LeafNode[], limit: number): void {
  if (node === null || out.length >= limit) return;
  if (node.kind === 'leaf') {
    if (startKey === null || compareKeys(node.key, startKey) >= 0) out.push(node);
    return;
  }
  if (startKey !== null && keyBit(startKey, depth) === 1) {
    collectLeaves(node.right, depth + 1, startKey, out, limit);
    return;
  }
  collectLeaves(node.left, depth + 1, startKey, out, limit);
  collectLeaves(node.right, depth + 1, null, out, limit);
}
