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
 * its transactions would be lost to gc. Newest first (a newer vertex covers its own history),
 * one per slot, at most `maxWeakLinks` and never beyond `maxParents` in total.
 */
import { isQuorum, stakeOf, type Committee } from '../consensus/committee.ts';
import { err, ok, type Result } from '../result.ts';
import { compareRefs, refKey, slotKey } from './_ref.ts';
import type { DagView, VertexRef } from './types.ts';

export type ParentSelectionLimits = { readonly maxParents: number; readonly maxWeakLinks: number };

export type ParentSelectionReject = { readonly code: 'NO_QUORUM'; readonly round: number; readonly stake: bigint; readonly quorumStake: bigint };

/** The parents of a new own vertex at `round` (≥ 1), in canonical order; NO_QUORUM until r − 1 has a quorum. */
export function selectParents(
  dag: DagView,
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
  const weak = room > 0 ? weakLinks(dag, strong, round, room) : [];
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

/** Marks `from` and its held ancestors (down to the gc round) as covered. */
function cover(dag: DagView, from: readonly VertexRef[], covered: Set<string>, coveredSlots: Set<string>): void {
  const stack = [...from];
  // Each held vertex is pushed at most once (covered is checked first): bounded by the DAG.
  while (stack.length > 0) {
    const ref = stack.pop() as VertexRef;
    const key = refKey(ref);
    if (covered.has(key)) continue;
    const v = dag.get(ref);
    if (v === undefined) continue;
    covered.add(key);
    coveredSlots.add(slotKey(ref.round, ref.author));
    for (const p of v.parents) if (!covered.has(refKey(p))) stack.push(p);
  }
}

function weakLinks(dag: DagView, strong: readonly VertexRef[], round: number, room: number): VertexRef[] {
  const covered = new Set<string>();
  const coveredSlots = new Set<string>();
  cover(dag, strong, covered, coveredSlots);
  const links: VertexRef[] = [];
  const lowest = Math.max(1, dag.lowestRound());
  for (let r = round - 2; r >= lowest && links.length < room; r--) {
    for (const v of dag.round(r)) {
      if (links.length >= room) break;
      if (covered.has(refKey(v.ref)) || coveredSlots.has(slotKey(r, v.ref.author))) continue;
      links.push(v.ref);
      cover(dag, [v.ref], covered, coveredSlots);
    }
  }
  return links;
}
