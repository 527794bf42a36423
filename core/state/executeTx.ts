/**
 * One transaction against a group's working state: the checks that decide whether it is the
 * sender's valid next step (dropped otherwise, no effect), the fee and the nonce (charged), then
 * its body (`executeBody.ts`).
 *
 * DESIGN.md §2 Ledger; the two kinds of reject: `executeTypes.ts`. Order of checks, cheapest
 * and most decisive first: stateless rules (`validateTx`), the nonce (a replay or a second
 * transaction with the same nonce loses here: the first valid one already advanced it), the
 * sender's key (`checkSenderKey`), the signatures (only in `'verify'` mode), the fee.
 */
import type { TaggedPublicKey } from '../crypto/index.ts';
import { applyBody } from './executeBody.ts';
import type { GroupState } from './executeState.ts';
import type { ExecReject, ExecutionContext, Receipt } from './executeTypes.ts';
import { addU64, subU64 } from './ledgerMath.ts';
import { txId } from './txCodec.ts';
import { txVerifyItems } from './txSign.ts';
import { checkSenderKey, validateTx } from './txValidate.ts';
import type { Account, SignedTx } from './types.ts';

const dropped = (id: Uint8Array, reason: ExecReject): Receipt => Object.freeze({ id, status: 'rejected', reason: Object.freeze(reason), feeCharged: 0n });

/** Why `signedTx` is not its sender's valid next step, with the sender key when it is. */
function admit(
  state: GroupState,
  signedTx: SignedTx,
  id: Uint8Array,
  ctx: ExecutionContext,
): { readonly reject: ExecReject } | { readonly account: Account | undefined; readonly key: TaggedPublicKey } {
  const { tx } = signedTx;
  const valid = validateTx(signedTx, ctx.params);
  if (!valid.ok) return { reject: { code: 'INVALID', reject: valid.error } };
  const account = state.read(tx.sender);
  const expected = account?.nonce ?? 0n;
  if (tx.nonce !== expected) {
    return { reject: state.hasSeen(id) ? { code: 'DUPLICATE' } : { code: 'NONCE_MISMATCH', expected, actual: tx.nonce } };
  }
  const key = checkSenderKey(account, signedTx);
  if (!key.ok) return { reject: { code: 'SENDER_KEY', reject: key.error } };
  if (ctx.txSignatures === 'verify' && !txVerifyItems(signedTx, key.value).every((item) => ctx.verifyItem(item))) {
    return { reject: { code: 'BAD_SIGNATURE' } };
  }
  const balance = account?.balance ?? 0n;
  if (balance < tx.fee) return { reject: { code: 'CANNOT_PAY_FEE', fee: tx.fee, balance } };
  return { account, key: key.value };
}

/** Executes one transaction against `state` (the group's working state) and returns its receipt. */
export function executeTx(state: GroupState, signedTx: SignedTx, ctx: ExecutionContext, epoch: bigint): Receipt {
  const { tx } = signedTx;
  const id = txId(tx);
  const admitted = admit(state, signedTx, id, ctx);
  if ('reject' in admitted) return dropped(id, admitted.reject);
  const before = admitted.account ?? { balance: 0n, nonce: 0n, stake: 0n, unbonding: [] };
  const charged: Account = {
    ...before,
    balance: subU64(before.balance, tx.fee, 'fee'),
    nonce: addU64(before.nonce, 1n, 'nonce'),
    // The first transaction's carried key becomes the account's key (it verified this tx).
    key: admitted.key,
  };
  state.write(tx.sender, charged);
  state.addFee(tx.fee);
  state.remember(id);
  const outcome = applyBody({ state, sender: tx.sender, account: charged, epoch, ctx }, tx.body);
  if (!outcome.ok) return Object.freeze({ id, status: 'rejected', reason: Object.freeze(outcome.error), feeCharged: tx.fee });
  const { slashed } = outcome.value;
  return Object.freeze(slashed === undefined ? { id, status: 'applied', feeCharged: tx.fee } : { id, status: 'applied', feeCharged: tx.fee, slashed });
}
