/**
 * The mempool's public vocabulary: its components, options, rejects, outcomes and statistics.
 *
 * DESIGN.md §2 Ledger ("Mempool: bounded, fee-prioritised, per-sender nonce ordering;
 * duplicates, oversized or malformed transactions get typed errors"). Every refusal is a value
 * keyed by `code` (HOUSE-RULES 8): the stateless ones of `decodeSignedTx` (`TxReject`), the
 * sender-key ones of `checkSenderKey` (`SenderKeyReject`), and the mempool's own below.
 */
import type { Hash32, TaggedPublicKey, VerifyItem } from '../../crypto/index.ts';
import type { SenderKeyReject, TxReject } from '../txReject.ts';
import type { Account, Address, SignedTx } from '../types.ts';

/** A transaction id: `txId(tx)`, BLAKE3 of the unsigned encoding (txCodec.ts). */
export type TxId = Hash32;

/**
 * Read access to committed ledger state. The mempool treats one view as immutable: a new state
 * arrives as a new view through `onCommitted`.
 */
export type AccountView = { account(address: Address): Account | undefined };

/** What the mempool needs of a verify pool (core/crypto verifyPool.ts): one boolean per item. */
export type TxVerifier = { verifyBatch(items: readonly VerifyItem[]): Promise<boolean[]> };

/** Optional counters (HOUSE-RULES 15: free when absent). */
export interface MempoolMetrics {
  admitted(status: AdmitStatus): void;
  rejected(code: MempoolRejectCode): void;
  /** Transactions that left the pool other than by `select`: evicted, committed or dropped. */
  removed(reason: RemovalReason, count: number): void;
  /** Pool size after every change. */
  size(txs: number, bytes: number): void;
}

/** Optional structured log (HOUSE-RULES 15). */
export interface MempoolLogger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export type RemovalReason = 'evicted' | 'committed' | 'dropped';

export type MempoolComponents = {
  /** Verifies transaction signatures; share the node's verify pool so its cache serves everyone. */
  readonly verifier: TxVerifier;
  /** Committed state at creation; replaced by each `onCommitted`. */
  readonly accounts: AccountView;
  readonly metrics?: MempoolMetrics;
  readonly logger?: MempoolLogger;
};

export type MempoolInit = {
  /** The chain this node runs; transactions for another chain are `WRONG_CHAIN`. Required. */
  readonly chainId: string;
  /** Most transactions held. Default `max_mempool_txs` (50,000, params.ts). */
  readonly maxTxs?: number;
  /** Most encoded bytes held. Default `max_mempool_bytes` (256 MiB, params.ts). */
  readonly maxBytes?: number;
  /** Largest encoded transaction accepted. Default `max_tx_bytes` (64 KiB, params.ts). */
  readonly maxTxBytes?: number;
  /**
   * Most transactions held per sender, ready and queued together; also the nonce window: a
   * nonce at or beyond `account nonce + maxPerSender` is refused. Default 64.
   */
  readonly maxPerSender?: number;
  /** Node-local fee floor in base units per encoded byte. Default 0n (no floor). */
  readonly minFeePerByte?: bigint;
  /** A replacement must pay at least this many percent more per byte. Default 10. */
  readonly replaceBumpPercent?: number;
};

/** The mempool's own reject codes (besides `TxReject` and `SenderKeyReject`). */
export const MEMPOOL_REJECT_CODES = Object.freeze([
  'UNENCODABLE',
  'DUPLICATE',
  'ADMISSION_IN_PROGRESS',
  'NONCE_TOO_LOW',
  'SENDER_KEY_UNKNOWN',
  'SENDER_LIMIT',
  'REPLACEMENT_UNDERPRICED',
  'INSUFFICIENT_BALANCE',
  'FEE_TOO_LOW',
  'BAD_SIGNATURE',
  'SENDER_KEY_CHANGED',
  'VERIFIER_UNAVAILABLE',
] as const);

