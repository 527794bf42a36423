// The resume tracker's bounds: the window keeps only commits whose leaders lie within gc_depth
// rounds, a point holds only the references at or above its gc round, a candidate whose votes
// are no longer collected is dropped, and an older certificate never replaces a newer point.
import { describe, expect, it } from 'vitest';
import type { Certificate } from '../consensus/certificate.ts';
import type { Checkpoint } from '../consensus/checkpoint.ts';
import type { VertexRef } from '../dag/index.ts';
import type { Ledger } from '../state/index.ts';
import { MAX_VOTE_LOOKAHEAD } from './_checkpoints.ts';
import { createResumeTracker } from './_resume.ts';

const GC_DEPTH = 2;
const seed = new Uint8Array(32).fill(7);
const ref = (round: number, author: number): VertexRef => Object.freeze({ round, author, digest: new Uint8Array(32).fill(round) });
const checkpointAt = (sequence: bigint): Checkpoint => ({ sequence, epoch: 0n } as unknown as Checkpoint);
const certificateOf = (checkpoint: Checkpoint): Certificate => ({ checkpoint } as unknown as Certificate);
const ledgerNamed = (name: string): Ledger => ({ name } as unknown as Ledger);

/** Commits at leader rounds 2, 4, …, 2n, each ordering its leader and the vertices of the round below. */
function commitRounds(tracker: ReturnType<typeof createResumeTracker>, fromRound: number, toRound: number): void {
  for (let r = fromRound; r <= toRound; r += 2) tracker.executed(r, [ref(r - 1, 0), ref(r - 1, 1), ref(r, 2)]);
}

describe('resume tracker', () => {
  it('a point holds the references at or above leader round − gc_depth only, in canonical order', () => {
    const tracker = createResumeTracker(GC_DEPTH, undefined);
    commitRounds(tracker, 2, 40);
    const checkpoint = checkpointAt(1n);
    tracker.cut({ checkpoint, ledger: ledgerNamed('at-40'), leaderTimestampMs: 1234, leaderRound: 40, leaderSeed: seed });
    expect(tracker.point()).toBeUndefined();
    tracker.certified(certificateOf(checkpoint));
    const point = tracker.point();
    expect(point?.committedRefs.map((r) => `${r.round}/${r.author}`)).toEqual(['38/2', '39/0', '39/1', '40/2']);
    expect([point?.leaderRound, point?.closingLeaderTimestampMs, (point?.ledger as unknown as { name: string }).name]).toEqual([40, 1234, 'at-40']);
    // Asked again: the same frozen value, not recomputed.
    expect(tracker.point()).toBe(point);
    expect(Object.isFrozen(point?.committedRefs)).toBe(true);
  });

  it('a candidate older than the vote window is dropped; an older certificate never replaces a newer point', () => {
    const tracker = createResumeTracker(GC_DEPTH, undefined);
    commitRounds(tracker, 2, 10);
    const first = checkpointAt(1n);
    tracker.cut({ checkpoint: first, ledger: ledgerNamed('1'), leaderTimestampMs: 1, leaderRound: 10, leaderSeed: seed });
    commitRounds(tracker, 12, 20);
    const later = checkpointAt(2n + MAX_VOTE_LOOKAHEAD);
    tracker.cut({ checkpoint: later, ledger: ledgerNamed('later'), leaderTimestampMs: 2, leaderRound: 20, leaderSeed: seed });
    tracker.certified(certificateOf(first));
    expect(tracker.point()).toBeUndefined();
    const second = checkpointAt(3n + MAX_VOTE_LOOKAHEAD);
    commitRounds(tracker, 22, 22);
    tracker.cut({ checkpoint: second, ledger: ledgerNamed('second'), leaderTimestampMs: 3, leaderRound: 22, leaderSeed: seed });
    tracker.certified(certificateOf(second));
    tracker.certified(certificateOf(later));
    expect(tracker.point()?.certificate.checkpoint.sequence).toBe(second.sequence);
  });

  it('a resumed tracker answers its starting point, and its references still count for the next checkpoint\'s window', () => {
    const start = createResumeTracker(GC_DEPTH, undefined);
    commitRounds(start, 2, 10);
    const checkpoint = checkpointAt(1n);
    start.cut({ checkpoint, ledger: ledgerNamed('start'), leaderTimestampMs: 1, leaderRound: 10, leaderSeed: seed });
    start.certified(certificateOf(checkpoint));
    const point = start.point();
    if (point === undefined) throw new Error('no point');
    const resumed = createResumeTracker(GC_DEPTH, point);
    expect(resumed.point()).toBe(point);
    resumed.executed(11, [ref(11, 3)]);
    const next = checkpointAt(2n);
    resumed.cut({ checkpoint: next, ledger: ledgerNamed('next'), leaderTimestampMs: 2, leaderRound: 11, leaderSeed: seed });
    resumed.certified(certificateOf(next));
    expect(resumed.point()?.committedRefs.map((r) => `${r.round}/${r.author}`)).toEqual(['9/0', '9/1', '10/2', '11/3']);
  });
});
