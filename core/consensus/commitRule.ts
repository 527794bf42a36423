/**
 * The commit rule: decides, for each round's leader slot, commit or skip — a pure function of
 * the DAG, independent of the order in which vertices arrived.
 *
 * DESIGN.md §2 "PBFT on the DAG"; the rules of Mysticeti's base committer (paper "Mysticeti:
 * Reaching the Limits of Latency with Uncertified DAGs", §4; `MystenLabs/sui`
 * consensus/core/src/base_committer.rs), one leader per round, wave of three rounds:
 *
 *   slot (r, L)   the leader's vertex (or vertices, if L equivocated)      pre-prepare
 *   round r+1     votes: vertices with a vertex of the slot as a parent      prepare
 *   round r+2     certificates: parents at r+1 voting for V worth a quorum   commit
 *
 * - DIRECT SKIP: round r+1 vertices worth a quorum reference no vertex of the slot (blame). This
 *   is the view change. Checked first; with at most f faulty stake it excludes any commit,
 *   since a blaming quorum and a voting quorum would share an honest author who did both.
 * - DIRECT COMMIT of V: round r+2 certificates for V worth a quorum.
 * - INDIRECT: otherwise take the anchor, the first leader at a round ≥ r+3 that is not skipped.
 *   If it is committed, commit V when the anchor's causal history holds a certificate for V,
 *   else skip; if the anchor is undecided (or there is none yet), the slot stays undecided.
 *   Why this is safe: a directly committed V has certificates from a quorum at r+2; every
 *   round ≥ r+3 vertex has a quorum of parents, so by quorum intersection it reaches one of
 *   those certificates — every later committed anchor sees V, and commits it too.
 *
 * Leaders are emitted in round order and the output stops at the first undecided slot: a
 * later leader is never delivered before an earlier one is settled.
 *
 * Garbage collection: a slot below `dag.lowestRound()` cannot be judged (its votes may be gone,
 * which would look like blame). `tryDecide` therefore refuses — it throws a RangeError — when
 * the next slot to decide was already collected. A validator never meets this (it collects only
 * `gc_depth ≥ 3` rounds below its last decided leader); a node that fell that far behind
 * catches up by certified commit ranges instead of by this rule.
 *
 * Safety assertion: with at most f faulty stake at most one vertex of a slot can be certified;
 * two would prove more than f Byzantine and throw CommitRuleInvariantError (assertions stay on,
 * HOUSE-RULES 9) rather than commit either.
 */
import type { DagView, VertexRef } from '../dag/types.ts';
import { isQuorum, type Committee } from './committee.ts';
import type { LeaderElector } from './leaderSchedule.ts';
import { ancestorsAtRound } from './_causalHistory.ts';
import { certifies, hasQuorumSupport, heldVertex, minQuorumMembers, tallySlot, votersFor } from './_votes.ts';

export { isBlame, isCommitVertex, isVote } from './_votes.ts';

/** Rounds from a leader to the first round whose leaders may serve as its anchor. */
export const WAVE_LENGTH_ROUNDS = 3;

export type DecisionHow = 'direct' | 'indirect';

/** A settled leader slot: committed (with the vertex that won the slot) or skipped. */
export type LeaderDecision =
  | { readonly status: 'commit'; readonly round: number; readonly leader: number; readonly vertex: VertexRef; readonly how: DecisionHow }
  | { readonly status: 'skip'; readonly round: number; readonly leader: number; readonly how: DecisionHow };

type SlotStatus = LeaderDecision | { readonly status: 'undecided'; readonly round: number; readonly leader: number };

/** Thrown when the DAG proves the fault assumption broken: two certified vertices in one slot. */
export class CommitRuleInvariantError extends Error {
  readonly code = 'TWO_CERTIFIED_LEADER_VERTICES';
  constructor(readonly round: number, readonly leader: number) {
    super(`commit rule: two vertices of leader slot (round ${round}, author ${leader}) are certified — more than f faulty stake`);
    this.name = 'CommitRuleInvariantError';
  }
}

function leaderAt(committee: Committee, elector: LeaderElector, round: number): number {
  const leader = elector.leaderOf(round);
  if (!Number.isSafeInteger(leader) || leader < 0 || leader >= committee.members.length) {
    throw new RangeError(`leader schedule named author ${leader} for round ${round}; committee has ${committee.members.length}`);
  }
  return leader;
}

