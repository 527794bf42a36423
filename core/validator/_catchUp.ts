/**
 * Checking a peer's certified commit range against the validator's own head (the receiving
 * side of catch-up; `commitRange.ts` has the format and the trust argument).
 *
 * Order of checks, cheapest first, each a typed reject (a peer's bad range is a value, never an
 * exception): the range must continue exactly where the validator's executed commits end and
 * bring something it has not decided yet; the certificate must pass the cheap checks against
 * the current committee (chain, epoch, bitmap, stake, schemes) and certify the range's last
 * commit; the commits must have contiguous indices, leaders at strictly increasing rounds of
 * the epoch, and a digest chain from the validator's head to the certified `commitDigest`.
 * Only then are the certificate's signatures worth verifying: `checkRange` returns those jobs,
 * and `certificateVerdict` decides on their results (a quorum of stake must verify).
 */
import type { Certificate } from '../consensus/certificate.ts';
import { checkCertificateCheaply } from '../consensus/certificateVerify.ts';
import { checkpointHash, isEndOfEpoch } from '../consensus/checkpoint.ts';
import { checkpointMessageOfHash, checkpointVoteItem } from '../consensus/checkpointSign.ts';
import { nextCommitDigest } from '../consensus/commitDigest.ts';
import { stakeOf, type Committee } from '../consensus/committee.ts';
import { signerIndices } from '../consensus/signerBitmap.ts';
import { bytesEqual, type Hash32, type VerifyItem } from '../crypto/index.ts';
import { vertexRef, type SignedVertex, type VertexRef } from '../dag/index.ts';
import { err, ok, type Result } from '../result.ts';
import type { CommitRange } from './commitRange.ts';

/** Why a range was refused. `STALE`, `NOT_NEXT` and `WRONG_EPOCH` happen to honest peers (lag, an epoch switch while the answer travelled); the rest prove a bad range. */
export type RangeReject =
  | { readonly code: 'MALFORMED_RANGE'; readonly reason: string }
  | { readonly code: 'EMPTY_RANGE' }
  | { readonly code: 'NOT_NEXT'; readonly firstIndex: bigint; readonly expected: bigint }
  | { readonly code: 'STALE'; readonly lastIndex: bigint; readonly decidedIndex: bigint }
  | { readonly code: 'WRONG_EPOCH'; readonly epoch: bigint; readonly expected: bigint }
  | { readonly code: 'BAD_CERTIFICATE'; readonly reason: string }
  | { readonly code: 'INDEX_GAP'; readonly at: number }
  | { readonly code: 'BAD_COMMIT'; readonly at: number; readonly reason: string }
  | { readonly code: 'DIGEST_MISMATCH' }
  | { readonly code: 'CERTIFICATE_SIGNATURES'; readonly validStake: bigint; readonly quorumStake: bigint };

export type RangeRejectCode = RangeReject['code'];

/** Rejects an honest but slower or faster peer can cause; the others are penalized. */
export const HONEST_RANGE_REJECTS: ReadonlySet<RangeRejectCode> = new Set<RangeRejectCode>(['NOT_NEXT', 'STALE', 'WRONG_EPOCH']);

/** The validator's head the range must continue. */
export type RangeHead = {
  readonly chainId: string;
  readonly committee: Committee;
  /** Index and digest of the last executed commit. */
  readonly commitIndex: bigint;
  readonly commitDigest: Hash32;
  /** Commits decided (executed or queued): a range must reach beyond them to be worth taking. */
  readonly decidedIndex: bigint;
  /** The epoch's last checkpoint is cut and awaits its certificate: only an empty range carrying it is wanted. */
  readonly closing: boolean;
};

/** One commit of an accepted range, ready to execute. */
export type CheckedCommit = {
  readonly index: bigint;
  readonly how: 'direct' | 'indirect';
  readonly leader: VertexRef;
  readonly refs: readonly VertexRef[];
  readonly vertices: readonly SignedVertex[];
};

export type CheckedRange = {
  readonly commits: readonly CheckedCommit[];
  readonly certificate: Certificate;
  readonly certificateHash: Hash32;
  /** Certificate signature jobs, one per signer, with the signers' stakes in the same order. */
  readonly items: readonly VerifyItem[];
  readonly weights: readonly bigint[];
};

const reject = (error: RangeReject): Result<never, RangeReject> => err(error);

