/**
 * Fee distribution at an epoch boundary: the fee pool is shared among the validator set in
 * proportion to stake, with exact integer arithmetic.
 *
 * DESIGN.md §2 Ledger. share_i = ⌊pool × stake_i / Σ stake⌋; the remainder (less than the
 * number of validators, in base units) STAYS in the pool for the next epoch — a rule with no
 * tie-breaking to argue about, which loses nothing and pays it out later. With no validators
 * the whole pool carries over.
 */
import { mulDivFloor } from './ledgerMath.ts';
import type { Address, Amount } from './types.ts';

export type FeeShare = { readonly address: Address; readonly amount: Amount };

export function distributeFees(
  pool: Amount,
  stakers: readonly { readonly address: Address; readonly stake: Amount }[],
): { readonly shares: readonly FeeShare[]; readonly remainder: Amount } {
  const totalStake = stakers.reduce((sum, s) => sum + s.stake, 0n);
  if (pool === 0n || totalStake === 0n) return Object.freeze({ shares: Object.freeze([]), remainder: pool });
  let paid = 0n;
  const shares: FeeShare[] = [];
  for (const { address, stake } of stakers) {
    const amount = mulDivFloor(pool, stake, totalStake);
    paid += amount;
    if (amount > 0n) shares.push(Object.freeze({ address, amount }));
  }
  if (paid > pool) throw new Error('distributeFees: paid more than the pool');
  return Object.freeze({ shares: Object.freeze(shares), remainder: pool - paid });
}
