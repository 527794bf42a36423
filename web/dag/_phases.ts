/**
 * PBFT's three phases of one leader slot, read off the DAG (docs/protocol.md "The rule"):
 *
 *   pre-prepare  the leader's vertex V at round r (several if the leader equivocated)
 *   prepare      round r+1 vertices that VOTE for V: V is their only parent in slot (r, L)
 *   commit       round r+2 vertices that CERTIFY V: their r+1 parents voting for V hold a quorum
 *   blame        round r+1 vertices with no parent in the slot (a quorum of them skips it)
 *
 * Stake is counted per distinct author. This mirrors core/consensus/_votes.ts over the view's
 * own vertex records: the view draws what the rule sees, it does not decide (decisions come
 * from the validators' own `committed`/`skipped` reports).
 */
import { distinctAuthorStake, type StakeTable } from './_stake.ts';
import type { DagRef } from './types.ts';
import { refKey, type VertexKey, type ViewVertex } from './vertex.ts';

/** One vertex of a leader slot with the vertices that prepare and commit it. */
export type LeaderCandidate = {
  readonly vertex: ViewVertex;
  readonly prepares: readonly ViewVertex[];
  readonly prepareStake: number;
  readonly hasQuorumPrepare: boolean;
  readonly commits: readonly ViewVertex[];
  readonly commitStake: number;
  readonly hasQuorumCommit: boolean;
};

export type LeaderPhases = {
  readonly round: number;
  readonly leader: number;
  /** One per vertex in the slot, in the slot's order; empty when the leader's vertex is unknown. */
  readonly candidates: readonly LeaderCandidate[];
  readonly blame: readonly ViewVertex[];
  readonly blameStake: number;
  readonly hasQuorumBlame: boolean;
};

/** What the phase computation reads of the model. */
export type PhaseSource = {
  readonly stake: StakeTable;
  slot(round: number, author: number): readonly ViewVertex[];
  roundVertices(round: number): readonly ViewVertex[];
};

export function computeLeaderPhases(source: PhaseSource, round: number, leader: number): LeaderPhases {
  const slotVertices = source.slot(round, leader);
  const votersByCandidate = new Map<VertexKey, ViewVertex[]>(slotVertices.map((v) => [v.key, []]));
  const blame: ViewVertex[] = [];
  for (const voter of source.roundVertices(round + 1)) {
    let inSlot: DagRef | undefined;
    let inSlotCount = 0;
    for (const parent of voter.parents) {
      if (parent.round !== round || parent.author !== leader) continue;
      inSlot = parent;
      inSlotCount++;
    }
    if (inSlot === undefined) blame.push(voter);
    // Two parents in one slot make a vertex neither vote nor blame (it is invalid anyway).
    else if (inSlotCount === 1) votersByCandidate.get(refKey(inSlot))?.push(voter);
  }
  const quorum = source.stake.quorumStake;
  const candidates = slotVertices.map((vertex): LeaderCandidate => {
    const prepares = votersByCandidate.get(vertex.key) ?? [];
    const prepareStake = distinctAuthorStake(source.stake, prepares.map((v) => v.author));
    const commits = certificatesFor(source, round + 2, prepares);
    const commitStake = distinctAuthorStake(source.stake, commits.map((v) => v.author));
    return Object.freeze({
      vertex,
      prepares: Object.freeze(prepares),
      prepareStake,
      hasQuorumPrepare: prepareStake >= quorum,
      commits: Object.freeze(commits),
      commitStake,
      hasQuorumCommit: commitStake >= quorum,
    });
  });
  const blameStake = distinctAuthorStake(source.stake, blame.map((v) => v.author));
  return Object.freeze({
    round,
    leader,
    candidates: Object.freeze(candidates),
    blame: Object.freeze(blame),
    blameStake,
    hasQuorumBlame: blameStake >= quorum,
  });
}

/**
 * Round `commitRound` vertices whose parents among `voters` are worth a quorum of stake.
 * Runs for every slot in view (n² parent checks at n validators), so it allocates nothing per
 * parent: voters are looked up by author, then digest.
 */
function certificatesFor(source: PhaseSource, commitRound: number, voters: readonly ViewVertex[]): ViewVertex[] {
  if (voters.length === 0) return [];
  const voterDigestsByAuthor = new Map<number, string[]>();
  for (const voter of voters) {
    const digests = voterDigestsByAuthor.get(voter.author);
    if (digests === undefined) voterDigestsByAuthor.set(voter.author, [voter.ref.digest]);
    else digests.push(voter.ref.digest);
  }
  const { stakes, quorumStake } = source.stake;
  // seenBy[author] = index of the last candidate certificate that counted `author`.
  const seenBy = new Int32Array(stakes.length).fill(-1);
  const certificates: ViewVertex[] = [];
  source.roundVertices(commitRound).forEach((vertex, index) => {
    let stake = 0;
    for (const parent of vertex.parents) {
      if (parent.round !== commitRound - 1 || seenBy[parent.author] === index) continue;
      if (voterDigestsByAuthor.get(parent.author)?.includes(parent.digest) !== true) continue;
      seenBy[parent.author] = index;
      stake += stakes[parent.author] ?? 0;
    }
    if (stake >= quorumStake) certificates.push(vertex);
  });
  return certificates;
}
