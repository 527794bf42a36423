/**
 * Binary Merkle trees over BLAKE3: roots, inclusion proofs, and their byte encoding.
 *
 * The tree shape is RFC 9162 §2.1.1 (Certificate Transparency v2, ex RFC 6962 §2.1): a tree of
 * n > 1 leaves splits at k, the largest power of two below n; an odd leaf is never duplicated,
 * so the CVE-2012-2459 ambiguity (a list and the same list with its last leaf repeated share a
 * root) cannot arise. Proof verification is RFC 9162 §2.1.3.2, so a light client checks a proof
 * with this file alone.
 *
 * Hashing differs from RFC 9162 only in how leaves and nodes are told apart: instead of a 0x00 /
 * 0x01 prefix byte, each uses its own BLAKE3 `derive_key` context (see hash.ts), so an inner node
 * presented as a leaf hashes to something else (no second preimage), and no tree hash equals any
 * other KALDRIX digest.
 *   leaf  = BLAKE3-derive_key("kaldrix/merkle/leaf/v1",  leaf bytes)
 *   node  = BLAKE3-derive_key("kaldrix/merkle/node/v1",  left (32) || right (32))
 *   empty = BLAKE3-derive_key("kaldrix/merkle/empty/v1", nothing)   the root of zero leaves
 *
 * Proof bytes (a fixed layout of this module, independent of core/codec):
 *   u32 BE index || u32 BE leafCount || u8 siblingCount || siblingCount × 32-byte sibling,
 * siblings ordered from the leaf upward. siblingCount must equal the path length that index and
 * leafCount imply, which makes the encoding canonical: encode(decode(b)) = b.
 */
import { createDomainHasher, HASH32_BYTES, isHash32, bytesEqual, type Hash32 } from './hash.ts';
import { err, ok, type Result } from '../result.ts';

/** Largest tree: leaf counts travel as u32 in proofs. */
export const MAX_MERKLE_LEAVES = 0xffff_ffff;
/** Longest path: a tree of at most 2^32 − 1 leaves is at most 32 levels deep. */
export const MAX_MERKLE_PROOF_SIBLINGS = 32;
/** Bytes before the siblings in an encoded proof: index (4), leafCount (4), siblingCount (1). */
const PROOF_HEADER_BYTES = 9;

const leafHasher = createDomainHasher('kaldrix/merkle/leaf/v1');
const nodeHasher = createDomainHasher('kaldrix/merkle/node/v1');

/** The root of a tree with no leaves: a fixed constant, distinct from every leaf and node hash. */
export const EMPTY_MERKLE_ROOT: Hash32 = createDomainHasher('kaldrix/merkle/empty/v1').clone().digest();

export type MerkleProof = {
  /** Position of the proven leaf, 0-based. */
  readonly index: number;
  readonly leafCount: number;
  /** Sibling hashes from the leaf's level upward. */
  readonly siblings: readonly Hash32[];
};

export type MerkleProofError =
  | { readonly code: 'BAD_LENGTH'; readonly expectedBytes: number; readonly actualBytes: number }
  | { readonly code: 'INDEX_OUT_OF_RANGE'; readonly index: number; readonly leafCount: number }
  | { readonly code: 'SIBLING_COUNT_MISMATCH'; readonly expected: number; readonly actual: number };

export function merkleLeafHash(leaf: Uint8Array): Hash32 {
  return leafHasher.clone().update(leaf).digest();
}

export function merkleNodeHash(left: Hash32, right: Hash32): Hash32 {
  return nodeHasher.clone().update(left).update(right).digest();
}

/** Root of the tree whose leaves are `leaves` in order (RFC 9162 MTH). */
export function merkleRoot(leaves: readonly Uint8Array[]): Hash32 {
  checkLeafCount(leaves.length);
  if (leaves.length === 0) return EMPTY_MERKLE_ROOT;
  return subtreeRoot(leaves.map(merkleLeafHash), 0, leaves.length);
}

/** Inclusion proof of `leaves[index]` (RFC 9162 §2.1.3.1 PATH). Throws RangeError on a bad index. */
export function merkleProof(leaves: readonly Uint8Array[], index: number): MerkleProof {
  checkLeafCount(leaves.length);
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`merkleProof: index ${index} outside 0..${leaves.length - 1}`);
  }
  const leafHashes = leaves.map(merkleLeafHash);
  // Walk from the root down to the leaf, collecting the sibling subtree at each split; the
  // path is reported leaf-upward, so reverse at the end.
  const topDown: Hash32[] = [];
  let start = 0;
  let end = leaves.length;
  while (end - start > 1) {
    const split = start + largestPowerOfTwoBelow(end - start);
    if (index < split) {
      topDown.push(subtreeRoot(leafHashes, split, end));
      end = split;
    } else {
      topDown.push(subtreeRoot(leafHashes, start, split));
      start = split;
    }
  }
  return Object.freeze({ index, leafCount: leaves.length, siblings: Object.freeze(topDown.reverse()) });
}

