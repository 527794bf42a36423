/**
 * A resume point: where a validator can start again without replaying the chain from genesis —
 * a certified checkpoint it executed, the ledger right after it, and the little of consensus
 * state that the next commit depends on. Also its canonical encoding (everything but the
 * ledger, which has its own state-snapshot encoding).
 *
 * docs/protocol.md "Resuming from a checkpoint". What the next commit depends on, besides the
 * ledger and the commit chain the checkpoint names:
 *   - the timestamp of the leader that closed the checkpoint (the next checkpoint closes
 *     `checkpoint_interval_ms` after it);
 *   - the epoch's leader seed (an epoch's seed hangs on the previous epoch's last commit digest,
 *     which the checkpoint does not name);
 *   - the round of the checkpoint's last committed leader, and the vertices committed at
 *     rounds ≥ that round − gc_depth: the next leader's history is linearized minus exactly
 *     those (`consensus/linearize.ts`), so without them a resumed validator could order a vertex
 *     twice. At most gc_depth + 1 rounds of vertex references.
 * An epoch's last checkpoint resumes in the NEXT epoch (its certificate carries that committee,
 * its ledger is the post-boundary one, rounds start again at 1): leader round 0, no references.
 *
 * Encoding (docs/codec.md): certificate, u64 closing leader timestamp (ms), varint leader round,
 * 32-byte leader seed, list of vertex references in canonical order. The decoder checks the
 * parts against each other (INVALID_VALUE); it cannot check the certificate's signatures or the
 * committee: the shell verifies those before handing the point to `createValidator`.
 */
import { bytesFixed, list, map, refine, struct, u64, varint, type Codec, type DecodeError } from '../codec/index.ts';
import { certificateCodec, type Certificate } from '../consensus/certificate.ts';
import { isEndOfEpoch } from '../consensus/checkpoint.ts';
import { epochLeaderSeed } from '../consensus/leaderSchedule.ts';
import { bytesEqual, HASH32_BYTES, type Hash32 } from '../crypto/index.ts';
import { compareRefs, vertexRefCodec, type VertexRef } from '../dag/index.ts';
import type { Result } from '../result.ts';
import type { Ledger } from '../state/index.ts';

/**
 * Vertex references a resume point may carry: (gc_depth + 1) rounds × committee × a few
 * equivocating vertices per slot; 2^20 covers a 10,000-member committee at gc_depth 60 with
 * room to spare, and the list decoder refuses a count the input cannot hold before allocating.
 */
export const MAX_RESUME_COMMITTED_REFS = 1 << 20;
/** Bytes of an encoded resume point by default: a certificate of a large committee plus the references. */
export const MAX_RESUME_POINT_BYTES = 128 * 1024 * 1024;

export type ValidatorResumePoint = {
  /** The certified checkpoint (its signatures verified by the shell before it is passed back). */
  readonly certificate: Certificate;
  /**
   * The ledger right after the checkpoint's last commit — after the epoch boundary for an
   * epoch's last checkpoint — whose root is the checkpoint's state root. Persisted apart.
   */
  readonly ledger: Ledger;
  /** Timestamp of the leader whose commit closed the checkpoint, ms. */
  readonly closingLeaderTimestampMs: number;
  /** Round of the checkpoint's last committed leader in its epoch; 0 for an epoch's last checkpoint. */
  readonly leaderRound: number;
  /** Seed of the leader schedule of the epoch the validator resumes in (`resumeEpochOf`). */
  readonly leaderSeed: Hash32;
  /** Vertices committed up to the checkpoint at rounds ≥ leaderRound − gc_depth, in canonical order (the last is the leader). */
  readonly committedRefs: readonly VertexRef[];
};

/** A resume point without its ledger: what `encodeResumePoint` writes. */
export type ResumePointRecord = Omit<ValidatorResumePoint, 'ledger'>;

