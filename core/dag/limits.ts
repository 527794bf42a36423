/**
 * The bounds a vertex must respect, with the reason for each default.
 *
 * DESIGN.md §2 DAG and consensus; docs/protocol.md "DAG". Most bounds come from the genesis
 * parameters (`ProtocolParams`: max_parents, max_transactions_per_block, max_tx_bytes,
 * max_forward_drift_ms); the rest are DAG-local choices every node of one chain should share
 * (a node with tighter ones would refuse vertices its peers accept), so they have defaults here
 * and are overridable only together with the parameters.
 */
import type { ProtocolParams } from '../state/index.ts';

export type DagLimits = {
  /** Parent references per vertex, strong and weak together (genesis `max_parents`). */
  readonly maxParents: number;
  /** Parents at rounds below round − 1 ("weak links"); default DEFAULT_MAX_WEAK_LINKS. */
  readonly maxWeakLinks: number;
  /** A vertex more than this many rounds above the highest known round is refused. */
  readonly maxFutureRounds: number;
  /** A vertex timestamp more than this far ahead of the local clock is refused (genesis `max_forward_drift_ms`). */
  readonly maxForwardDriftMs: number;
  /** Transactions per vertex (genesis `max_transactions_per_block`). */
  readonly maxTransactionsPerVertex: number;
  /** Bytes of one signed transaction (genesis `max_tx_bytes`). */
  readonly maxTransactionBytes: number;
  /** Bytes of all transactions of one vertex together. */
  readonly maxVertexTransactionBytes: number;
  /** Evidence entries per vertex. */
  readonly maxEvidencePerVertex: number;
};

/**
 * Weak links exist only to pull in vertices that missed every round − 1 parent's history
 * (stragglers: a few authors, usually one or two a round). 16 × ~40 bytes adds under 1 KB to a
 * vertex; a straggler beyond that is picked up by the next own vertex.
 */
export const DEFAULT_MAX_WEAK_LINKS = 16;

/**
 * Half the default gc depth (60 rounds): a node up to 30 rounds behind can still fetch every
 * missing ancestor of what it buffers from peers, which keep 60 rounds. Further behind, it
 * must catch up by certified commit ranges instead (DESIGN.md §2 Catch-up), so buffering
 * vertices further ahead would only let junk fill memory (cf. Sui's future_flooding_test).
 * At 50–100 ms rounds this is 1.5–3 s, 3–6 × max_forward_drift_ms.
 */
export const DEFAULT_MAX_FUTURE_ROUNDS = 30;

/**
 * 4 MiB: the default 1,000 transactions of an ML-DSA-44 transfer (~2.6 KB each) fit with room,
 * while a vertex (and the gossip message that carries it) stays far below the 64 MB that
 * 1,000 × max_tx_bytes would allow.
 */
export const DEFAULT_MAX_VERTEX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/**
 * Evidence is rare (one entry convicts one slot for good); 8 per vertex lets a validator
 * report a burst of equivocations at once while an entry (~36 KB worst case, SLH-DSA) keeps a
 * vertex's evidence under 300 KB.
 */
export const DEFAULT_MAX_EVIDENCE_PER_VERTEX = 8;

/** The DAG bounds of a chain with these genesis parameters; `overrides` for the DAG-local ones. */
export function dagLimitsFromParams(
  params: ProtocolParams,
  overrides: Partial<Pick<DagLimits, 'maxWeakLinks' | 'maxFutureRounds' | 'maxVertexTransactionBytes' | 'maxEvidencePerVertex'>> = {},
): DagLimits {
  const limits: DagLimits = {
    maxParents: params.maxParents,
    maxWeakLinks: overrides.maxWeakLinks ?? DEFAULT_MAX_WEAK_LINKS,
    maxFutureRounds: overrides.maxFutureRounds ?? DEFAULT_MAX_FUTURE_ROUNDS,
    maxForwardDriftMs: params.maxForwardDriftMs,
    maxTransactionsPerVertex: params.maxTransactionsPerBlock,
    maxTransactionBytes: params.maxTxBytes,
    maxVertexTransactionBytes: overrides.maxVertexTransactionBytes ?? DEFAULT_MAX_VERTEX_TRANSACTION_BYTES,
    maxEvidencePerVertex: overrides.maxEvidencePerVertex ?? DEFAULT_MAX_EVIDENCE_PER_VERTEX,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`dagLimitsFromParams: ${name} must be a non-negative integer`);
  }
  return Object.freeze(limits);
}
