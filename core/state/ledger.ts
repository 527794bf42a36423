/**
 * The ledger state: an immutable value whose state tree commits to every account and to the
 * ledger's reserved entries (fee pool, total burned by slashing, slashed slots, the epoch).
 *
 * DESIGN.md §2 Ledger; key spaces: `ledgerKeys.ts`; the tree: docs/state-tree.md. `epoch`,
 * `feePool` and `burned` are copies of what the tree stores under their keys, kept beside it so
 * reading them costs nothing; `commitLedger` is the one place that writes, so they never drift.
 * A stored value that does not decode means corrupted state (a bug), so readers throw.
 */
import { u64 } from '../codec/index.ts';
import { bytesEqual, type Hash32 } from '../crypto/index.ts';
import { isEmptyAccount } from './account.ts';
import { genesisAccounts } from './genesisCodec.ts';
import type { Genesis } from './genesisTypes.ts';
import {
  accountKey,
  BURNED_KEY,
  decodeAccountLeaf,
  encodeAccountLeaf,
  encodeU64Value,
  EPOCH_KEY,
  FEE_POOL_KEY,
  slashedSlotKey,
} from './ledgerKeys.ts';
import { applyBatch, emptyTree, prove, type StateProof, type StateTree, type TreeUpdate } from './smt/index.ts';
import type { Account, Address, Amount } from './types.ts';

export type Ledger = {
  readonly tree: StateTree;
  /** The epoch the ledger is in (0 at genesis; advanced only by `applyEpochBoundary`). */
  readonly epoch: bigint;
  /** Fees collected and not yet distributed (epoch.ts distributes them). */
  readonly feePool: Amount;
  /** Total destroyed by slashing since genesis: genesis supply = supplyOf(ledger) + burned. */
  readonly burned: Amount;
};

export type AccountProof = { readonly account: Account | null; readonly proof: StateProof };

/** A slot convicted by evidence, and the epoch in which execution slashed it. */
export type SlashedSlot = { readonly slotId: Hash32; readonly epoch: bigint };

/** Everything one commit changes; all of it goes into ONE `applyBatch`. */
export type LedgerChanges = {
  /** New account values (an empty account is deleted from the tree). Addresses distinct. */
  readonly accounts: readonly { readonly address: Address; readonly account: Account }[];
  readonly slashedSlots: readonly SlashedSlot[];
  readonly epoch: bigint;
  readonly feePool: Amount;
  readonly burned: Amount;
};

function u64Update(key: Hash32, value: bigint): TreeUpdate {
  return { key, value: value === 0n ? null : encodeU64Value(value) };
}

function readU64(tree: StateTree, key: Hash32, what: string): bigint {
  const stored = tree.get(key);
  if (stored === null) return 0n;
  const decoded = u64.decode(stored);
  if (!decoded.ok || decoded.value === 0n) throw new Error(`ledger: corrupt ${what} entry`);
  return decoded.value;
}

/** The ledger over an existing tree (e.g. one restored from storage); throws on corruption. */
export function ledgerFromTree(tree: StateTree): Ledger {
  return Object.freeze({
    tree,
    epoch: readU64(tree, EPOCH_KEY, 'epoch'),
    feePool: readU64(tree, FEE_POOL_KEY, 'fee pool'),
    burned: readU64(tree, BURNED_KEY, 'burned'),
  });
}

/** The ledger a chain starts from: the genesis accounts, epoch 0, nothing pooled or burned. */
export function ledgerFromGenesis(genesis: Genesis): Ledger {
  const updates = genesisAccounts(genesis)
    .filter((e) => !isEmptyAccount(e.account))
    .map((e): TreeUpdate => ({ key: accountKey(e.address), value: encodeAccountLeaf(e.address, e.account) }));
  return Object.freeze({ tree: applyBatch(emptyTree(), updates), epoch: 0n, feePool: 0n, burned: 0n });
}

/** Applies `changes` in one batch (each touched tree node is rehashed once). */
export function commitLedger(ledger: Ledger, changes: LedgerChanges): Ledger {
  const updates: TreeUpdate[] = changes.accounts.map(({ address, account }) => ({
    key: accountKey(address),
    value: isEmptyAccount(account) ? null : encodeAccountLeaf(address, account),
  }));
  for (const slot of changes.slashedSlots) updates.push({ key: slashedSlotKey(slot.slotId), value: encodeU64Value(slot.epoch) });
  updates.push(u64Update(EPOCH_KEY, changes.epoch), u64Update(FEE_POOL_KEY, changes.feePool), u64Update(BURNED_KEY, changes.burned));
  return Object.freeze({
    tree: applyBatch(ledger.tree, updates),
    epoch: changes.epoch,
    feePool: changes.feePool,
    burned: changes.burned,
  });
}

/** The state root: what checkpoints certify and light clients verify proofs against. */
export function stateRoot(ledger: Ledger): Hash32 {
  return ledger.tree.root();
}

/**
 * Decodes the account leaf stored under `key`; a leaf that does not decode, or whose address
 * does not hash to its key, is corrupted state (throws).
 */
export function decodeStoredAccount(key: Uint8Array, value: Uint8Array): { readonly address: Address; readonly account: Account } {
  const decoded = decodeAccountLeaf(value);
  if (!decoded.ok) throw new Error(`ledger: corrupt account entry (${decoded.error.code})`);
  if (!bytesEqual(accountKey(decoded.value.address), key)) throw new Error('ledger: account entry under a foreign key');
  return decoded.value;
}

/** The account at `address`, or null when the tree holds none (the empty account). */
export function getAccount(ledger: Ledger, address: Address): Account | null {
  const key = accountKey(address);
  const stored = ledger.tree.get(key);
  return stored === null ? null : decodeStoredAccount(key, stored).account;
}

/** The account (or null) with its proof against `stateRoot(ledger)`: check with `verifyAccountProof`. */
export function proveAccount(ledger: Ledger, address: Address): AccountProof {
  return Object.freeze({ account: getAccount(ledger, address), proof: prove(ledger.tree, accountKey(address)) });
}

/** Whether evidence for `slotId` has already slashed its offender. */
export function isSlotSlashed(ledger: Ledger, slotId: Hash32): boolean {
  return ledger.tree.get(slashedSlotKey(slotId)) !== null;
}

/** Whether two ledgers hold the same state (equal roots, hence equal entries). */
export function sameLedgerState(a: Ledger, b: Ledger): boolean {
  return bytesEqual(stateRoot(a), stateRoot(b));
}
