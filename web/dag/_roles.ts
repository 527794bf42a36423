/**
 * Which PBFT phase a vertex plays for which leader (docs/protocol.md "The rule"): a round-r
 * vertex can be the pre-prepare of slot r, a prepare (vote) or a blame for the leader of r-1,
 * and a commit (certificate) for the leader of r-2 — all three at once, which is how the DAG
 * pipelines PBFT: every round starts one instance, votes in the previous, commits the one before.
 */
import type { LeaderPhases } from './_phases.ts';
import type { ObserverDecision } from './_roundWindow.ts';
import type { DagRef } from './types.ts';
import type { ViewVertex } from './vertex.ts';

export type VertexRole =
  | { readonly phase: 'pre-prepare'; readonly leaderRound: number; readonly leader: number; readonly decision: ObserverDecision | undefined }
  | { readonly phase: 'prepare'; readonly leaderRound: number; readonly leader: number; readonly leaderVertex: DagRef }
  | { readonly phase: 'blame'; readonly leaderRound: number; readonly leader: number }
  | { readonly phase: 'commit'; readonly leaderRound: number; readonly leader: number; readonly leaderVertex: DagRef };

export type RoleSource = {
  leaderOf(round: number): number | undefined;
  phases(round: number): LeaderPhases | undefined;
  /** The observer's decision on a round's leader slot. */
  decision(round: number): ObserverDecision | undefined;
};

export function vertexRoles(vertex: ViewVertex, source: RoleSource): VertexRole[] {
  const roles: VertexRole[] = [];
  const round = vertex.round;
  if (source.leaderOf(round) === vertex.author) {
    roles.push(Object.freeze({ phase: 'pre-prepare', leaderRound: round, leader: vertex.author, decision: source.decision(round) }));
  }
  const previous = source.phases(round - 1);
  if (previous !== undefined) {
    const voted = previous.candidates.find((c) => c.prepares.includes(vertex));
    if (voted !== undefined) roles.push(Object.freeze({ phase: 'prepare', leaderRound: previous.round, leader: previous.leader, leaderVertex: voted.vertex.ref }));
    else if (previous.blame.includes(vertex)) roles.push(Object.freeze({ phase: 'blame', leaderRound: previous.round, leader: previous.leader }));
  }
  const twoBack = source.phases(round - 2);
  for (const candidate of twoBack?.candidates ?? []) {
    if (candidate.commits.includes(vertex)) roles.push(Object.freeze({ phase: 'commit', leaderRound: round - 2, leader: candidate.vertex.author, leaderVertex: candidate.vertex.ref }));
  }
  return roles;
}