function decideDirectly(dag: DagView, committee: Committee, round: number, leader: number): SlotStatus {
  // Blame and votes both come from round + 1: too few vertices there for a quorum, neither can decide.
  if (dag.round(round + 1).length < minQuorumMembers(committee)) return Object.freeze({ status: 'undecided', round, leader });
  const tally = tallySlot(dag, committee, round, leader);
  if (isQuorum(committee, tally.blameStake)) return Object.freeze({ status: 'skip', round, leader, how: 'direct' });
  const supported = dag.slot(round, leader).filter((v) => hasQuorumSupport(dag, committee, v.ref, tally.votersOf(v.ref)));
  if (supported.length > 1) throw new CommitRuleInvariantError(round, leader);
  const winner = supported[0];
  if (winner === undefined) return Object.freeze({ status: 'undecided', round, leader });
  return Object.freeze({ status: 'commit', round, leader, vertex: winner.ref, how: 'direct' });
}

/** Decides slot (round, leader) from `anchor`, a committed leader vertex at ≥ round + 3. */
function decideFromAnchor(dag: DagView, committee: Committee, round: number, leader: number, anchor: VertexRef): LeaderDecision {
  const certificates = ancestorsAtRound(dag, heldVertex(dag, anchor), round + 2);
  const certified = dag.slot(round, leader).filter((v) => {
    const voters = votersFor(dag, committee, v.ref);
    return certificates.some((c) => certifies(committee, c, v.ref, voters));
  });
  if (certified.length > 1) throw new CommitRuleInvariantError(round, leader);
  const winner = certified[0];
  if (winner === undefined) return Object.freeze({ status: 'skip', round, leader, how: 'indirect' });
  return Object.freeze({ status: 'commit', round, leader, vertex: winner.ref, how: 'indirect' });
}

/** `later` holds the statuses of rounds round+1, round+2, … in ascending order. */
function decideIndirectly(dag: DagView, committee: Committee, round: number, leader: number, later: readonly SlotStatus[]): SlotStatus {
  for (const candidate of later) {
    if (candidate.round < round + WAVE_LENGTH_ROUNDS || candidate.status === 'skip') continue;
    if (candidate.status === 'undecided') break;
    return decideFromAnchor(dag, committee, round, leader, candidate.vertex);
  }
  return Object.freeze({ status: 'undecided', round, leader });
}

/**
 * The leaders newly decided after `lastDecidedRound`, in round order, up to (not including) the
 * first undecided slot. Work is bounded by the rounds the DAG holds above `lastDecidedRound`.
 * Round 0 is genesis and has no leader: start with `lastDecidedRound = 0`.
 */
export function tryDecide(dag: DagView, committee: Committee, schedule: LeaderElector, lastDecidedRound: number): readonly LeaderDecision[] {
  if (!Number.isSafeInteger(lastDecidedRound) || lastDecidedRound < 0) {
    throw new RangeError(`tryDecide: lastDecidedRound must be a non-negative safe integer, got ${lastDecidedRound}`);
  }
  // A slot needs at least its voting round before anything can be said about it.
  const highestSlotRound = dag.highestRound() - 1;
  if (highestSlotRound <= lastDecidedRound) return Object.freeze([]);
  if (lastDecidedRound + 1 < dag.lowestRound()) {
    throw new RangeError(`tryDecide: slot ${lastDecidedRound + 1} is below the DAG's lowest round ${dag.lowestRound()} (garbage-collected); catch up by certified commits`);
  }
  // Highest slot first: indirect decisions look upward for their anchor.
  const statuses: SlotStatus[] = [];
  for (let round = highestSlotRound; round > lastDecidedRound; round--) {
    const leader = leaderAt(committee, schedule, round);
    const direct = decideDirectly(dag, committee, round, leader);
    statuses.unshift(direct.status === 'undecided' ? decideIndirectly(dag, committee, round, leader, statuses) : direct);
  }
  const decided: LeaderDecision[] = [];
  for (const status of statuses) {
    if (status.status === 'undecided') break;
    decided.push(status);
  }
  return Object.freeze(decided);
}

/** What the commit rule counts; view changes are skipped leaders. Timeouts are the validator's. */
export type CommitCounters = {
  readonly committedLeaders: number;
  readonly skippedLeaders: number;
  readonly directCommits: number;
  readonly indirectCommits: number;
  readonly directSkips: number;
  readonly indirectSkips: number;
};

export const ZERO_COMMIT_COUNTERS: CommitCounters = Object.freeze({
  committedLeaders: 0,
  skippedLeaders: 0,
  directCommits: 0,
  indirectCommits: 0,
  directSkips: 0,
  indirectSkips: 0,
});

/** `counters` advanced by `decisions`. */
export function countDecisions(counters: CommitCounters, decisions: readonly LeaderDecision[]): CommitCounters {
  const next: { -readonly [K in keyof CommitCounters]: number } = { ...counters };
  for (const d of decisions) {
    if (d.status === 'commit') {
      next.committedLeaders++;
      if (d.how === 'direct') next.directCommits++;
      else next.indirectCommits++;
    } else {
      next.skippedLeaders++;
      if (d.how === 'direct') next.directSkips++;
      else next.indirectSkips++;
    }
  }
  return Object.freeze(next);
}
