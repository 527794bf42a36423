/**
 * Certified commit ranges: how a validator that fell behind catches up without re-running the
 * commit rule over a DAG its peers have already garbage-collected.
 *
 * DESIGN.md §2 "Restart safety and catch-up"; docs/protocol.md "Catch-up". A range is a run of
 * consecutive executed commits, each with its signed vertices in execution order (the leader
 * last), closed by the finality certificate of the checkpoint that ends at the range's last
 * commit. The receiver trusts no peer: it verifies the certificate against the committee it
 * already trusts (a quorum of stake must have signed), then recomputes the commit digest chain
 * from its own head over the range — the vertex references are digests of the bytes received
 * — and accepts only if the chain ends at the certified `commitDigest`. Every vertex of every
 * commit is thereby certified without checking its author's signature, and execution, being
 * deterministic, must land on the certified state root (checked when the checkpoint closes).
 *
 * Encoding (docs/codec.md): list of commits {u64 index, how (0 direct, 1 indirect), list of
 * signed vertices}, then the certificate. A range stays within one epoch: the certificate's
 * committee is the one that ordered the commits.
 */
import { list, literals, struct, u64, type Codec, type DecodeError } from '../codec/index.ts';
import { certificateCodec, type Certificate } from '../consensus/certificate.ts';
import { signedVertexCodec, type SignedVertex } from '../dag/index.ts';
import type { Result } from '../result.ts';

/** Commits in one range: a few seconds of a busy network; more come with the next request. */
export const MAX_RANGE_COMMITS = 256;
/** Vertices in one commit of a range (a leader's new history: a few rounds of a large committee). */
export const MAX_RANGE_COMMIT_VERTICES = 4_096;
/** Bytes of one encoded range: bounds what a peer can make the decoder allocate. */
export const MAX_COMMIT_RANGE_BYTES = 64 * 1024 * 1024;

export type RangeCommit = {
  /** The commit's index in the chain of commits (from 1, continuing across epochs). */
  readonly index: bigint;
  readonly how: 'direct' | 'indirect';
  /** Execution order; the last one is the committed leader. */
  readonly vertices: readonly SignedVertex[];
};

export type CommitRange = {
  readonly commits: readonly RangeCommit[];
  /** Certifies the checkpoint whose `lastCommitIndex` is the last commit's index. */
  readonly certificate: Certificate;
};

const howCodec: Codec<RangeCommit['how']> = literals({ direct: 0, indirect: 1 });

/** One commit of a range (a Node peer also stores its executed commits in this form). */
export const rangeCommitCodec: Codec<RangeCommit> = struct({ index: u64, how: howCodec, vertices: list(signedVertexCodec, { maxItems: MAX_RANGE_COMMIT_VERTICES }) });

export const commitRangeCodec: Codec<CommitRange> = struct({
  commits: list(rangeCommitCodec, { maxItems: MAX_RANGE_COMMITS }),
  certificate: certificateCodec,
});

export function encodeCommitRange(range: CommitRange): Uint8Array {
  return commitRangeCodec.encode(range);
}

/** Decodes a peer's range (at most MAX_COMMIT_RANGE_BYTES); frozen on success. */
export function decodeCommitRange(bytes: Uint8Array): Result<CommitRange, DecodeError> {
  return commitRangeCodec.decode(bytes, { maxBytes: MAX_COMMIT_RANGE_BYTES });
}
