/**
 * The state tree's hash functions: everything a verifier needs to recompute a root.
 *
 * Spec: docs/state-tree.md §Hashing. Every digest is BLAKE3-256 in `derive_key` mode (as
 * `createDomainHasher(domain)` in core/crypto/hash.ts, over the raw bytes with no length
 * framing: each input below has a fixed layout, or is a single part):
 *   value    = BLAKE3-derive_key("kaldrix/state-tree/value/v1", value bytes)
 *   leaf     = BLAKE3-derive_key("kaldrix/state-tree/leaf/v1",  key (32) || value hash (32))
 *   internal = BLAKE3-derive_key("kaldrix/state-tree/node/v1",  left (32) || right (32))
 *   empty    = BLAKE3-derive_key("kaldrix/state-tree/empty/v1", nothing)
 * (core/crypto/blake3.ts is checked against the official BLAKE3 vectors and @noble/hashes.)
 * Distinct contexts keep the four kinds apart: no internal node can pose as a leaf (the classic
 * second-preimage attack on Merkle trees), and no tree digest equals any other KALDRIX digest.
 *
 * Key bits are read most significant first: bit d of a key is bit (7 − d mod 8) of byte ⌊d/8⌋,
 * and bit 0 chooses the child at the root (0 = left). So an in-order walk visits keys in
 * bytewise order.
 */
import type { Hash32 } from '../../crypto/hash.ts';
import { deriveContextKey, deriveKeyHash, deriveKeyHashPair } from '../../crypto/blake3.ts';

/** Keys are 256-bit: callers hash whatever identifies an entry (an address) to 32 bytes. */
export const STATE_KEY_BYTES = 32;
/** A key has 256 bits, so no path is longer: two keys differing only in the last bit sit at depth 256. */
export const MAX_TREE_DEPTH = 256;

const VALUE_CONTEXT = 'kaldrix/state-tree/value/v1';
const LEAF_CONTEXT = 'kaldrix/state-tree/leaf/v1';
const NODE_CONTEXT = 'kaldrix/state-tree/node/v1';
const EMPTY_CONTEXT = 'kaldrix/state-tree/empty/v1';

const valueKey = deriveContextKey(VALUE_CONTEXT);
const leafKey = deriveContextKey(LEAF_CONTEXT);
const nodeKey = deriveContextKey(NODE_CONTEXT);

/** Private copy: the exported constant is a Uint8Array a caller could overwrite. */
const emptySubtreeHash: Hash32 = deriveKeyHash(deriveContextKey(EMPTY_CONTEXT), new Uint8Array(0));

/** The hash of an empty subtree, and so the root of the empty tree (a fixed constant). */
export const EMPTY_SUBTREE_HASH: Hash32 = emptySubtreeHash.slice();

/** Digest of an entry's value bytes (any length). */
export function stateValueHash(value: Uint8Array): Hash32 {
  return deriveKeyHash(valueKey, value);
}

/** Digest of a leaf: the subtree holding exactly one entry, at whatever depth it sits. */
export function stateLeafHash(key: Uint8Array, valueHash: Hash32): Hash32 {
  return deriveKeyHashPair(leafKey, key, valueHash);
}

/** Digest of an internal node from its children's digests (an empty child is `EMPTY_SUBTREE_HASH`). */
export function stateNodeHash(left: Hash32, right: Hash32): Hash32 {
  return deriveKeyHashPair(nodeKey, left, right);
}

/** True when `hash` is the empty-subtree constant. */
export function isEmptySubtreeHash(hash: Uint8Array): boolean {
  if (hash.length !== emptySubtreeHash.length) return false;
  for (let i = 0; i < hash.length; i++) if (hash[i] !== emptySubtreeHash[i]) return false;
  return true;
}

/** Bit `depth` of `key` (0 = most significant bit of byte 0): 0 goes left, 1 goes right. */
export function keyBit(key: Uint8Array, depth: number): number {
  return ((key[depth >>> 3] as number) >>> (7 - (depth & 7))) & 1;
}

/** True for a 32-byte Uint8Array: the only shape of key the tree accepts. */
export function isStateKey(key: unknown): key is Uint8Array {
  return key instanceof Uint8Array && key.length === STATE_KEY_BYTES;
}
