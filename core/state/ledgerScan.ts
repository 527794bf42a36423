/**
 * Walking the whole ledger: every account (with its address) and every reserved entry, in key
 * order. Used once per epoch boundary and by supply audits; cost is linear in the number of
 * entries, read page by page so no single page holds more than `SCAN_PAGE_ENTRIES`.
 *
 * DESIGN.md §2 Ledger; key spaces: `ledgerKeys.ts`. Classification: the three singleton keys are
 * known; every other entry is an account leaf (≥ 60 bytes, its address hashing to its key) or a
 * slashed-slot marker (8 bytes: the epoch it was slashed in). Anything else is corrupted state.
 */
import { bytesEqual } from '../crypto/index.ts';
import { decodeStoredAccount, type Ledger } from './ledger.ts';
import { BURNED_KEY, EPOCH_KEY, FEE_POOL_KEY } from './ledgerKeys.ts';
import type { Account, Address } from './types.ts';

/** Entries per page of the walk: bounds the memory of one step, not the walk. */
export const SCAN_PAGE_ENTRIES = 10_000;
/** The u64 values: singletons and slashed-slot markers. */
const U64_VALUE_BYTES = 8;

export type LedgerEntry =
  | { readonly kind: 'account'; readonly address: Address; readonly account: Account }
  | { readonly kind: 'fee-pool' | 'burned' | 'epoch' | 'slashed-slot'; readonly key: Uint8Array };

function classify(key: Uint8Array, value: Uint8Array): LedgerEntry {
  if (bytesEqual(key, FEE_POOL_KEY)) return { kind: 'fee-pool', key };
  if (bytesEqual(key, BURNED_KEY)) return { kind: 'burned', key };
  if (bytesEqual(key, EPOCH_KEY)) return { kind: 'epoch', key };
  if (value.length === U64_VALUE_BYTES) return { kind: 'slashed-slot', key };
  return { kind: 'account', ...decodeStoredAccount(key, value) };
}

/** Calls `visit` for every entry of the ledger, in key order. */
export function scanLedger(ledger: Ledger, visit: (entry: LedgerEntry) => void): void {
  let startKey: Uint8Array | null = null;
  // Bounded: each page advances past at least one entry, and the tree has `size` entries.
  for (let page = 0; page <= ledger.tree.size; page++) {
    const { entries, nextKey } = ledger.tree.entries(startKey === null ? { maxEntries: SCAN_PAGE_ENTRIES } : { startKey, maxEntries: SCAN_PAGE_ENTRIES });
    for (const { key, value } of entries) visit(classify(key, value));
    if (nextKey === null) return;
    startKey = nextKey;
  }
  throw new Error('scanLedger: the tree did not end');
}

/** Every account of the ledger, in key order (not address order). */
export function ledgerAccounts(ledger: Ledger): readonly { readonly address: Address; readonly account: Account }[] {
  const out: { readonly address: Address; readonly account: Account }[] = [];
  scanLedger(ledger, (entry) => {
    if (entry.kind === 'account') out.push({ address: entry.address, account: entry.account });
  });
  return out;
}
