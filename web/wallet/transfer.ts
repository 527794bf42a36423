/**
 * Building and signing a transfer from what a person typed and what the light client VERIFIED.
 *
 * DESIGN.md §2 Ledger: a transfer is `{chainId, sender, nonce, fee, body: transfer{to, amount}}`
 * signed by the sender under `kaldrix/tx/v1`; it carries the sender's public key only while the
 * account has none on record (its first transaction). The chain id, the balance and the nonce
 * come from the verified account and head, never from a peer's unverified word, so a lying peer
 * can at worst make a transfer fail, not make the wallet sign something the person did not see.
 * Amounts are whole base units (u64), typed as decimal digits.
 */
import { bytesEqual, parseAddress, toHex, type Signer } from '../../core/crypto/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { encodeSignedTx, signTx, txId, U64_MAX, validateTx, type Account, type SignedTx, type Tx } from '../../core/state/index.ts';
import type { AmountField, WalletError } from './errors.ts';

export type TransferDraft = {
  readonly recipientText: string;
  readonly amountText: string;
  readonly feeText: string;
};

/** The sender as the light client verified it. */
export type VerifiedSender = {
  readonly chainId: string;
  readonly address: Uint8Array;
  readonly account: Account;
};

export type SignedTransfer = {
  readonly signed: SignedTx;
  /** The canonical signed bytes, what POST /v1/transactions takes. */
  readonly bytes: Uint8Array;
  /** Hex of the transaction id (BLAKE3 of the unsigned encoding). */
  readonly idHex: string;
};

/** Longest amount text read: u64's 20 digits, plus room for leading zeros nobody needs. */
const MAX_AMOUNT_CHARS = 24;

/** Whole base units from decimal digits (spaces and `_` as separators allowed). */
export function parseAmount(text: string, field: AmountField, allowZero: boolean): Result<bigint, WalletError> {
  const digits = text.trim().replace(/[\s_]/g, '');
  if (digits === '') return err({ code: 'BAD_AMOUNT', field, reason: 'is empty' });
  if (digits.length > MAX_AMOUNT_CHARS || !/^\d+$/.test(digits)) return err({ code: 'BAD_AMOUNT', field, reason: 'must be a whole number of base units' });
  const units = BigInt(digits);
  if (units > U64_MAX) return err({ code: 'BAD_AMOUNT', field, reason: 'is above the largest amount (2^64 − 1)' });
  if (units === 0n && !allowZero) return err({ code: 'BAD_AMOUNT', field, reason: 'must be above zero' });
  return ok(units);
}

/** What the person typed, checked on its own (no balance needed): recipient, amount, fee. */
export function checkDraft(draft: TransferDraft, senderAddress: Uint8Array): Result<{ to: Uint8Array; amount: bigint; fee: bigint }, WalletError> {
  const to = parseAddress(draft.recipientText.trim());
  if (!to.ok) return err({ code: 'BAD_ADDRESS', reason: to.error.code });
  if (bytesEqual(to.value, senderAddress)) return err({ code: 'SELF_TRANSFER' });
  const amount = parseAmount(draft.amountText, 'amount', false);
  if (!amount.ok) return amount;
  const fee = parseAmount(draft.feeText, 'fee', true);
  if (!fee.ok) return fee;
  return ok({ to: to.value, amount: amount.value, fee: fee.value });
}

/**
 * The unsigned transfer at `nonce` (the verified nonce, or past it when earlier transfers are
 * still pending), checked against the verified balance.
 */
export function buildTransfer(draft: TransferDraft, sender: VerifiedSender, nonce: bigint): Result<Tx, WalletError> {
  const checked = checkDraft(draft, sender.address);
  if (!checked.ok) return checked;
  const { to, amount, fee } = checked.value;
  const neededUnits = amount + fee;
  if (neededUnits > sender.account.balance) {
    return err({ code: 'INSUFFICIENT_BALANCE', neededUnits, verifiedBalanceUnits: sender.account.balance });
  }
  if (nonce < sender.account.nonce) throw new RangeError(`buildTransfer: nonce ${nonce} is below the verified nonce ${sender.account.nonce}`);
  return ok(Object.freeze({
    chainId: sender.chainId,
    sender: sender.address,
    nonce,
    fee,
    body: Object.freeze({ kind: 'transfer', value: Object.freeze({ to, amount }) }),
  }));
}

/** Signs `tx`; carries the public key while the verified account has no key on record. */
export async function signTransfer(signer: Signer, tx: Tx, senderAccount: Account): Promise<SignedTransfer> {
  const signed = await signTx(signer, tx, { includePublicKey: senderAccount.key === undefined });
  // The stateless rules the mempool applies first; failing here is a bug in buildTransfer.
  const valid = validateTx(signed, { chainId: tx.chainId });
  if (!valid.ok) throw new Error(`signTransfer: built an invalid transaction (${valid.error.code})`);
  return Object.freeze({ signed, bytes: encodeSignedTx(signed), idHex: toHex(txId(tx)) });
}
