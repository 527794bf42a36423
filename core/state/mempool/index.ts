/**
 * core/state/mempool — the bounded, fee-per-byte prioritised, per-sender nonce-ordered pool of
 * verified transactions waiting for a vertex (DESIGN.md §2 Ledger). See mempool.ts for the
 * admission order and the concurrency rules.
 */
export {
  DEFAULT_MAX_PER_SENDER,
  DEFAULT_MIN_FEE_PER_BYTE,
  DEFAULT_REPLACE_BUMP_PERCENT,
  createMempool,
  type AdmitResult,
  type Mempool,
} from './mempool.ts';
export {
  MEMPOOL_REJECT_CODES,
  type AccountView,
  type AdmitOptions,
  type AdmitStatus,
  type Choice,
  type Admitted,
  type MempoolComponents,
  type MempoolInit,
  type MempoolLogger,
  type MempoolMetrics,
  type MempoolOwnReject,
  type MempoolReject,
  type MempoolRejectCode,
  type MempoolStats,
  type PooledTx,
  type RemovalReason,
  type SelectLimits,
  type TxId,
  type TxOrigin,
  type TxVerifier,
} from './types.ts';
