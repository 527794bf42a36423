/**
 * Vertex-reference helpers private to the commit rule and the linearizer: a string key for
 * sets and maps, the total order (round, author, digest) used wherever vertices are sorted,
 * and the fixed 42-byte encoding hashed into commit digests.
 *
 * The byte layout u64 round || u16 author || 32-byte digest (big-endian) is fixed-size, so a
 * concatenation of refs is injective without per-ref framing. Authors fit a u16 because a
 * committee has at most MAX_COMMITTEE_SIZE (10,000) members.
 */
import { HASH32_BYTES } from '../crypto/index.ts';
import { u64 } from '../codec/index.ts';
import { compareRefs } from '../dag/index.ts';
import type { VertexRef } from '../dag/types.ts';

/** Bytes of one encoded reference: u64 round, u16 author, 32-byte digest. */
export const VERTEX_REF_BYTES = 8 + 2 + HASH32_BYTES;

/** Map keys and the canonical (round, author, digest) order are the DAG layer's own. */
export { compareRefs as compareVertexRefs, refKey } from '../dag/index.ts';

export function sameRef(a: VertexRef, b: VertexRef): boolean {
  return compareRefs(a, b) === 0;
}

/** u64 big-endian of a non-negative safe integer or a bigint below 2^64 (the codec's u64). */
export function u64Bytes(value: number | bigint): Uint8Array {
  return u64.encode(BigInt(value));
}

/** Writes `ref` at `offset` of `out` in the 42-byte layout. */
export function writeVertexRef(out: Uint8Array, offset: number, ref: VertexRef): void {
  if (ref.digest.length !== HASH32_BYTES) throw new RangeError('writeVertexRef: digest must be 32 bytes');
  if (!Number.isSafeInteger(ref.author) || ref.author < 0 || ref.author > 0xffff) {
    throw new RangeError(`writeVertexRef: author ${ref.author} does not fit a u16`);
  }
  out.set(u64Bytes(ref.round), offset);
  out[offset + 8] = ref.author >>> 8;
  out[offset + 9] = ref.author & 0xff;
  out.set(ref.digest, offset + 10);
}
