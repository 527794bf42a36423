/**
 * The epoch boundary: what changes in the ledger between two epochs, and the validator set the
 * new epoch hands to consensus.
 *
 * DESIGN.md §2 ("validator set changes (bonding, unbonding, slashing, key rotation) take effect
 * at epoch boundaries; the end-of-epoch checkpoint, certified by the old set, carries the new
 * one"). `applyEpochBoundary(ledger, newEpoch)`, in this order, in ONE tree batch:
 *   1. the next validator set is selected (`epochValidators.ts`) — none of the steps below
 *      changes any stake or whether an account has a key, so selecting first or last is equal;
 *   2. the fee pool is shared among that set pro rata to stake (`epochFees.ts`; the integer
 *      remainder stays in the pool). Caveat: stake bonded late in an epoch earns a full share;
 *      weighting by time bonded is a later refinement;
 *   3. unbonding entries with releaseEpoch ≤ newEpoch move to the balance;
 *   4. pending (rotated) keys replace account keys;
 *   5. the ledger's epoch becomes newEpoch.
 * Cost: one walk over all accounts (`scanLedger`), once per epoch (an hour by default).
 */
import { toHex, type Hash32 } from '../crypto/index.ts';
import { distributeFees } from './epochFees.ts';
import { selectValidatorSet, validatorCandidates, type ValidatorEntry } from './epochValidators.ts';
import type { AccountWrite } from './executeTypes.ts';
import { commitLedger, stateRoot, type Ledger } from './ledger.ts';
import { addU64 } from './ledgerMath.ts';
import { ledgerAccounts } from './ledgerScan.ts';
import type { ProtocolParams } from './params.ts';
import type { Account, Amount } from './types.ts';

export type EpochBoundaryResult = {
  readonly ledger: Ledger;
  readonly stateRoot: Hash32;
  /** The new epoch's validators, sorted by address, keys as of the new epoch. */
  readonly validators: readonly ValidatorEntry[];
  /** Paid out of the fee pool (the rest stayed in it). */
  readonly feesDistributed: Amount;
  /** Moved from unbonding entries to balances. */
  readonly released: Amount;
};

/** `account` at the start of `newEpoch`, with `feeShare` added; `released` is what matured. */
function crossBoundary(account: Account, newEpoch: bigint, feeShare: Amount): { readonly account: Account; readonly released: Amount } {
  let released = 0n;
  const unbonding = account.unbonding.filter((entry) => {
    if (entry.releaseEpoch > newEpoch) return true;
    released = addU64(released, entry.amount, 'released');
    return false;
  });
  const balance = addU64(addU64(account.balance, feeShare, 'balance'), released, 'balance');
  const key = account.pendingKey ?? account.key;
  return { account: { ...account, balance, unbonding, key, pendingKey: undefined }, released };
}

const changedAt = (before: Account, after: Account): boolean =>
  before.balance !== after.balance || before.unbonding.length !== after.unbonding.length || before.pendingKey !== after.pendingKey;

export function applyEpochBoundary(ledger: Ledger, newEpoch: bigint, params: ProtocolParams): EpochBoundaryResult {
  if (newEpoch !== ledger.epoch + 1n) throw new RangeError(`applyEpochBoundary: newEpoch must be ${ledger.epoch + 1n}, got ${newEpoch}`);
  const accounts = ledgerAccounts(ledger);
  const chosen = selectValidatorSet(validatorCandidates(accounts, params), params);
  const fees = distributeFees(ledger.feePool, chosen);
  const shareOf = new Map(fees.shares.map((s) => [toHex(s.address), s.amount]));
  const writes: AccountWrite[] = [];
  const keyOf = new Map<string, ValidatorEntry['key']>();
  let released = 0n;
  for (const { address, account } of accounts) {
    const id = toHex(address);
    const next = crossBoundary(account, newEpoch, shareOf.get(id) ?? 0n);
    released = addU64(released, next.released, 'released');
    if (changedAt(account, next.account)) writes.push({ address, account: next.account });
    if (next.account.key !== undefined) keyOf.set(id, next.account.key);
  }
  const next = commitLedger(ledger, { accounts: writes, slashedSlots: [], epoch: newEpoch, feePool: fees.remainder, burned: ledger.burned });
  const validators = Object.freeze(
    chosen.map((v) => Object.freeze({ address: v.address, stake: v.stake, key: keyOf.get(toHex(v.address)) ?? v.key })),
  );
  return Object.freeze({ ledger: next, stateRoot: stateRoot(next), validators, feesDistributed: ledger.feePool - fees.remainder, released });
}
