/**
 * Linearization: turns each committed leader into the ordered list of vertices it commits.
 *
 * DESIGN.md §2 "Linearization"; Mysticeti's linearizer (`MystenLabs/sui`
 * consensus/core/src/linearizer.rs). When leader vertex V commits, its causal history minus
 * what earlier leaders already committed, minus rounds below the gc round, is collected by a
 * depth-first walk and sorted by (round, author, digest). The leader itself is last: it is the
 * only vertex of its round in its own history.
 *
 * Determinism across validators needs the same inputs everywhere, and every input here is a
 * function of the commit sequence: the history of V is fixed by V's signed parents, the
 * already-committed set by earlier leaders, and the gc round by the previous committed leader's
 * round (`gcRound = max(0, previous leader round − gcDepthRounds)`, as in DESIGN.md §2 Garbage
 * collection). Vertices below it that no leader reached are never ordered; the validator reports
 * their transactions back for resubmission.
 *
 * The linearizer keeps only the committed vertices at or above the gc round, so its memory is
 * bounded by the gc window, not by the chain's length.
 */
import type { DagView, VertexRef } from '../dag/types.ts';
import { heldVertex } from './_votes.ts';
import { compareVertexRefs, refKey } from './_vertexRefs.ts';

/** One commit: the leader and the vertices it orders, in execution order (leader last). */
export type CommittedSubDag = {
  readonly leader: VertexRef;
  readonly vertices: readonly VertexRef[];
};

export type LinearizerInit = {
  /** Rounds kept below the previous committed leader (protocol param gc_depth; no default: it must match the network's). */
  readonly gcDepthRounds: number;
};

export type Linearizer = {
  /**
   * Orders the not-yet-committed history of `leader`, a vertex the commit rule just committed.
   * Leaders must come in commit order, at strictly increasing rounds (asserted).
   */
  commit(dag: DagView, leader: VertexRef): CommittedSubDag;
  /**
   * Records a commit ordered elsewhere — a certified commit range (catch-up): its vertices
   * count as committed and its leader as the last one, exactly as if `commit` had produced it.
   */
  adopt(subDag: CommittedSubDag): void;
  /** Round of the last committed leader (0 before the first). */
  lastCommittedLeaderRound(): number;
  /** Rounds below this are excluded from the next commit. */
  gcRound(): number;
};

/** The gc round for a commit that follows a leader committed at `previousLeaderRound`. */
export function gcRoundAfter(previousLeaderRound: number, gcDepthRounds: number): number {
  return Math.max(0, previousLeaderRound - gcDepthRounds);
}

export function createLinearizer(init: LinearizerInit): Linearizer {
  const { gcDepthRounds } = init;
  if (!Number.isSafeInteger(gcDepthRounds) || gcDepthRounds < 0) throw new RangeError(`createLinearizer: gcDepthRounds must be a non-negative safe integer, got ${gcDepthRounds}`);
  // Committed vertices by key, and their keys by round so the set is pruned below the gc round
  // round by round: a prune at every commit then costs the rounds held, not the vertices.
  const committed = new Set<string>();
  const committedByRound = new Map<number, string[]>();
  let lastLeaderRound = 0;

  const prune = (belowRound: number): void => {
    for (const [round, keys] of committedByRound) {
      if (round >= belowRound) continue;
      for (const key of keys) committed.delete(key);
      committedByRound.delete(round);
    }
  };

  const markCommitted = (ref: VertexRef): void => {
    const key = refKey(ref);
    if (committed.has(key)) return;
    committed.add(key);
    const keys = committedByRound.get(ref.round);
    if (keys === undefined) committedByRound.set(ref.round, [key]);
    else keys.push(key);
  };

  const commit = (dag: DagView, leader: VertexRef): CommittedSubDag => {
    if (leader.round <= lastLeaderRound) {
      throw new RangeError(`linearizer: leader round ${leader.round} is not above the last committed leader round ${lastLeaderRound}`);
    }
    const gcRound = gcRoundAfter(lastLeaderRound, gcDepthRounds);
    prune(gcRound);
    const leaderKey = refKey(leader);
    if (committed.has(leaderKey)) throw new Error(`linearizer: leader ${leaderKey} was already committed`);
    const ordered = collectHistory(dag, leader, gcRound, committed);
    ordered.sort(compareVertexRefs);
    for (const ref of ordered) markCommitted(ref);
    lastLeaderRound = leader.round;
    return Object.freeze({ leader, vertices: Object.freeze(ordered) });
  };

  const adopt = (subDag: CommittedSubDag): void => {
    if (subDag.leader.round <= lastLeaderRound) {
      throw new RangeError(`linearizer: adopted leader round ${subDag.leader.round} is not above the last committed leader round ${lastLeaderRound}`);
    }
    prune(gcRoundAfter(lastLeaderRound, gcDepthRounds));
    for (const ref of subDag.vertices) markCommitted(ref);
    lastLeaderRound = subDag.leader.round;
  };

  return Object.freeze({
    commit,
    adopt,
    lastCommittedLeaderRound: () => lastLeaderRound,
    gcRound: () => gcRoundAfter(lastLeaderRound, gcDepthRounds),
  });
}

/** Depth-first over parents from `leader`: uncommitted vertices at rounds ≥ gcRound. */
function collectHistory(dag: DagView, leader: VertexRef, gcRound: number, committed: ReadonlySet<string>): VertexRef[] {
  const start = heldVertex(dag, leader);
  const seen = new Set<string>([refKey(leader)]);
  const out: VertexRef[] = [start.ref];
  const stack = [start];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    for (const parentRef of next.parents) {
      if (parentRef.round < gcRound) continue;
      const key = refKey(parentRef);
      if (seen.has(key) || committed.has(key)) continue;
      seen.add(key);
      const parent = heldVertex(dag, parentRef);
      out.push(parent.ref);
      stack.push(parent);
    }
  }
  return out;
}
