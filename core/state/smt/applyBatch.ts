/**
 * Batch updates of the state tree: the hot path of block execution.
 *
 * Spec: docs/state-tree.md §Updates. A batch of writes and deletions is sorted by key once;
 * then one walk from the root descends only into subtrees the batch touches, splitting the
 * sorted slice at each internal node by the next key bit (one binary search). Each node on a
 * touched path is rebuilt, and hashed, exactly once per batch, after its children — not once
 * per update. Untouched subtrees are shared with the old tree, which stays valid.
 *
 * Semantics: a `null` value deletes the key (absent keys: no-op). When one batch names a key
 * more than once, the last update wins, as if applied in order. Writing a value equal to the
 * stored one reuses the stored leaf, so a no-op batch returns the same tree and costs no hash.
 * Bad arguments (a key that is not 32 bytes, a value that is not bytes or null) are a caller
 * bug: TypeError, and the tree is unchanged.
 */
import { MAX_TREE_DEPTH, keyBit } from './hashing.ts';
import { joinChildren, makeLeaf, type LeafNode, type TreeNode } from './node.ts';
import { treeFromRootNode, type StateTree } from './tree.ts';
import { checkKey, compareKeys, sameBytes } from './_keys.ts';

/** One write (`value` bytes) or deletion (`value: null`) of `key` (32 bytes). */
export type TreeUpdate = { readonly key: Uint8Array; readonly value: Uint8Array | null };

/** Largest batch: bounds the sort and the memory a batch holds (a block is far smaller). */
export const MAX_BATCH_UPDATES = 1_000_000;

/** A validated update with its own copies of the bytes. */
type Write = { readonly kind: 'write'; readonly key: Uint8Array; readonly value: Uint8Array | null };
/** What a rebuilt subtree holds: kept leaves as they are, written entries still to hash. */
type Entry = LeafNode | (Write & { readonly value: Uint8Array });

/** The tree after applying `updates` to `tree`; `tree` itself is unchanged and stays valid. */
export function applyBatch(tree: StateTree, updates: readonly TreeUpdate[]): StateTree {
  const writes = sortedWrites(updates);
  if (writes.length === 0) return tree;
  const rootNode = updateSubtree(tree.rootNode, 0, writes, 0, writes.length);
  return rootNode === tree.rootNode ? tree : treeFromRootNode(rootNode);
}

/** Validates and copies `updates`, sorted by key, keeping only the last update of each key. */
function sortedWrites(updates: readonly TreeUpdate[]): Write[] {
  if (!Array.isArray(updates)) throw new TypeError('applyBatch: updates must be an array');
  if (updates.length > MAX_BATCH_UPDATES) throw new RangeError(`applyBatch: more than ${MAX_BATCH_UPDATES} updates`);
  const writes: Write[] = updates.map((update: TreeUpdate, index) => {
    checkKey(update?.key, `applyBatch: updates[${index}].key`);
    const { value } = update;
    if (value !== null && !(value instanceof Uint8Array)) {
      throw new TypeError(`applyBatch: updates[${index}].value must be a Uint8Array or null`);
    }
    return { kind: 'write', key: update.key.slice(), value: value === null ? null : value.slice() };
  });
  // Array.prototype.sort is stable: equal keys keep input order, so the last of a run wins.
  writes.sort((a, b) => compareKeys(a.key, b.key));
  const unique: Write[] = [];
  for (const write of writes) {
    const last = unique[unique.length - 1];
    if (last !== undefined && compareKeys(last.key, write.key) === 0) unique[unique.length - 1] = write;
    else unique.push(write);
  }
  return unique;
}

/** `node` (at `depth`) with `writes[lo, hi)` applied; all of them route to this position. */
function updateSubtree(node: TreeNode | null, depth: number, writes: readonly Write[], lo: number, hi: number): TreeNode | null {
  if (lo === hi) return node;
  if (node === null) {
    const entries = presentEntries(writes, lo, hi);
    return buildSubtree(depth, entries, 0, entries.length);
  }
  if (node.kind === 'leaf') return updateLeaf(node, depth, writes, lo, hi);
  const mid = splitPoint(writes, lo, hi, depth);
  const left = updateSubtree(node.left, depth + 1, writes, lo, mid);
  const right = updateSubtree(node.right, depth + 1, writes, mid, hi);
  if (left === node.left && right === node.right) return node;
  return joinChildren(left, right);
}

/**
 * A leaf met on the way down: the subtree is rebuilt from the leaf's entry merged (in key
 * order) with the writes routed here; a write to the leaf's own key replaces or deletes it.
 */
function updateLeaf(leaf: LeafNode, depth: number, writes: readonly Write[], lo: number, hi: number): TreeNode | null {
  const merged: Entry[] = [];
  let leafSeen = false;
  for (let i = lo; i < hi; i++) {
    const write = writes[i] as Write;
    const order = leafSeen ? -1 : compareKeys(leaf.key, write.key);
    if (order < 0 && !leafSeen) {
      leafSeen = true;
      merged.push(leaf);
    } else if (order === 0) {
      leafSeen = true;
      // Rewriting the stored value keeps the stored leaf (and its hash): no rehash for no change.
      if (write.value !== null) merged.push(sameBytes(write.value, leaf.value) ? leaf : { ...write, value: write.value });
      continue;
    }
    if (write.value !== null) merged.push({ ...write, value: write.value });
  }
  if (!leafSeen) merged.push(leaf);
  return buildSubtree(depth, merged, 0, merged.length);
}

/** The canonical subtree at `depth` over `entries[lo, hi)`: sorted, distinct keys, one shared path prefix. */
function buildSubtree(depth: number, entries: readonly Entry[], lo: number, hi: number): TreeNode | null {
  if (lo === hi) return null;
  if (hi - lo === 1) {
    const entry = entries[lo] as Entry;
    return entry.kind === 'leaf' ? entry : makeLeaf(entry.key, entry.value);
  }
  // Distinct 256-bit keys differ in some bit below 256, so two of them never reach this depth.
  if (depth >= MAX_TREE_DEPTH) throw new Error('state tree: duplicate keys reached depth 256');
  const mid = splitPoint(entries, lo, hi, depth);
  return joinChildren(buildSubtree(depth + 1, entries, lo, mid), buildSubtree(depth + 1, entries, mid, hi));
}

function presentEntries(writes: readonly Write[], lo: number, hi: number): Entry[] {
  const entries: Entry[] = [];
  for (let i = lo; i < hi; i++) {
    const write = writes[i] as Write;
    if (write.value !== null) entries.push({ ...write, value: write.value });
  }
  return entries;
}

/**
 * First index in `[lo, hi)` whose key has bit `depth` set. The slice is sorted and shares its
 * first `depth` bits, so that bit is 0…0 1…1 along it: a binary search finds the boundary.
 */
function splitPoint(items: readonly { readonly key: Uint8Array }[], lo: number, hi: number, depth: number): number {
  let low = lo;
  let high = hi;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keyBit((items[mid] as { readonly key: Uint8Array }).key, depth) === 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
