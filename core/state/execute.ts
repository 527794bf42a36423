/**
 * Deterministic execution of an ordered block of transactions: `executeBlock`.
 *
 * DESIGN.md §2 Ledger ("order first, execute second"). Consensus orders the transactions;
 * execution applies them one after another against the ledger, the first valid transaction of
 * each (sender, nonce) wins and every other one gets a typed reject in its receipt. The rules
 * per transaction: `executeTx.ts` (admission, fee, nonce) and `executeBody.ts` (each kind);
 * the receipt and reject vocabulary: `executeTypes.ts`.
 *
 * Sequential execution is the reference. It is the degenerate plan of `parallel.ts` — the whole
 * block as ONE group — so both paths share the per-transaction code, and the property tests
 * compare this single-group run against the conflict-free multi-group plan. All account writes
 * of a block are committed in one tree batch (each touched tree node is rehashed once).
 * Signature verification is the caller's (see `ExecutionContext.txSignatures`), except for
 * evidence, whose signatures need the offender's key from state.
 */
import { verifySignature, type SignatureBackend, type VerifyItem } from '../crypto/index.ts';
import { MAX_BATCH_UPDATES } from './smt/index.ts';
import type { BlockResult, ExecRejectCode, ExecutionContext, Receipt } from './executeTypes.ts';
import type { Ledger } from './ledger.ts';
import { executeGroup, mergeGroups } from './parallel.ts';
import type { SignedTx } from './types.ts';

/**
 * Most transactions one call executes: each writes at most three tree entries (sender,
 * recipient or offender, slashed slot), and the whole block must fit one tree batch. Far above
 * what one commit orders (about max_transactions_per_block × validators × rounds committed).
 */
export const MAX_BLOCK_TXS = Math.floor((MAX_BATCH_UPDATES - 3) / 3);

/** Executes `txs` in order on `ledger` (unchanged); returns the new ledger, receipts, root. */
export function executeBlock(ledger: Ledger, txs: readonly SignedTx[], ctx: ExecutionContext): BlockResult {
  if (txs.length > MAX_BLOCK_TXS) throw new RangeError(`executeBlock: more than ${MAX_BLOCK_TXS} transactions`);
  const group = executeGroup(ledger, txs.map((signedTx, index) => ({ index, signedTx })), ctx);
  return mergeGroups(ledger, txs.length, [group]);
}

/** `ExecutionContext.verifyItem` that verifies in the calling thread with `backend`. */
export function verifyItemWith(backend: SignatureBackend): (item: VerifyItem) => boolean {
  return (item) => verifySignature(backend, item);
}

/** Rejects that leave no trace (no fee, no nonce): the transaction was not its sender's next step. */
export const DROPPED_CODES: ReadonlySet<ExecRejectCode> = new Set<ExecRejectCode>([
  'INVALID',
  'NONCE_MISMATCH',
  'DUPLICATE',
  'SENDER_KEY',
  'BAD_SIGNATURE',
  'CANNOT_PAY_FEE',
]);

/** Whether the transaction behind `receipt` used up its sender's nonce (applied or charged). */
export function usedNonce(receipt: Receipt): boolean {
  return receipt.reason === undefined || !DROPPED_CODES.has(receipt.reason.code);
}
