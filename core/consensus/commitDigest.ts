/**
 * The commit digest chain: one 32-byte digest that names the whole ordered history so far.
 *
 * digest_i = BLAKE3-derive-key('kaldrix/commit/v1',
 *              digest_{i-1}, u64 index_i, leader ref, u32 count || vertex refs…)
 *
 * each argument a length-framed part of `hashDomain`; a ref is u64 round || u16 author ||
 * 32-byte digest (42 bytes, fixed size, so the concatenated list is unambiguous). Two
 * validators holding the same digest at the same index have committed the same leaders with
 * the same vertices in the same order; checkpoints sign it (DESIGN.md §2 Finality certificate)
 * and light clients compare it. The chain starts from a genesis digest the caller supplies
 * (e.g. the genesis hash, or the last digest of a certified checkpoint). Commit indices start
 * at 1 for the first commit after that digest, index 0 naming the starting point.
 */
import { type Hash32, createDomainHash, isHash32 } from '../crypto/index.ts';
import type { CommittedSubDag } from './linearize.ts';
import { VERTEX_REF_BYTES, u64Bytes, writeVertexRef } from './_vertexRefs.ts';

export const COMMIT_DIGEST_DOMAIN = 'kaldrix/commit/v1';

const commitHash = createDomainHash(COMMIT_DIGEST_DOMAIN);

/** Most vertices one commit may list: the u32 count, and far above any gc window times committee. */
const MAX_VERTICES_PER_COMMIT = 0xffff_ffff;

/** The digest after committing `subDag` as commit number `index` on top of `previous`. */
export function nextCommitDigest(previous: Hash32, index: bigint, subDag: CommittedSubDag): Hash32 {
  if (!isHash32(previous)) throw new TypeError('nextCommitDigest: previous must be a 32-byte hash');
  if (typeof index !== 'bigint' || index < 1n) throw new RangeError(`nextCommitDigest: index must be a bigint ≥ 1, got ${String(index)}`);
  const count = subDag.vertices.length;
  if (count > MAX_VERTICES_PER_COMMIT) throw new RangeError('nextCommitDigest: too many vertices for one commit');
  const leaderBytes = new Uint8Array(VERTEX_REF_BYTES);
  writeVertexRef(leaderBytes, 0, subDag.leader);
  const listBytes = new Uint8Array(4 + count * VERTEX_REF_BYTES);
  new DataView(listBytes.buffer).setUint32(0, count, false);
  subDag.vertices.forEach((ref, i) => writeVertexRef(listBytes, 4 + i * VERTEX_REF_BYTES, ref));
  return commitHash(previous, u64Bytes(index), leaderBytes, listBytes);
}

/** The digests of a run of commits after `start` (commit indices firstIndex, firstIndex+1, …). */
export function commitDigestChain(start: Hash32, firstIndex: bigint, subDags: readonly CommittedSubDag[]): readonly Hash32[] {
  const out: Hash32[] = [];
  let previous = start;
  subDags.forEach((subDag, i) => {
    previous = nextCommitDigest(previous, firstIndex + BigInt(i), subDag);
    out.push(previous);
  });
  return Object.freeze(out);
}
