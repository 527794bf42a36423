/**
 * Where the ledger keeps things in the state tree: one 32-byte key space per kind of entry, and
 * the account-proof check a light client runs.
 *
 * DESIGN.md §2 Ledger; the tree: docs/state-tree.md. Every key is BLAKE3 (`hashDomain`) under a
 * label of its own, so no account key can ever equal a reserved key:
 *
 *   account      hashDomain('kaldrix/state-key/account/v1', address)        → address ‖ account encoding
 *   slashed slot hashDomain('kaldrix/state-key/slashed-slot/v1', slotId)    → u64 epoch slashed
 *   fee pool     hashDomain('kaldrix/state-key/fee-pool/v1')                → u64 amount
 *   burned       hashDomain('kaldrix/state-key/slashed-burned/v1')          → u64 amount
 *   epoch        hashDomain('kaldrix/state-key/epoch/v1')                   → u64 epoch
 *
 * Absent means zero / empty: an empty account, a fee pool of 0, nothing burned, epoch 0 and an
 * unslashed slot are not stored, so each ledger state has exactly one set of entries, hence one
 * root. Hashing the address (rather than using it as the key) spreads keys evenly, which keeps
 * tree paths about log2(n) long whatever addresses an attacker picks. The account leaf carries
 * its address (33 bytes before `encodeAccount`), because a key cannot be inverted: walking the
 * tree (epoch boundaries, supply audits, exports) must recover each account's address without a
 * second index. Account leaves are at least 60 bytes, the u64 entries exactly 8.
 */
import { u64, type DecodeError } from '../codec/index.ts';
import { ADDRESS_BYTES, createDomainHash, hashDomain, type Hash32 } from '../crypto/index.ts';
import { ok, type Result } from '../result.ts';
import { accountCodec, encodeAccount } from './account.ts';
import { addressCodec } from './txFields.ts';
import { verifyProof, type StateProof } from './smt/index.ts';
import type { Account, Address } from './types.ts';

const accountKeyHash = createDomainHash('kaldrix/state-key/account/v1');
const slashedSlotKeyHash = createDomainHash('kaldrix/state-key/slashed-slot/v1');

/** The singleton keys, computed once. */
export const FEE_POOL_KEY: Hash32 = hashDomain('kaldrix/state-key/fee-pool/v1');
export const BURNED_KEY: Hash32 = hashDomain('kaldrix/state-key/slashed-burned/v1');
export const EPOCH_KEY: Hash32 = hashDomain('kaldrix/state-key/epoch/v1');

/** Tree key of the account at `address`. */
export function accountKey(address: Address): Hash32 {
  return accountKeyHash(address);
}

/** Tree key marking the slot `slotId` (evidence.ts `slotId`) as slashed. */
export function slashedSlotKey(slotId: Hash32): Hash32 {
  return slashedSlotKeyHash(slotId);
}

/** The 8-byte big-endian value of the u64 singletons and slashed-slot markers. */
export function encodeU64Value(value: bigint): Uint8Array {
  return u64.encode(value);
}

/** The account leaf value: `address (33) ‖ encodeAccount(account)`. Throws on an invalid account. */
export function encodeAccountLeaf(address: Address, account: Account): Uint8Array {
  const head = addressCodec.encode(address);
  const body = encodeAccount(account);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** Decodes an account leaf value (frozen on success). */
export function decodeAccountLeaf(value: Uint8Array): Result<{ readonly address: Address; readonly account: Account }, DecodeError> {
  const address = addressCodec.decode(value.subarray(0, ADDRESS_BYTES));
  if (!address.ok) return address;
  const account = accountCodec.decode(value.subarray(ADDRESS_BYTES));
  if (!account.ok) return account;
  return ok(Object.freeze({ address: address.value, account: account.value }));
}

/**
 * True when `proof` shows that, under the certified state root `root`, the account at `address`
 * is `account`, or (with `account === null`) that the address holds nothing (an exclusion
 * proof: an absent account is the empty account). All a light client needs.
 */
export function verifyAccountProof(root: Hash32, address: Address, account: Account | null, proof: StateProof): boolean {
  if (!(address instanceof Uint8Array)) return false;
  let value: Uint8Array | null = null;
  if (account !== null) {
    try {
      value = encodeAccountLeaf(address, account);
    } catch {
      return false; // not an encodable account: it cannot be what the tree holds
    }
  }
  return verifyProof(root, accountKey(address), value, proof);
}