export function checkRange(range: CommitRange, head: RangeHead): Result<CheckedRange, RangeReject> {
  const first = range.commits[0];
  const last = range.commits[range.commits.length - 1];
  const { certificate } = range;
  const { checkpoint } = certificate;
  if (checkpoint.epoch !== head.committee.epoch) return reject({ code: 'WRONG_EPOCH', epoch: checkpoint.epoch, expected: head.committee.epoch });
  const cheap = checkCertificateCheaply(certificate, { chainId: head.chainId, committee: head.committee });
  if (!cheap.ok) return reject({ code: 'BAD_CERTIFICATE', reason: cheap.error.code });
  if (first === undefined || last === undefined) {
    // Only the certificate of the epoch's last checkpoint, for a validator that cut it already.
    if (!head.closing || !isEndOfEpoch(checkpoint)) return reject({ code: 'EMPTY_RANGE' });
    if (checkpoint.lastCommitIndex !== head.commitIndex || !bytesEqual(checkpoint.commitDigest, head.commitDigest)) return reject({ code: 'DIGEST_MISMATCH' });
    return ok(withSignatureJobs([], certificate, cheap.value, head.committee));
  }
  if (head.closing) return reject({ code: 'STALE', lastIndex: last.index, decidedIndex: head.decidedIndex });
  if (first.index !== head.commitIndex + 1n) return reject({ code: 'NOT_NEXT', firstIndex: first.index, expected: head.commitIndex + 1n });
  if (last.index <= head.decidedIndex) return reject({ code: 'STALE', lastIndex: last.index, decidedIndex: head.decidedIndex });
  if (checkpoint.lastCommitIndex !== last.index) return reject({ code: 'BAD_CERTIFICATE', reason: `certifies commit ${checkpoint.lastCommitIndex}, the range ends at ${last.index}` });

  const commits: CheckedCommit[] = [];
  let digest = head.commitDigest;
  let previousLeaderRound = 0;
  for (const [at, commit] of range.commits.entries()) {
    if (commit.index !== head.commitIndex + 1n + BigInt(at)) return reject({ code: 'INDEX_GAP', at });
    const leaderVertex = commit.vertices[commit.vertices.length - 1];
    if (leaderVertex === undefined) return reject({ code: 'BAD_COMMIT', at, reason: 'no vertices' });
    const refs: VertexRef[] = [];
    for (const signed of commit.vertices) {
      if (signed.vertex.epoch !== head.committee.epoch) return reject({ code: 'BAD_COMMIT', at, reason: 'a vertex of another epoch' });
      if (head.committee.members[signed.vertex.author] === undefined) return reject({ code: 'BAD_COMMIT', at, reason: 'an author outside the committee' });
      refs.push(vertexRef(signed.vertex));
    }
    const leader = refs[refs.length - 1] as VertexRef;
    if (leader.round <= previousLeaderRound) return reject({ code: 'BAD_COMMIT', at, reason: 'leader rounds must increase' });
    previousLeaderRound = leader.round;
    digest = nextCommitDigest(digest, commit.index, { leader, vertices: refs });
    commits.push(Object.freeze({ index: commit.index, how: commit.how, leader, refs: Object.freeze(refs), vertices: commit.vertices }));
  }
  if (!bytesEqual(digest, checkpoint.commitDigest)) return reject({ code: 'DIGEST_MISMATCH' });
  return ok(withSignatureJobs(commits, certificate, cheap.value, head.committee));
}

/** The checked range with one verify job per certificate signer (in signer order). */
function withSignatureJobs(commits: readonly CheckedCommit[], certificate: Certificate, signers: readonly number[], committee: Committee): CheckedRange {
  const hash = checkpointHash(certificate.checkpoint);
  const message = checkpointMessageOfHash(certificate.checkpoint, hash);
  const members = committee.members;
  const items = signers.map((index, position) =>
    checkpointVoteItem(message, (members[index] as Committee['members'][number]).key, certificate.signatures[position] as Certificate['signatures'][number]),
  );
  const weights = signers.map((index) => (members[index] as Committee['members'][number]).stake);
  return Object.freeze({ commits: Object.freeze([...commits]), certificate, certificateHash: hash, items: Object.freeze(items), weights: Object.freeze(weights) });
}

/** The certificate holds iff the signers whose signatures verified hold a quorum of stake. */
export function certificateVerdict(range: CheckedRange, committee: Committee, results: readonly boolean[]): Result<void, RangeReject> {
  const signers = [...signerIndices(range.certificate.signers)];
  const validStake = stakeOf(committee, signers.filter((_, position) => results[position] === true));
  if (validStake < committee.quorumStake) return err({ code: 'CERTIFICATE_SIGNATURES', validStake, quorumStake: committee.quorumStake });
  return ok(undefined);
}