export type MempoolOwnReject =
  /** `admitTx` got a value the codec cannot encode (e.g. a chain id over 32 bytes). */
  | { readonly code: 'UNENCODABLE'; readonly reason: string }
  /** The same transaction id is pooled or being admitted (a re-signed copy is the same id). */
  | { readonly code: 'DUPLICATE'; readonly id: TxId }
  /** Another transaction for this sender and nonce is being verified right now; retry later. */
  | { readonly code: 'ADMISSION_IN_PROGRESS'; readonly nonce: bigint }
  /** The nonce is below the committed account nonce: already used (replay protection). */
  | { readonly code: 'NONCE_TOO_LOW'; readonly nonce: bigint; readonly accountNonce: bigint }
  /**
   * The account has no key on record and this is not its next transaction, while no pooled
   * transaction carries the key that will verify it: the signature cannot be checked yet.
   */
  | { readonly code: 'SENDER_KEY_UNKNOWN' }
  /** The sender already holds `maxPerSender` transactions, or the nonce lies beyond the window. */
  | { readonly code: 'SENDER_LIMIT'; readonly reason: 'count' | 'nonce-window'; readonly limit: number }
  /** Same sender and nonce as a pooled transaction, without the required fee bump. */
  | { readonly code: 'REPLACEMENT_UNDERPRICED'; readonly existingId: TxId; readonly requiredFee: bigint }
  /** Committed balance < this sender's pooled spend up to and including this transaction. */
  | { readonly code: 'INSUFFICIENT_BALANCE'; readonly required: bigint; readonly balance: bigint }
  /**
   * Below the node's fee floor, or the pool is full and this pays no more per byte than the
   * cheapest transaction it could evict. `requiredFee`: the least fee that would have passed
   * (undefined when no fee would: nothing else can be evicted).
   */
  | { readonly code: 'FEE_TOO_LOW'; readonly reason: 'below-minimum' | 'pool-full'; readonly requiredFee: bigint | undefined }
  /** A signature (the sender's, or a rotate-key possession proof) does not verify. */
  | { readonly code: 'BAD_SIGNATURE' }
  /** The sender's key on record changed while the signature was being verified; resubmit. */
  | { readonly code: 'SENDER_KEY_CHANGED' }
  /** The verify pool could not answer (closed, queue full, workers dead): not the tx's fault. */
  | { readonly code: 'VERIFIER_UNAVAILABLE'; readonly reason: string };

export type MempoolReject = TxReject | SenderKeyReject | MempoolOwnReject;
export type MempoolRejectCode = MempoolReject['code'];

/** `pending`: executable now; `queued`: held behind a nonce gap; `replaced`: took a slot's place. */
export type AdmitStatus = 'pending' | 'queued' | 'replaced';

export type Admitted = { readonly id: TxId; readonly status: AdmitStatus };

/** A pooled transaction as callers see it (frozen). */
export type PooledTx = {
  readonly id: TxId;
  readonly signedTx: SignedTx;
  /** The canonical signed encoding, as it travels. */
  readonly encoded: Uint8Array;
  readonly sizeBytes: number;
  /** The key its signature was verified with. */
  readonly senderKey: TaggedPublicKey;
  /** Where it entered this pool: `local` (a client of this node) or `peer` (relayed). */
  readonly origin: TxOrigin;
};

/**
 * `local`: submitted to this node by a client (the API, a wallet, a simulated user): this node
 * is the one expected to propose it. `peer`: relayed by another node, which is (validators
 * share the pool's contents so that any of them can propose a transaction whose first node
 * failed to).
 */
export type TxOrigin = 'local' | 'peer';

export type AdmitOptions = {
  /** Default `local`. */
  readonly origin?: TxOrigin;
};

/**
 * A selection's verdict on one ready transaction, asked in selection order: `take` it (counts
 * against the limits), `skip` it (already proposed elsewhere: go on with the sender's next
 * nonce), or `later`: nothing of this sender this time (its later nonces cannot go first).
 */
export type Choice = 'take' | 'skip' | 'later';

export type SelectLimits = {
  readonly maxTxs: number;
  readonly maxBytes: number;
  /** Asked once per ready transaction reached; without it every one is taken. */
  readonly choose?: (tx: PooledTx) => Choice;
};

export type MempoolStats = {
  readonly count: number;
  readonly bytes: number;
  /** Transactions in a contiguous nonce run from their sender's committed nonce. */
  readonly ready: number;
  /** Transactions held behind a nonce gap. */
  readonly queued: number;
  readonly senders: number;
  /** Admissions awaiting signature verification. */
  readonly inFlight: number;
  readonly admitted: number;
  readonly replaced: number;
  readonly evicted: number;
  readonly committed: number;
  /** Removed as stale, unaffordable or signed by a key no longer on record. */
  readonly dropped: number;
  readonly rejects: Readonly<Partial<Record<MempoolRejectCode, number>>>;
};
