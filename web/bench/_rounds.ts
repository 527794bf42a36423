/**
 * A synthetic, endless DAG stream for the frame-rate bench: round by round, every validator
 * proposes one vertex naming every vertex of the round below (the densest DAG an honest
 * network builds: n² parent edges per round), and validator 0 commits each leader (round-robin)
 * two rounds later, so the view paints phases, commits and the finalized region as in a live run.
 * Deterministic: a digest is a function of (round, author).
 */
import type { CommittedEvent, DagEvent, DagRef, VertexProposedEvent } from '../dag/types.ts';

/** Rounds a leader waits for its commit: the commit round is r + 2 (three message delays). */
const COMMIT_LAG_ROUNDS = 2;
/** Nominal virtual time per round, for the vertices' timestamps only. */
const ROUND_DURATION_MS = 150;

export const benchLeaderOf = (validators: number) => (round: number): number => round % validators;

export function benchRef(round: number, author: number): DagRef {
  return Object.freeze({ round, author, digest: (round * 4_096 + author).toString(16).padStart(12, '0') });
}

/** The events of one round: its vertices, then validator 0's commit of the leader COMMIT_LAG_ROUNDS below. */
export function benchRoundEvents(validators: number, round: number): DagEvent[] {
  if (!Number.isSafeInteger(round) || round < 1) throw new RangeError(`round: an integer ≥ 1 is needed, got ${round}`);
  // One frozen parent list shared by the round's vertices: the model copies what it keeps.
  const parents: readonly DagRef[] = round === 1 ? [] : Object.freeze(Array.from({ length: validators }, (_, author) => benchRef(round - 1, author)));
  const events: DagEvent[] = [];
  for (let author = 0; author < validators; author++) {
    const vertex: VertexProposedEvent = {
      type: 'vertexProposed', timeMs: round * ROUND_DURATION_MS, epoch: 0, author, round, digest: benchRef(round, author).digest,
      parents, transactions: 10, bytes: 3_000, signature: { scheme: 'ml-dsa-44', bytes: 2_420 },
    };
    events.push(vertex);
  }
  const leaderRound = round - COMMIT_LAG_ROUNDS;
  if (leaderRound >= 1) {
    const commit: CommittedEvent = { type: 'committed', timeMs: round * ROUND_DURATION_MS, by: 0, index: leaderRound, leader: benchRef(leaderRound, benchLeaderOf(validators)(leaderRound)), how: 'direct' };
    events.push(commit);
  }
  return events;
}
