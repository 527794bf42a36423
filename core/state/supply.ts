/**
 * Supply accounting: where every base unit is, and how much a block may change the total.
 *
 * DESIGN.md §2 Ledger. total supply = Σ balances + Σ stakes + Σ unbonding entries + fee pool.
 * Transfers, fees, bonding, unbonding, releases and fee distribution only move units between
 * these places; only slashing destroys them (burned, recorded in the ledger's `burned` total).
 * So for every ledger reached from a genesis:  supplyOf(ledger) + ledger.burned = genesis supply,
 * and a block lowers the supply by exactly its `burned`. `supplyOf` walks the whole tree: an
 * audit for tests, tools and explorers, not for the hot path.
 */
import type { BlockResult } from './executeTypes.ts';
import type { Genesis } from './genesisTypes.ts';
import type { Ledger } from './ledger.ts';
import { addU64 } from './ledgerMath.ts';
import { scanLedger } from './ledgerScan.ts';
import type { Amount } from './types.ts';

export type SupplyBreakdown = {
  readonly balances: Amount;
  readonly stake: Amount;
  readonly unbonding: Amount;
  readonly feePool: Amount;
  /** balances + stake + unbonding + feePool. */
  readonly total: Amount;
  readonly accounts: number;
};

/** Sums every place units live in `ledger` (throws if a sum leaves u64: a conservation bug). */
export function supplyOf(ledger: Ledger): SupplyBreakdown {
  let balances = 0n;
  let stake = 0n;
  let unbonding = 0n;
  let accounts = 0;
  scanLedger(ledger, (entry) => {
    if (entry.kind !== 'account') return;
    accounts++;
    balances = addU64(balances, entry.account.balance, 'Σ balances');
    stake = addU64(stake, entry.account.stake, 'Σ stake');
    for (const e of entry.account.unbonding) unbonding = addU64(unbonding, e.amount, 'Σ unbonding');
  });
  const total = addU64(addU64(addU64(balances, stake, 'supply'), unbonding, 'supply'), ledger.feePool, 'supply');
  return Object.freeze({ balances, stake, unbonding, feePool: ledger.feePool, total, accounts });
}

/** The genesis supply: Σ account balances + Σ validator stakes. */
export function genesisSupply(genesis: Genesis): Amount {
  const balances = genesis.accounts.reduce((sum, a) => sum + a.balance, 0n);
  return genesis.validators.reduce((sum, v) => sum + v.stake, balances);
}

/** How a block changes the total supply: minus what it burned by slashing, nothing else. */
export function expectedSupplyChange(result: Pick<BlockResult, 'burned'>): bigint {
  return -result.burned;
}
