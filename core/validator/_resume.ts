/**
 * Keeping the validator's latest resume point (`resumePoint.ts`) as it runs.
 *
 * docs/protocol.md "Resuming from a checkpoint". The work must stay flat however long the chain
 * and however large the state: per executed commit, one reference to the vertex list it
 * ordered goes into a sliding window of the commits whose leaders lie within gc_depth rounds of
 * the newest (leader rounds increase, so at most gc_depth + 1 entries); per cut checkpoint, a
 * candidate keeps the ledger value (immutable: a reference, no copy) and a copy of that
 * window's references (at most gc_depth + 1 pointers); per certificate, the candidate becomes
 * the point. The vertex references themselves are gathered only when `point()` is asked for.
 * Candidates are kept for the checkpoints whose votes are still collected (`MAX_VOTE_LOOKAHEAD`
 * behind the newest cut), so at most that many ledgers are held besides the point's.
 */
import { gcRoundAfter } from '../consensus/linearize.ts';
import type { Certificate } from '../consensus/certificate.ts';
import { isEndOfEpoch, type Checkpoint } from '../consensus/checkpoint.ts';
import { epochLeaderSeed } from '../consensus/leaderSchedule.ts';
import type { Hash32 } from '../crypto/index.ts';
import { compareRefs, type VertexRef } from '../dag/index.ts';
import type { Ledger } from '../state/index.ts';
import { MAX_VOTE_LOOKAHEAD } from './_checkpoints.ts';
import type { ValidatorResumePoint } from './resumePoint.ts';

/** What one executed commit ordered, as far as a later resume needs it. */
type WindowCommit = { readonly leaderRound: number; readonly refs: readonly VertexRef[] };

type Candidate = Omit<ValidatorResumePoint, 'certificate' | 'committedRefs'> & { readonly window: readonly WindowCommit[] };

/** What the committer knows when it cuts a checkpoint. */
export type CutContext = {
  readonly checkpoint: Checkpoint;
  /** The ledger the checkpoint's state root is the root of. */
  readonly ledger: Ledger;
  readonly leaderTimestampMs: number;
  readonly leaderRound: number;
  /** The current epoch's leader seed. */
  readonly leaderSeed: Hash32;
};

export type ResumeTracker = {
  /** A commit of the current epoch was executed: its leader's round and the vertices it ordered. */
  executed(leaderRound: number, refs: readonly VertexRef[]): void;
  /** A checkpoint was cut right after the last executed commit. */
  cut(context: CutContext): void;
  /** A certificate of a checkpoint this validator cut (its own, or a peer's found identical). */
  certified(certificate: Certificate): void;
  /** A new epoch began: rounds start again at 1, the old window is of no use. */
  startEpoch(): void;
  /** The latest certified checkpoint this validator executed, ready to resume from. */
  point(): ValidatorResumePoint | undefined;
};

export function createResumeTracker(gcDepthRounds: number, start: ValidatorResumePoint | undefined): ResumeTracker {
  let window: WindowCommit[] = [];
  const candidates = new Map<bigint, Candidate>();
  let current: { readonly certificate: Certificate; readonly candidate: Candidate } | undefined;
  let cached: ValidatorResumePoint | undefined = start;
  if (start !== undefined) {
    const { certificate, committedRefs, ...rest } = start;
    // The starting references stand for every commit up to the point: one window entry.
    window = start.leaderRound > 0 ? [{ leaderRound: start.leaderRound, refs: committedRefs }] : [];
    current = { certificate, candidate: { ...rest, window: [...window] } };
  }

  const executed: ResumeTracker['executed'] = (leaderRound, refs) => {
    window.push({ leaderRound, refs });
    // A commit whose leader is more than gc_depth rounds below ordered nothing at or above the gc round.
    while ((window[0] as WindowCommit).leaderRound < leaderRound - gcDepthRounds) window.shift();
  };

  const cut: ResumeTracker['cut'] = ({ checkpoint, ledger, leaderTimestampMs, leaderRound, leaderSeed }) => {
    // An epoch's last checkpoint resumes at round 0 of the next epoch: nothing of this DAG matters.
    const endsEpoch = isEndOfEpoch(checkpoint);
    candidates.set(checkpoint.sequence, Object.freeze({
      ledger,
      closingLeaderTimestampMs: leaderTimestampMs,
      leaderRound: endsEpoch ? 0 : leaderRound,
      leaderSeed: endsEpoch ? epochLeaderSeed(checkpoint.epoch + 1n, checkpoint.commitDigest) : leaderSeed,
      window: endsEpoch ? [] : Object.freeze([...window]),
    }));
    // Votes for older checkpoints are no longer collected: they will not be certified here.
    for (const sequence of candidates.keys()) if (sequence + MAX_VOTE_LOOKAHEAD < checkpoint.sequence) candidates.delete(sequence);
  };

  const certified: ResumeTracker['certified'] = (certificate) => {
    const { sequence } = certificate.checkpoint;
    const candidate = candidates.get(sequence);
    if (candidate === undefined || (current !== undefined && sequence <= current.certificate.checkpoint.sequence)) return;
    current = { certificate, candidate };
    cached = undefined;
    for (const s of candidates.keys()) if (s <= sequence) candidates.delete(s);
  };

  const point = (): ValidatorResumePoint | undefined => {
    if (cached !== undefined || current === undefined) return cached;
    const { certificate, candidate } = current;
    const { window: committed, ...rest } = candidate;
    const gcRound = gcRoundAfter(candidate.leaderRound, gcDepthRounds);
    const refs: VertexRef[] = [];
    for (const commit of committed) for (const ref of commit.refs) if (ref.round >= gcRound) refs.push(ref);
    refs.sort(compareRefs);
    cached = Object.freeze({ ...rest, certificate, committedRefs: Object.freeze(refs) });
    return cached;
  };

  return Object.freeze({
    executed,
    cut,
    certified,
    startEpoch() {
      window = [];
    },
    point,
  });
}
