/**
 * The account record and its canonical encoding: the value the state tree stores (and hashes as
 * a Merkle leaf) under each address.
 *
 * DESIGN.md §2 Ledger. Layout (docs/codec.md):
 *   balance u64 || nonce u64 || option(key) || stake u64
 *   || list{≤64}(amount u64 || releaseEpoch u64) || option(pendingKey)
 * Canonical beyond the codec: unbonding entries have positive amounts and strictly increasing
 * release epochs (execution merges unbonds released in the same epoch), so one account state
 * has one encoding and one leaf hash. A key is the tagged public key (scheme + bytes), never a
 * scheme without a key.
 */
import { list, option, refine, struct, u64, type Codec } from '../codec/index.ts';
import type { Result } from '../result.ts';
import type { DecodeError } from '../codec/index.ts';
import { MAX_UNBONDING_ENTRIES_LIMIT } from './params.ts';
import { amountCodec, publicKeyCodec } from './txFields.ts';
import type { Account, UnbondingEntry } from './types.ts';

const unbondingEntryCodec: Codec<UnbondingEntry> = struct({ amount: amountCodec, releaseEpoch: u64 });

/** The reason `entries` break the canonical order, or undefined. */
function unbondingOrderProblem(entries: readonly UnbondingEntry[]): string | undefined {
  let previous: bigint | undefined;
  for (const [i, entry] of entries.entries()) {
    if (entry.amount === 0n) return `unbonding[${i}]: amount must be positive`;
    if (previous !== undefined && entry.releaseEpoch <= previous) {
      return `unbonding[${i}]: release epochs must strictly increase (${entry.releaseEpoch} after ${previous})`;
    }
    previous = entry.releaseEpoch;
  }
  return undefined;
}

const unbondingCodec: Codec<readonly UnbondingEntry[]> = refine(
  list(unbondingEntryCodec, { maxItems: MAX_UNBONDING_ENTRIES_LIMIT }),
  unbondingOrderProblem,
);

export const accountCodec: Codec<Account> = struct({
  balance: amountCodec,
  nonce: u64,
  key: option(publicKeyCodec),
  stake: amountCodec,
  unbonding: unbondingCodec,
  pendingKey: option(publicKeyCodec),
});

/** An address nobody has touched: no balance, no key, nothing staked. */
export const EMPTY_ACCOUNT: Account = Object.freeze({
  balance: 0n,
  nonce: 0n,
  key: undefined,
  stake: 0n,
  unbonding: Object.freeze([]),
  pendingKey: undefined,
});

/**
 * True when `account` holds nothing and has never transacted: the state tree may then omit it
 * (an exclusion proof then stands for an empty account). A nonce above 0 keeps an account alive,
 * or its old transactions could be replayed.
 */
export function isEmptyAccount(account: Account): boolean {
  return (
    account.balance === 0n &&
    account.nonce === 0n &&
    account.key === undefined &&
    account.stake === 0n &&
    account.unbonding.length === 0 &&
    account.pendingKey === undefined
  );
}

/** The leaf value; throws RangeError/TypeError on an invalid account (a bug in execution). */
export function encodeAccount(account: Account): Uint8Array {
  return accountCodec.encode(account);
}

/** Decodes a stored leaf value; frozen on success. */
export function decodeAccount(bytes: Uint8Array): Result<Account, DecodeError> {
  return accountCodec.decode(bytes);
}