/** The epoch a validator resumes in: the checkpoint's, or the next one after an epoch's last checkpoint. */
export function resumeEpochOf(point: Pick<ValidatorResumePoint, 'certificate'>): bigint {
  const { checkpoint } = point.certificate;
  return isEndOfEpoch(checkpoint) ? checkpoint.epoch + 1n : checkpoint.epoch;
}

/** Why the parts of a record do not fit together, or undefined. Shared by the decoder and `createValidator`. */
export function resumeRecordProblem(record: ResumePointRecord): string | undefined {
  const { checkpoint, signers } = record.certificate;
  const refs = record.committedRefs;
  if (!Number.isSafeInteger(record.leaderRound) || record.leaderRound < 0) return 'leaderRound must be a non-negative integer';
  if (!Number.isSafeInteger(record.closingLeaderTimestampMs) || record.closingLeaderTimestampMs < 0) return 'closingLeaderTimestampMs must be a non-negative integer';
  if (isEndOfEpoch(checkpoint)) {
    if (record.leaderRound !== 0 || refs.length !== 0) return 'an epoch\'s last checkpoint resumes at round 0 of the next epoch, with no committed references';
    if (!bytesEqual(record.leaderSeed, epochLeaderSeed(checkpoint.epoch + 1n, checkpoint.commitDigest))) return 'leaderSeed is not the next epoch\'s';
    return undefined;
  }
  if (record.leaderRound === 0) return 'leaderRound 0 is only for an epoch\'s last checkpoint';
  for (const [at, ref] of refs.entries()) {
    const previous = refs[at - 1];
    if (previous !== undefined && compareRefs(previous, ref) >= 0) return `committedRefs[${at}] is not above the one before (canonical order, no duplicates)`;
    if (ref.round > record.leaderRound || ref.round < 1) return `committedRefs[${at}] is at round ${ref.round}, outside 1..${record.leaderRound}`;
    if (ref.author >= signers.memberCount) return `committedRefs[${at}] names author ${ref.author} of a ${signers.memberCount}-member committee`;
  }
  // The leader is the only vertex of its round in its own history, and earlier leaders are lower.
  const last = refs[refs.length - 1];
  const beforeLast = refs[refs.length - 2];
  if (last === undefined || last.round !== record.leaderRound || (beforeLast !== undefined && beforeLast.round === record.leaderRound)) {
    return 'committedRefs must end with the leader, the only reference at leaderRound';
  }
  return undefined;
}

/** u64 milliseconds on the wire, a safe-integer number in TypeScript (as a vertex's timestamp). */
const timestampMsCodec: Codec<number> = map(
  refine(u64, (v) => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? undefined : 'timestamp above 2^53 - 1')),
  { fromWire: (v) => Number(v), toWire: (v) => BigInt(v) },
);

export const resumePointRecordCodec: Codec<ResumePointRecord> = refine(
  struct({
    certificate: certificateCodec,
    closingLeaderTimestampMs: timestampMsCodec,
    leaderRound: varint,
    leaderSeed: bytesFixed(HASH32_BYTES),
    committedRefs: list(vertexRefCodec, { maxItems: MAX_RESUME_COMMITTED_REFS }),
  }),
  resumeRecordProblem,
);

/** The canonical bytes of `point` without its ledger; throws on a value that does not hold together (a bug). */
export function encodeResumePoint(point: ResumePointRecord): Uint8Array {
  return resumePointRecordCodec.encode({
    certificate: point.certificate,
    closingLeaderTimestampMs: point.closingLeaderTimestampMs,
    leaderRound: point.leaderRound,
    leaderSeed: point.leaderSeed,
    committedRefs: point.committedRefs,
  });
}

/**
 * Decodes stored bytes (at most `maxBytes`); frozen on success. Add the ledger decoded from its
 * own snapshot (`{ ...record, ledger }`) and verify the certificate before resuming from it.
 */
export function decodeResumePoint(bytes: Uint8Array, maxBytes: number = MAX_RESUME_POINT_BYTES): Result<ResumePointRecord, DecodeError> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new RangeError('decodeResumePoint: maxBytes must be a positive integer');
  return resumePointRecordCodec.decode(bytes, { maxBytes });
}
