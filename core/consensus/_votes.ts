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
 * Stake is always counted per distinct author (`stakeOf` deduplicates), so an equivocator's
 * two vertices never count twice.
 */
import type { DagVertex, DagView, VertexRef } from '../dag/types.ts';
import { type Committee, isQuorum, stakeOf } from './committee.ts';
import { refKey, sameRef } from './_vertexRefs.ts';

/**
 * The only parent of `vertex` in slot (round, author); null when it has none, 'several' when
 * more. Parents are in canonical order (round, author, digest — vertex validation refuses any
 * other), so the slot is found by binary search: this runs for every vertex of a round, for
 * every undecided leader, on every arrival.
 */
function slotParent(vertex: DagVertex, round: number, author: number): VertexRef | null | 'several' {
  const parents = vertex.parents;
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
  const next = parents[low + 1];
  return next !== undefined && next.round === round && next.author === author ? 'several' : found;
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

export function votersFor(dag: DagView, committee: Committee, leader: VertexRef): Voters {
  const byAuthor = new Map<number, VertexRef[]>();
  for (const v of dag.round(leader.round + 1)) {
    if (!isVote(v, leader)) continue;
    const list = byAuthor.get(v.ref.author);
    if (list === undefined) byAuthor.set(v.ref.author, [v.ref]);
    else list.push(v.ref);
  }
  return { byAuthor, stake: stakeOf(committee, byAuthor.keys()) };
}

function isVoter(voters: Voters, ref: VertexRef): boolean {
  return voters.byAuthor.get(ref.author)?.some((v) => sameRef(v, ref)) ?? false;
}

/**
 * Whether a candidate certifies a leader never changes once the candidate is in the DAG: it
 * depends only on the candidate's parents, all present when it was accepted, and on whom
 * those parents vote for, fixed by their own parents. So the answer is remembered per stored
 * vertex object (the commit rule asks it again on every arrival until the slot is decided).
 */
const certifiesMemo = new WeakMap<DagVertex, Map<string, boolean>>();

/** `isCommitVertex` with the votes counted once per leader (see votersFor): for scans over many candidates. */
export function certifies(committee: Committee, candidate: DagVertex, leader: VertexRef, voters: Voters): boolean {
  if (candidate.ref.round !== leader.round + 2 || !isQuorum(committee, voters.stake)) return false;
  const leaderKey = refKey(leader);
  let memo = certifiesMemo.get(candidate);
  const known = memo?.get(leaderKey);
  if (known !== undefined) return known;
  const voting = candidate.parents.filter((p) => p.round === leader.round + 1 && isVoter(voters, p)).map((p) => p.author);
  const result = isQuorum(committee, stakeOf(committee, voting));
  if (Object.isFrozen(candidate)) {
    if (memo === undefined) certifiesMemo.set(candidate, (memo = new Map()));
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
  return isQuorum(committee, stakeOf(committee, voters));
}

/** Direct skip: round r+1 vertices worth a quorum reference no vertex of slot (r, author). */
export function hasQuorumBlame(dag: DagView, committee: Committee, round: number, author: number): boolean {
  const blamers = dag.round(round + 1).filter((v) => isBlame(v, round, author)).map((v) => v.ref.author);
  return isQuorum(committee, stakeOf(committee, blamers));
}

/** Direct commit: round r+2 certificates for `leader` worth a quorum of stake. */
export function hasQuorumSupport(dag: DagView, committee: Committee, leader: VertexRef): boolean {
  const voters = votersFor(dag, committee, leader);
  // Without a quorum of votes no vertex can be a certificate: skip the scan.
  if (!isQuorum(committee, voters.stake)) return false;
  const certifiers = dag
    .round(leader.round + 2)
    .filter((v) => certifies(committee, v, leader, voters))
    .map((v) => v.ref.author);
  return isQuorum(committee, stakeOf(committee, certifiers));
}
