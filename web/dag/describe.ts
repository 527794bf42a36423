/**
 * Plain-words text for the DAG view: what a vertex is and which PBFT phase it plays, for the
 * details panel, the canvas's accessible summary and its live region (a screen reader hears
 * the same facts a sighted person reads off the colours).
 */
import type { ObserverDecision, VertexDetails, VertexRole } from './model.ts';
import type { DagRef } from './types.ts';

export const validatorName = (index: number): string => `v${index}`;

export function shortDigest(digest: string): string {
  return digest.length <= 12 ? digest : `${digest.slice(0, 8)}…${digest.slice(-4)}`;
}

export function refText(ref: DagRef): string {
  return `${validatorName(ref.author)} at round ${ref.round} (${shortDigest(ref.digest)})`;
}

export function decisionText(decision: ObserverDecision | undefined): string {
  if (decision === undefined) return 'not decided yet';
  const how = decision.how === undefined ? '' : ` ${decision.how}ly`;
  return decision.status === 'committed' ? `committed${how} as commit ${decision.index}` : `skipped${how} (a view change)`;
}

export function roleText(role: VertexRole): string {
  const leader = `leader ${validatorName(role.leader)} at round ${role.leaderRound}`;
  switch (role.phase) {
    case 'pre-prepare':
      return `pre-prepare: it is the ${leader}'s proposal, ${decisionText(role.decision)}`;
    case 'prepare':
      return `prepare: votes for the ${leader}`;
    case 'blame':
      return `blame: does not reference the ${leader}, counting towards skipping it`;
    case 'commit':
      return `commit: certifies the ${leader} (its votes for it hold a quorum)`;
  }
}

/** One sentence for a selected vertex (the live region announces it). */
export function vertexSentence(details: VertexDetails): string {
  const v = details.vertex;
  const roles = details.roles.length === 0 ? 'no PBFT phase for a known leader' : details.roles.map(roleText).join('; ');
  const equivocation = details.equivocation ? ' Its author equivocated in this slot.' : '';
  return `Vertex of ${validatorName(v.author)} at round ${v.round}, ${v.transactions} transactions, ${v.parents.length} parents: ${roles}.${equivocation}`;
}
