/**
 * The three vertex roles of the commit rule, private to it: vote (prepare), blame, and
 * certificate (commit-vertex). DESIGN.md §2 "PBFT on the DAG"; Mysticeti's base committer
 * (`MystenLabs/sui` consensus/core/src/base_committer.rs: is_vote, is_certificate,
 * enough_leader_blame, enough_leader_support).
 *
 * A round r+1 vertex VOTES for leader vertex V of slot (r, L) when V is its only parent in
 * that slot. Mysticeti calls it "support" and finds it by searching the voter's causal history
 * for the first vertex of the slot; with our wave of three rounds (leader r, votes r+1,
 * certificates r+2) that search ends at the voter's own parents, because its other links
 * point to rounds below r. So the direct-parent rule is the same rule, stated without the
 * search. A valid vertex has at most one parent per author (vertex validation); should a
 * vertex ever carry two parents in the slot it votes for neither and blames neither.
 *
 * Stake is always counted per distinct author (`distinctStake`, `stakeOf`), so an equivocator's
 * two vertices never count twice.
 */
import type { DagVertex, DagView, VertexRef } from '../dag/types.ts';
import { type Committee, isQuorum, memberStake, stakeOf } from './committee.ts';
import { refKey, sameRef } from './_vertexRefs.ts';

/**
 * The only parent of `vertex` in slot (round, author); null when it has none, 'several' when
 * more. Parents are in canonical order (round, author, digest — vertex validation refuses any
 * other), so the slot is found by binary search: this runs for every vertex of a round, for
 * every undecided leader, on every arrival. First a guess: an honest vertex names one vertex
 * of every author of the round below, last in its list, so the slot sits `lastAuthor − author`
 * places before the end; a guess that misses costs one probe before the search.
 */
function slotParent(vertex: DagVertex, round: number, author: number): VertexRef | null | 'several' {
  const parents = vertex.parents;
  const last = parents[parents.length - 1];
  if (last !== undefined && last.round === round) {
    const guess = parents.length - 1 - (last.author - author);
    const at = parents[guess];
    if (at !== undefined && at.round === round && at.author === author) return onlyInSlot(parents, guess, round, author);
  }
  let low = 0;
  let high = parents.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const p = parents[mid] as VertexRef;
    if (p.round < round || (p.round === round && p.author < author)) low = mid + 1;
    else high = mid;
  }
  const found = parents[low];
  if (found === undefined || found.round !== round || found.author !== author) return null;
  return onlyInSlot(parents, low, round, author);
}

const inSlot = (p: VertexRef | undefined, round: number, author: number): boolean => p !== undefined && p.round === round && p.author === author;

/** `parents[at]` is in slot (round, author): it, or 'several' when a neighbour is in the slot too. */
function onlyInSlot(parents: readonly VertexRef[], at: number, round: number, author: number): VertexRef | 'several' {
  return inSlot(parents[at - 1], round, author) || inSlot(parents[at + 1], round, author) ? 'several' : (parents[at] as VertexRef);
}

/** True when `voter` (at leader.round + 1) votes for exactly `leader`. */
export function isVote(voter: DagVertex, leader: VertexRef): boolean {
  if (voter.ref.round !== leader.round + 1) return false;
  const parent = slotParent(voter, leader.round, leader.author);
  return parent !== null && parent !== 'several' && sameRef(parent, leader);
}

/** True when `voter` references no vertex of slot (round, author): it blames that leader. */
export function isBlame(voter: DagVertex, round: number, author: number): boolean {
  return voter.ref.round === round + 1 && slotParent(voter, round, author) === null;
}

/** Fetches a vertex the DAG promised to hold (a parent, a leader); its absence is a broken DagView, a bug. */
export function heldVertex(dag: DagView, ref: VertexRef): DagVertex {
  const vertex = dag.get(ref);
  if (vertex === undefined) {
    throw new Error(`DagView is missing vertex ${refKey(ref)} (lowest held round ${dag.lowestRound()}): parents must be present`);
  }
  return vertex;
}

/** The round leader.round + 1 vertices that vote for `leader` (by author), and their authors' stake. */
export type Voters = { readonly byAuthor: ReadonlyMap<number, readonly VertexRef[]>; readonly stake: bigint };

/**
 * Stake of the distinct authors in `authors`, as `stakeOf`; authors taken from a round list come
 * in ascending order (DagView), so a repeat is the previous one and no set is needed. An
 * unsorted list (a DagView breaking its contract) falls back to `stakeOf`.
 */
function distinctStake(committee: Committee, authors: readonly number[]): bigint {
  let sum = 0n;
  let previous = -1;
  for (const author of authors) {
    if (author === previous) continue;
    if (author < previous) return stakeOf(committee, authors);
    previous = author;
    sum += memberStake(committee, author);
  }
  return sum;
}

const quorumSizes = new WeakMap<Committee, number>();

/**
 * The fewest members whose stake can make a quorum: the largest stakes first. A round with fewer
 * vertices than this holds no quorum of anything, whoever authored them — a check that costs
 * nothing, where reading the round costs a pass over it (most arrivals land in an unfinished
 * round, which the commit rule otherwise reads in full at each one).
 */
export function minQuorumMembers(committee: Committee): number {
  const known = quorumSizes.get(committee);
  if (known !== undefined) return known;
  const stakes = committee.members.map((m) => m.stake).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  let sum = 0n;
  let count = 0;
  for (const stake of stakes) {
    if (isQuorum(committee, sum)) break;
    sum += stake;
    count++;
  }
  quorumSizes.set(committee, count);
  return count;
}

