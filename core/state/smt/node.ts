/**
 * Nodes of the state tree: immutable, structurally shared, identified by their hash.
 *
 * Spec: docs/state-tree.md §Shape. A subtree holding no entry is `null` (hash
 * `EMPTY_SUBTREE_HASH`); one entry is a leaf, whatever its depth (the "leaf shortcut" that keeps
 * paths about log2(n) long instead of 256); two or more entries are an internal node whose
 * children split them by the next key bit. So the shape, and every hash, depends only on the set
 * of entries. Invariant, asserted at construction: an internal node holds at least two entries,
 * so it never has a leaf beside an empty sibling, nor two empty children.
 *
 * A node's hash is computed once, when it is built. Nodes never change after construction; a
 * new tree version shares every untouched node with the old one. Caveat: leaf `key`/`value`
 * are Uint8Arrays (which cannot be frozen); the tree copies bytes in and out, and nothing in
 * this folder writes to them.
 */
import type { Hash32 } from '../../crypto/hash.ts';
import { EMPTY_SUBTREE_HASH, stateLeafHash, stateNodeHash, stateValueHash } from './hashing.ts';

export type LeafNode = {
  readonly kind: 'leaf';
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly valueHash: Hash32;
  readonly hash: Hash32;
};

export type InternalNode = {
  readonly kind: 'internal';
  /** Entries whose next key bit is 0; `null` when none. */
  readonly left: TreeNode | null;
  /** Entries whose next key bit is 1; `null` when none. */
  readonly right: TreeNode | null;
  readonly hash: Hash32;
  /** Number of entries below (at least 2). */
  readonly entryCount: number;
};

export type TreeNode = LeafNode | InternalNode;

/** Private: hashes of empty children must not depend on the exported (mutable) constant. */
const EMPTY_HASH = EMPTY_SUBTREE_HASH.slice();

/** A leaf of `key` → `value`; takes ownership of both arrays (callers pass copies). */
export function makeLeaf(key: Uint8Array, value: Uint8Array): LeafNode {
  const valueHash = stateValueHash(value);
  return Object.freeze({ kind: 'leaf', key, value, valueHash, hash: stateLeafHash(key, valueHash) });
}

/**
 * The canonical subtree over the entries of `left` and `right` (children of one position):
 * empty when both are, the leaf itself when it is alone (a leaf shortcut moves up), else an
 * internal node. Every edit ends in this function, which is what keeps shapes canonical.
 */
export function joinChildren(left: TreeNode | null, right: TreeNode | null): TreeNode | null {
  if (left === null && (right === null || right.kind === 'leaf')) return right;
  if (right === null && left !== null && left.kind === 'leaf') return left;
  const entryCount = countEntries(left) + countEntries(right);
  if (entryCount < 2) throw new Error('state tree: internal node with fewer than two entries');
  const hash = stateNodeHash(left === null ? EMPTY_HASH : left.hash, right === null ? EMPTY_HASH : right.hash);
  return Object.freeze({ kind: 'internal', left, right, hash, entryCount });
}

export function countEntries(node: TreeNode | null): number {
  if (node === null) return 0;
  return node.kind === 'leaf' ? 1 : node.entryCount;
}

/** The hash of a possibly empty subtree (a private copy of the empty constant: do not mutate). */
export function subtreeHash(node: TreeNode | null): Hash32 {
  return node === null ? EMPTY_HASH : node.hash;
}