/**
 * True when `proof` shows `leaf` at `proof.index` in a tree of `proof.leafCount` leaves with
 * root `root` (RFC 9162 §2.1.3.2). Pure and total: a malformed proof is simply false.
 */
export function verifyMerkleProof(root: Hash32, leaf: Uint8Array, proof: MerkleProof): boolean {
  if (!isHash32(root) || !(leaf instanceof Uint8Array) || !isWellFormedProof(proof)) return false;
  let fn = proof.index;
  let sn = proof.leafCount - 1;
  let r = merkleLeafHash(leaf);
  for (const sibling of proof.siblings) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      r = merkleNodeHash(sibling, r);
      while ((fn & 1) === 0 && fn !== 0) {
        fn >>>= 1;
        sn >>>= 1;
      }
    } else {
      r = merkleNodeHash(r, sibling);
    }
    fn >>>= 1;
    sn >>>= 1;
  }
  return sn === 0 && bytesEqual(r, root);
}

/** Canonical bytes of a proof (layout in the module header). Throws RangeError on a bad proof. */
export function encodeMerkleProof(proof: MerkleProof): Uint8Array {
  if (!isWellFormedProof(proof)) throw new RangeError('encodeMerkleProof: malformed proof');
  const out = new Uint8Array(PROOF_HEADER_BYTES + proof.siblings.length * HASH32_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, proof.index, false);
  view.setUint32(4, proof.leafCount, false);
  view.setUint8(8, proof.siblings.length);
  proof.siblings.forEach((sibling, i) => out.set(sibling, PROOF_HEADER_BYTES + i * HASH32_BYTES));
  return out;
}

/** Decodes proof bytes from an untrusted peer; the result is frozen and owns its bytes. */
export function decodeMerkleProof(bytes: Uint8Array): Result<MerkleProof, MerkleProofError> {
  if (bytes.length < PROOF_HEADER_BYTES) {
    return err({ code: 'BAD_LENGTH', expectedBytes: PROOF_HEADER_BYTES, actualBytes: bytes.length });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const index = view.getUint32(0, false);
  const leafCount = view.getUint32(4, false);
  const siblingCount = view.getUint8(8);
  const expectedBytes = PROOF_HEADER_BYTES + siblingCount * HASH32_BYTES;
  if (bytes.length !== expectedBytes) return err({ code: 'BAD_LENGTH', expectedBytes, actualBytes: bytes.length });
  if (index >= leafCount) return err({ code: 'INDEX_OUT_OF_RANGE', index, leafCount });
  const expectedSiblings = merklePathLength(index, leafCount);
  if (siblingCount !== expectedSiblings) {
    return err({ code: 'SIBLING_COUNT_MISMATCH', expected: expectedSiblings, actual: siblingCount });
  }
  const siblings: Hash32[] = [];
  for (let i = 0; i < siblingCount; i++) {
    const at = PROOF_HEADER_BYTES + i * HASH32_BYTES;
    siblings.push(bytes.slice(at, at + HASH32_BYTES));
  }
  return ok(Object.freeze({ index, leafCount, siblings: Object.freeze(siblings) }));
}

/** Number of siblings on the path of leaf `index` in a tree of `leafCount` leaves. */
export function merklePathLength(index: number, leafCount: number): number {
  let length = 0;
  let m = index;
  let n = leafCount;
  while (n > 1) {
    const k = largestPowerOfTwoBelow(n);
    if (m < k) {
      n = k;
    } else {
      m -= k;
      n -= k;
    }
    length++;
  }
  return length;
}

/** RFC 9162 MTH over leafHashes[start, end), end > start. Recursion depth is at most 32. */
function subtreeRoot(leafHashes: readonly Hash32[], start: number, end: number): Hash32 {
  if (end - start === 1) return leafHashes[start] as Hash32;
  const split = start + largestPowerOfTwoBelow(end - start);
  return merkleNodeHash(subtreeRoot(leafHashes, start, split), subtreeRoot(leafHashes, split, end));
}

/** Largest power of two strictly below n, for 2 <= n <= 2^32 − 1. */
function largestPowerOfTwoBelow(n: number): number {
  return 2 ** (31 - Math.clz32(n - 1));
}

function checkLeafCount(count: number): void {
  if (count > MAX_MERKLE_LEAVES) throw new RangeError(`Merkle tree of ${count} leaves exceeds 2^32 − 1`);
}

function isWellFormedProof(proof: MerkleProof): boolean {
  if (typeof proof !== 'object' || proof === null || !Array.isArray(proof.siblings)) return false;
  const { index, leafCount, siblings } = proof;
  if (!Number.isInteger(leafCount) || leafCount < 1 || leafCount > MAX_MERKLE_LEAVES) return false;
  if (!Number.isInteger(index) || index < 0 || index >= leafCount) return false;
  if (siblings.length !== merklePathLength(index, leafCount)) return false;
  return siblings.every(isHash32);
}
