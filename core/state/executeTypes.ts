/**
 * The vocabulary of block execution: its context, its typed rejects, per-transaction receipts,
 * and the results of a group of transactions and of a whole block.
 *
 * DESIGN.md §2 Ledger ("order first, execute second … the first valid one wins, the rest are
 * recorded as rejected"). Two kinds of reject, told apart by `feeCharged`:
 * - DROPPED (fee 0, no effect at all): the transaction is not a valid next step of its sender —
 *   stateless rule broken, wrong nonce, wrong or missing key, bad signature, or a balance that
 *   cannot pay the fee. Nobody can be charged for a transaction they might not have signed or
 *   that is not next in their sequence.
 * - CHARGED (fee taken, nonce advanced, carried key recorded): the sender's valid, next
 *   transaction whose body fails against state (insufficient balance or stake, bad evidence, …).
 *   As in Ethereum: the work of ordering and checking it is paid for, and its nonce is used up,
 *   so it cannot be replayed later when it might succeed.
 */
import type { Hash32, VerifyItem } from '../crypto/index.ts';
import type { EvidenceReject } from './evidence.ts';
import type { SlashedSlot, Ledger } from './ledger.ts';
import type { ProtocolParams } from './params.ts';
import type { SenderKeyReject, TxReject } from './txReject.ts';
import type { Account, Address, Amount, SignedTx } from './types.ts';

/**
 * What execution needs besides the ledger. The epoch is the ledger's own (`ledger.epoch`), the
 * chain id is `params.chainId`.
 */
export type ExecutionContext = {
  readonly params: ProtocolParams;
  /**
   * `'pre-verified'`: the caller verified every transaction's `txVerifyItems` (the sender's
   * signature and, for rotate-key, the possession proof) with the key `checkSenderKey` returns
   * against the block's start state — what the mempool and consensus do through the verify pool
   * — so execution does not verify them again. `'verify'`: execution verifies them itself with
   * `verifyItem`. Keys change only at epoch boundaries (or are first recorded from the
   * transaction itself), so the start state's key is the key at the transaction's position.
   */
  readonly txSignatures: 'pre-verified' | 'verify';
  /**
   * The verdict on one signature job. Always used for evidence: its signatures must be checked
   * against the offender's key, which is state, so only execution knows it. A shell passes a
   * backend (`(item) => verifySignature(backend, item)`) or its verify cache in front of one.
   */
  readonly verifyItem: (item: VerifyItem) => boolean;
};

export type ExecReject =
  // ---- dropped: no fee, no effect ----
  /** Fails a stateless rule (wrong chain, bad amount, …): `validateTx`. */
  | { readonly code: 'INVALID'; readonly reject: TxReject }
  /** Not the sender's next nonce. */
  | { readonly code: 'NONCE_MISMATCH'; readonly expected: bigint; readonly actual: bigint }
  /** The very same transaction (same id) already executed earlier in this block. */
  | { readonly code: 'DUPLICATE' }
  /** The carried/recorded key does not fit the transaction (`checkSenderKey`). */
  | { readonly code: 'SENDER_KEY'; readonly reject: SenderKeyReject }
  /** A signature job failed (only in `'verify'` mode). */
  | { readonly code: 'BAD_SIGNATURE' }
  /** The balance cannot pay the fee. */
  | { readonly code: 'CANNOT_PAY_FEE'; readonly fee: Amount; readonly balance: Amount }
  // ---- charged: fee taken, nonce advanced ----
  /** Balance (after the fee) below the amount to transfer or bond. */
  | { readonly code: 'INSUFFICIENT_BALANCE'; readonly needed: Amount; readonly available: Amount }
  /** Stake below the amount to unbond. */
  | { readonly code: 'INSUFFICIENT_STAKE'; readonly needed: Amount; readonly available: Amount }
  /** A new release epoch would exceed `max_unbonding_entries`. */
  | { readonly code: 'TOO_MANY_UNBONDING_ENTRIES'; readonly max: number }
  /** rotate-key to the key already in force. */
  | { readonly code: 'KEY_UNCHANGED' }
  /** evidence against an address with no account key: nothing it could have signed. */
  | { readonly code: 'UNKNOWN_OFFENDER' }
  /** evidence whose signatures do not verify under the offender's key. */
  | { readonly code: 'BAD_EVIDENCE'; readonly reason: EvidenceReject }
  /** evidence for a slot of an epoch that has not begun. */
  | { readonly code: 'EVIDENCE_FROM_FUTURE'; readonly slotEpoch: bigint; readonly epoch: bigint }
  /** evidence older than `unbonding_epochs`: the stake it could have slashed may be gone. */
  | { readonly code: 'EVIDENCE_EXPIRED'; readonly slotEpoch: bigint; readonly epoch: bigint }
  /** that slot already slashed its offender (once per slot). */
  | { readonly code: 'ALREADY_SLASHED' };

export type ExecRejectCode = ExecReject['code'];

export type Receipt = {
  /** `txId` of the transaction. */
  readonly id: Hash32;
  readonly status: 'applied' | 'rejected';
  /** Present exactly when rejected. */
  readonly reason?: ExecReject;
  /** The fee taken: `tx.fee` when applied or charged, 0 when dropped. */
  readonly feeCharged: Amount;
  /** Applied evidence only: the amount burned from the offender's stake and unbonding. */
  readonly slashed?: Amount;
};

export type AccountWrite = { readonly address: Address; readonly account: Account };

/** A group's transaction with its position in the block. */
export type IndexedTx = { readonly index: number; readonly signedTx: SignedTx };

/**
 * What one group of transactions did, as plain data (structured-clone friendly, so a worker
 * can return it). `receipts[i]` belongs to the block position `indices[i]`.
 */
export type GroupResult = {
  readonly indices: readonly number[];
  readonly receipts: readonly Receipt[];
  /** Final values of the accounts this group changed. */
  readonly accounts: readonly AccountWrite[];
  readonly feesCollected: Amount;
  readonly burned: Amount;
  readonly slashedSlots: readonly SlashedSlot[];
};

export type BlockResult = {
  readonly ledger: Ledger;
  /** One per transaction, in block order. */
  readonly receipts: readonly Receipt[];
  readonly stateRoot: Hash32;
  /** Fees that went into the fee pool. */
  readonly feesCollected: Amount;
  /** Destroyed by slashing: the supply fell by exactly this much. */
  readonly burned: Amount;
};
