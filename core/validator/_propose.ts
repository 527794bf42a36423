/**
 * When the validator proposes, and what its vertex holds.
 *
 * DESIGN.md §2 "Rounds": a validator moves to round r when it holds a quorum of round r − 1
 * and the round r − 1 leader's vertex, or when the leader timeout fired; docs/protocol.md
 * "The validator" adds the floor `min_round_delay_ms` between two own proposals (so vertices
 * carry batches) and the catch-up rule: a validator whose DAG holds a quorum at a round above
 * its own jumps to the round after the highest such round (as Mysticeti's core does), instead
 * of signing every round it missed.
 */
import type { Committee } from '../consensus/committee.ts';
import type { LeaderElector } from '../consensus/leaderSchedule.ts';
import type { DagLimits, DagStore, Vertex } from '../dag/index.ts';
import { selectParents } from '../dag/index.ts';
import type { VerifyItem } from '../crypto/index.ts';
import { txVerifyItems } from '../state/index.ts';
import type { ValidatorMempool } from './types.ts';
import type { TxChooser } from './_txChoice.ts';
import type { CheckpointVote } from '../consensus/checkpointSign.ts';

/** The round the validator should propose next, given the last own round. */
export function proposalTarget(store: DagStore, ownRound: number): number {
  // Bounded by the rounds above the own one that the store holds (≤ max_future_rounds).
  for (let r = store.highestRound(); r > ownRound; r--) if (store.roundHasQuorum(r)) return r + 1;
  return ownRound + 1;
}

/**
 * The leader timeout after `consecutiveTimeouts` timeouts in a row: the base for the first two
 * (one dead leader must not slow the round after it), then doubled each time, capped.
 */
export function leaderTimeoutMs(baseMs: number, consecutiveTimeouts: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, consecutiveTimeouts - 1), 30));
}

export type Readiness =
  | { readonly ready: true; readonly leaderPresent: boolean }
  | { readonly ready: false; readonly waitingFor: 'quorum' | 'leader' }
  | { readonly ready: false; readonly waitingFor: 'delay'; readonly atMs: number };

export type ReadinessInput = {
  readonly store: DagStore;
  readonly schedule: LeaderElector;
  readonly target: number;
  readonly nowMs: number;
  readonly lastProposalMs: number;
  readonly minRoundDelayMs: number;
  /** Highest target round whose leader timeout fired. */
  readonly timedOutRound: number;
};

export function readiness(input: ReadinessInput): Readiness {
  const { store, schedule, target } = input;
  if (target > 1 && !store.roundHasQuorum(target - 1)) return { ready: false, waitingFor: 'quorum' };
  const leaderPresent = target === 1 || store.slot(target - 1, schedule.leaderOf(target - 1)).length > 0;
  if (!leaderPresent && input.timedOutRound < target) return { ready: false, waitingFor: 'leader' };
  const atMs = input.lastProposalMs + input.minRoundDelayMs;
  if (input.nowMs < atMs) return { ready: false, waitingFor: 'delay', atMs };
  return { ready: true, leaderPresent };
}

export type ProposalInput = {
  readonly store: DagStore;
  readonly committee: Committee;
  readonly limits: DagLimits;
  readonly chainId: string;
  readonly self: number;
  readonly round: number;
  readonly nowMs: number;
  readonly mempool: ValidatorMempool;
  /** Which pooled transactions this validator proposes now (_txChoice.ts). */
  readonly choose: TxChooser;
  readonly evidence: readonly Uint8Array[];
  readonly vote: CheckpointVote | undefined;
  /** False while the epoch is closing: nothing more of it executes, so no transactions ride. */
  readonly withTransactions: boolean;
};

export type Proposal = {
  readonly vertex: Vertex;
  /** Signature jobs the mempool already verified (its admission is the check). */
  readonly knownValid: readonly VerifyItem[];
};

/** The own vertex for `round`, or undefined when parents cannot be chosen (no quorum). */
export function buildProposal(input: ProposalInput): Proposal | undefined {
  const { store, limits } = input;
  const parents = selectParents(store, input.committee, input.round, { maxParents: limits.maxParents, maxWeakLinks: limits.maxWeakLinks });
  if (!parents.ok) return undefined;
  // Never before a parent: the store refuses a vertex older than its parents.
  let timestampMs = input.nowMs;
  for (const p of parents.value) timestampMs = Math.max(timestampMs, store.get(p)?.signed.vertex.timestampMs ?? 0);
  const candidates = !input.withTransactions ? [] : input.mempool.select({ maxTxs: limits.maxTransactionsPerVertex, maxBytes: 2 * limits.maxVertexTransactionBytes, choose: input.choose });
  const chosen: typeof candidates[number][] = [];
  let bytes = 0;
  for (const pooled of candidates) {
    // Stop at the first that does not fit: a sender's later nonces must not overtake it.
    if (chosen.length >= limits.maxTransactionsPerVertex || pooled.sizeBytes > limits.maxTransactionBytes) break;
    if (bytes + pooled.sizeBytes > limits.maxVertexTransactionBytes) break;
    chosen.push(pooled);
    bytes += pooled.sizeBytes;
  }
  const vertex: Vertex = Object.freeze({
    chainId: input.chainId,
    epoch: input.committee.epoch,
    round: input.round,
    author: input.self,
    parents: parents.value,
    timestampMs,
    transactions: Object.freeze(chosen.map((p) => p.encoded)),
    checkpointSignature: input.vote,
    evidence: Object.freeze([...input.evidence]),
  });
  return Object.freeze({
    vertex,
    knownValid: Object.freeze(chosen.flatMap((p) => txVerifyItems(p.signedTx, p.senderKey))),
  });
}
