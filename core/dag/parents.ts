/**
 * Parent selection for the node's own vertex of round r.
 *
 * DESIGN.md §2 DAG and consensus; docs/protocol.md "DAG". Strong parents: one vertex per
 * author of round r − 1 that the DAG holds — every one, not just a quorum, so the next leader
 * gets as many votes as possible. For an equivocating author the vertex with the lowest digest
 * is taken: a rule every node applies alike, so equal DAGs give equal parents (an equivocator
 * gains nothing by choosing, since any one of its vertices is as good). Should more authors
 * than `maxParents` be present, the largest stakes are kept (ties: lower index).
 *
 * Weak links: vertices of rounds [max(1, gcRound), r − 2] outside the strong parents' causal
 * history — a straggler's vertex that no one referenced would otherwise never be ordered and
 * its transactions would be lost to gc. They are found among the DAG's tips (see weakLinks),
 * newest first (a newer vertex covers its own history), one per slot, at most `maxWeakLinks`
 * and never beyond `maxParents` in total.
 */
import { isQuorum, stakeOf, type Committee } from '../consensus/committee.ts';
import { err, ok, type Result } from '../result.ts';
import { compareRefs, slotKey } from './_ref.ts';
import type { DagVertex, DagView, VertexRef } from './types.ts';

export type ParentSelectionLimits = { readonly maxParents: number; readonly maxWeakLinks: number };

export type ParentSelectionReject = { readonly code: 'NO_QUORUM'; readonly round: number; readonly stake: bigint; readonly quorumStake: bigint };

/** The parents of a new own vertex at `round` (≥ 1), in canonical order; NO_QUORUM until r − 1 has a quorum. */
export function selectParents(
  dag: TipsView,
  committee: Committee,
  round: number,
  limits: ParentSelectionLimits,
): Result<readonly VertexRef[], ParentSelectionReject> {
  if (!Number.isSafeInteger(round) || round < 1) throw new RangeError('selectParents: round must be a positive integer');
  if (round === 1) return ok(Object.freeze([]));
  const strong = strongParents(dag, committee, round - 1, limits.maxParents);
  const stake = stakeOf(committee, strong.map((p) => p.author));
  if (!isQuorum(committee, stake)) return err({ code: 'NO_QUORUM', round: round - 1, stake, quorumStake: committee.quorumStake });
  const room = Math.min(limits.maxWeakLinks, limits.maxParents - strong.length);
  const weak = room > 0 ? weakLinks(dag, round, room) : [];
  return ok(Object.freeze([...weak, ...strong].sort(compareRefs)));
}

function strongParents(dag: DagView, committee: Committee, round: number, maxParents: number): VertexRef[] {
  const byAuthor = new Map<number, VertexRef>();
  // dag.round lists (author, digest) ascending: the first of each author has the lowest digest.
  for (const v of dag.round(round)) if (!byAuthor.has(v.ref.author)) byAuthor.set(v.ref.author, v.ref);
  const refs = [...byAuthor.values()];
  if (refs.length <= maxParents) return refs;
  const stakeOfAuthor = (a: number): bigint => (committee.members[a] as Committee['members'][number]).stake;
  refs.sort((a, b) => {
    const d = stakeOfAuthor(b.author) - stakeOfAuthor(a.author);
    return d > 0n ? 1 : d < 0n ? -1 : a.author - b.author;
  });
  return refs.slice(0, maxParents);
}

/** What weak-link selection reads of the DAG beyond `DagView`: the store's tips. */
export type TipsView = DagView & {
  /** Accepted vertices no accepted vertex names as a parent. */
  tips(): Iterable<DagVertex>;
  isReferenced(ref: VertexRef): boolean;
};

/**
 * Weak links come from the DAG's TIPS: vertices no accepted vertex names as a parent. A vertex
 * of round ≤ r − 2 is in the strong parents' causal history only if some path of children
 * leads up to round r − 1, so a tip of those rounds is never covered — and every vertex that is
 * not covered lies below some uncovered tip, which covers it once linked (newest first). That
 * makes selection proportional to the number of tips (a handful) instead of a walk over the
 * whole DAG window at every proposal, which dominated large committees.
 * One per slot: a tip whose slot also holds a referenced vertex (an equivocator's twin) is
 * skipped, as is a second tip of a slot already linked.
 */
function weakLinks(dag: TipsView, round: number, room: number): VertexRef[] {
  const lowest = Math.max(1, dag.lowestRound());
  const candidates: VertexRef[] = [];
  for (const tip of dag.tips()) if (tip.ref.round >= lowest && tip.ref.round <= round - 2) candidates.push(tip.ref);
  // Newest first; within a round the canonical order, so equal DAGs give equal links.
  candidates.sort((a, b) => (a.round !== b.round ? b.round - a.round : compareRefs(a, b)));
  const links: VertexRef[] = [];
  const linkedSlots = new Set<string>();
  for (const ref of candidates) {
    if (links.length >= room) break;
    const slot = slotKey(ref.round, ref.author);
    if (linkedSlots.has(slot)) continue;
    if (dag.slot(ref.round, ref.author).some((v) => dag.isReferenced(v.ref))) continue;
    linkedSlots.add(slot);
    links.push(ref);
  }
  return links;
}
