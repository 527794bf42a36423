/**
 * Standalone verification of a state proof against a root: all a light client runs.
 *
 * Spec: docs/state-tree.md §Verification. Depends only on the hash functions (hashing.ts) and
 * the proof's type, not on the tree. Pure and total: anything malformed is `false`, never an
 * exception. Checks, in order:
 *   1. shapes: 32-byte root and key, value bytes or null, at most 256 32-byte siblings;
 *   2. canonical form: when depth > 0 the deepest sibling is not the empty hash;
 *   3. the ending matches the claim: `inclusion` needs a value; `empty`/`otherLeaf` need null,
 *      and `otherLeaf` must name a different key with the same first `depth` bits (a leaf off
 *      the key's path proves nothing about the key);
 *   4. hashing up from the ending with the siblings, by the key's bits, gives `root`.
 * Sound as long as BLAKE3 is collision resistant: the domains make a leaf, an internal node and
 * the empty subtree mutually unforgeable, so a proof that hashes to the root is the tree's path.
 */
import { bytesEqual, isHash32, type Hash32 } from '../../crypto/hash.ts';
import { EMPTY_SUBTREE_HASH, MAX_TREE_DEPTH, isEmptySubtreeHash, isStateKey, keyBit, stateLeafHash, stateNodeHash, stateValueHash } from './hashing.ts';
import type { StateProof } from './proof.ts';

/**
 * True when `proof` shows that, in the tree with root `root`, `key` maps to `value`
 * (`value` non-null: inclusion) or is absent (`value === null`: exclusion).
 */
export function verifyProof(root: Hash32, key: Uint8Array, value: Uint8Array | null, proof: StateProof): boolean {
  if (!isHash32(root) || !isStateKey(key) || !(value === null || value instanceof Uint8Array)) return false;
  if (!isWellFormed(proof)) return false;
  const { siblings } = proof;
  const depth = siblings.length;
  if (depth > 0 && isEmptySubtreeHash(siblings[depth - 1] as Hash32)) return false;
  const start = endingHash(key, value, proof, depth);
  if (start === null) return false;
  let current = start;
  for (let d = depth - 1; d >= 0; d--) {
    const sibling = siblings[d] as Hash32;
    current = keyBit(key, d) === 0 ? stateNodeHash(current, sibling) : stateNodeHash(sibling, current);
  }
  return bytesEqual(current, root);
}

/** The hash where the path ends, or null when the ending contradicts the claim. */
function endingHash(key: Uint8Array, value: Uint8Array | null, proof: StateProof, depth: number): Hash32 | null {
  const { ending } = proof;
  switch (ending.kind) {
    case 'inclusion':
      return value === null ? null : stateLeafHash(key, stateValueHash(value));
    case 'empty':
      return value === null ? EMPTY_SUBTREE_HASH.slice() : null;
    case 'otherLeaf':
      if (value !== null || bytesEqual(ending.key, key) || !sharesPrefix(ending.key, key, depth)) return null;
      return stateLeafHash(ending.key, ending.valueHash);
    default:
      return null;
  }
}

function isWellFormed(proof: StateProof): boolean {
  if (typeof proof !== 'object' || proof === null || typeof proof.ending !== 'object' || proof.ending === null) return false;
  const { siblings, ending } = proof;
  if (!Array.isArray(siblings) || siblings.length > MAX_TREE_DEPTH || !siblings.every(isHash32)) return false;
  return ending.kind !== 'otherLeaf' || (isStateKey(ending.key) && isHash32(ending.valueHash));
}

/** True when `a` and `b` agree on their first `bitCount` bits. */
function sharesPrefix(a: Uint8Array, b: Uint8Array, bitCount: number): boolean {
  for (let d = 0; d < bitCount; d++) if (keyBit(a, d) !== keyBit(b, d)) return false;
  return true;
}