/** What round r+1 says about slot (r, author), read in one pass (SlotTally). */
export type SlotTally = {
  /** Stake of the round r+1 authors with a vertex that references no vertex of the slot. */
  readonly blameStake: bigint;
  /** The voters for one vertex of the slot: as `votersFor`, from the same pass. */
  votersOf(leader: VertexRef): Voters;
};

/**
 * Blame and votes for slot (round, author) from one scan of round + 1: the direct decision
 * needs both, and it is asked again on every arrival until the slot is settled, so one pass
 * instead of one per question (and per vertex of the slot) halves the commit rule's work.
 */
export function tallySlot(dag: DagView, committee: Committee, round: number, author: number): SlotTally {
  const blamers: number[] = [];
  // Each vote as (the slot vertex it names, the voter), in two parallel lists.
  const named: VertexRef[] = [];
  const voters: VertexRef[] = [];
  for (const v of dag.round(round + 1)) {
    if (v.ref.round !== round + 1) continue;
    const parent = slotParent(v, round, author);
    if (parent === null) blamers.push(v.ref.author);
    else if (parent !== 'several') {
      named.push(parent);
      voters.push(v.ref);
    }
  }
  return {
    blameStake: distinctStake(committee, blamers),
    votersOf(leader: VertexRef): Voters {
      const byAuthor = new Map<number, VertexRef[]>();
      const authors: number[] = [];
      for (let i = 0; i < voters.length; i++) {
        const voter = voters[i] as VertexRef;
        if (!sameRef(named[i] as VertexRef, leader)) continue;
        const list = byAuthor.get(voter.author);
        if (list === undefined) byAuthor.set(voter.author, [voter]);
        else list.push(voter);
        authors.push(voter.author);
      }
      return { byAuthor, stake: distinctStake(committee, authors) };
    },
  };
}

export function votersFor(dag: DagView, committee: Committee, leader: VertexRef): Voters {
  const byAuthor = new Map<number, VertexRef[]>();
  for (const v of dag.round(leader.round + 1)) {
    if (!isVote(v, leader)) continue;
    const list = byAuthor.get(v.ref.author);
    if (list === undefined) byAuthor.set(v.ref.author, [v.ref]);
    else list.push(v.ref);
  }
  return { byAuthor, stake: distinctStake(committee, [...byAuthor.keys()]) };
}

function isVoter(voters: Voters, ref: VertexRef): boolean {
  return voters.byAuthor.get(ref.author)?.some((v) => sameRef(v, ref)) ?? false;
}

/**
 * Whether a candidate certifies a leader never changes once the candidate is in the DAG: it
 * depends only on the candidate's parents, all present when it was accepted, and on whom
 * those parents vote for, fixed by their own parents. So the answer is remembered per frozen
 * parent list (the commit rule asks it again on every arrival until the slot is decided). The
 * list, not the vertex: where one process runs many validators, their stores wrap one decoded
 * vertex in one object each, but share its parent list, so the answer is worked out once.
 */
const certifiesMemo = new WeakMap<readonly VertexRef[], Map<string, boolean>>();

/** `isCommitVertex` with the votes counted once per leader (see votersFor): for scans over many candidates. */
export function certifies(committee: Committee, candidate: DagVertex, leader: VertexRef, voters: Voters): boolean {
  if (candidate.ref.round !== leader.round + 2 || !isQuorum(committee, voters.stake)) return false;
  const leaderKey = refKey(leader);
  const parents = candidate.parents;
  let memo = certifiesMemo.get(parents);
  const known = memo?.get(leaderKey);
  if (known !== undefined) return known;
  const voting = parents.filter((p) => p.round === leader.round + 1 && isVoter(voters, p)).map((p) => p.author);
  const result = isQuorum(committee, distinctStake(committee, voting));
  if (Object.isFrozen(candidate) && Object.isFrozen(parents)) {
    if (memo === undefined) certifiesMemo.set(parents, (memo = new Map()));
    memo.set(leaderKey, result);
  }
  return result;
}

/**
 * True when `candidate` (at leader.round + 2) is a certificate — a commit-vertex — for
 * `leader`: its parents at leader.round + 1 that vote for `leader` hold a quorum of stake.
 */
export function isCommitVertex(dag: DagView, committee: Committee, candidate: DagVertex, leader: VertexRef): boolean {
  if (candidate.ref.round !== leader.round + 2) return false;
  const voters: number[] = [];
  for (const parentRef of candidate.parents) {
    if (parentRef.round !== leader.round + 1) continue;
    if (isVote(heldVertex(dag, parentRef), leader)) voters.push(parentRef.author);
  }
  return isQuorum(committee, distinctStake(committee, voters));
}

/** Direct skip: round r+1 vertices worth a quorum reference no vertex of slot (r, author). */
export function hasQuorumBlame(dag: DagView, committee: Committee, round: number, author: number): boolean {
  const blamers = dag.round(round + 1).filter((v) => isBlame(v, round, author)).map((v) => v.ref.author);
  return isQuorum(committee, distinctStake(committee, blamers));
}

/** Direct commit: round r+2 certificates for `leader` worth a quorum of stake (`voters`: votersFor, if already counted). */
export function hasQuorumSupport(dag: DagView, committee: Committee, leader: VertexRef, voters: Voters = votersFor(dag, committee, leader)): boolean {
  // Without a quorum of votes no vertex can be a certificate: skip the scan.
  if (!isQuorum(committee, voters.stake)) return false;
  const candidates = dag.round(leader.round + 2);
  if (candidates.length < minQuorumMembers(committee)) return false;
  const certifiers = candidates
    .filter((v) => certifies(committee, v, leader, voters))
    .map((v) => v.ref.author);
  return isQuorum(committee, distinctStake(committee, certifiers));
}
