/**
 * A group's read set: the state entries one conflict-free group of transactions can read, taken
 * from the block's start ledger, and a ledger VIEW over just those entries that `executeGroup`
 * runs on where the full tree is not at hand (a worker thread, another process).
 *
 * DESIGN.md §2 Ledger (parallel execution identical to sequential). `executeGroup` reads state
 * only through `getAccount` (touched accounts: `touchedAddresses`) and `isSlotSlashed` (the slot
 * of an evidence transaction), both `tree.get` on one key, plus `ledger.epoch`. So a view that
 * answers `get` for exactly those keys, with the start ledger's values, makes `executeGroup`
 * return exactly what it returns on the full ledger.
 *
 * Caveat: the view is no state commitment. `root`, `entries` and `rootNode` throw, and so does a
 * `get` outside the read set: that would be a read `touchedAddresses` failed to declare, i.e. a
 * planning bug, and answering it with "absent" would silently fork the state.
 */
import { toHex, type Hash32 } from '../crypto/index.ts';
import { slotId, SLOT_HEADER_BYTES } from './evidence.ts';
import type { Ledger } from './ledger.ts';
import { accountKey, slashedSlotKey } from './ledgerKeys.ts';
import { touchedAddresses } from './parallel.ts';
import type { EntriesPage, StateTree, TreeNode } from './smt/index.ts';
import type { SignedTx } from './types.ts';

/** One state entry of a read set; `value` null when the start ledger holds nothing there. */
export type ReadEntry = { readonly key: Hash32; readonly value: Uint8Array | null };

/** What a group may read: the start ledger's scalars and its entries at the group's keys. */
export type ReadSet = {
  readonly epoch: bigint;
  readonly feePool: bigint;
  readonly burned: bigint;
  readonly entries: readonly ReadEntry[];
};

/**
 * The distinct state keys `txs` can read: each touched account's key and, for evidence whose
 * message carries a slot header, that slot's slashed-marker key (evidence without one fails
 * `validateTx` before any state read).
 */
export function groupReadKeys(txs: readonly SignedTx[]): readonly Hash32[] {
  const keys = new Map<string, Hash32>();
  const add = (key: Hash32): void => void keys.set(toHex(key), key);
  for (const signedTx of txs) {
    for (const address of touchedAddresses(signedTx)) add(accountKey(address));
    const { body } = signedTx.tx;
    if (body.kind === 'evidence' && body.value.evidence.first.message.length >= SLOT_HEADER_BYTES) {
      add(slashedSlotKey(slotId(body.value.evidence)));
    }
  }
  return Object.freeze([...keys.values()]);
}

/** The read set of `txs` (one group, or several groups' union) on `ledger`. */
export function readSetOf(ledger: Ledger, txs: readonly SignedTx[]): ReadSet {
  const entries = groupReadKeys(txs).map((key): ReadEntry => Object.freeze({ key, value: ledger.tree.get(key) }));
  return Object.freeze({ epoch: ledger.epoch, feePool: ledger.feePool, burned: ledger.burned, entries: Object.freeze(entries) });
}

function notInView(what: string): never {
  throw new Error(`read-set ledger: ${what} is not available on a read-set view`);
}

/**
 * A ledger that answers reads at the read set's keys with the start ledger's values, for
 * `executeGroup` (see the module comment for what throws). Values are copied out on every
 * read, as the real tree does.
 */
export function ledgerFromReadSet(readSet: ReadSet): Ledger {
  const values = new Map<string, Uint8Array | null>();
  for (const { key, value } of readSet.entries) values.set(toHex(key), value);
  const tree: StateTree = Object.freeze({
    get rootNode(): TreeNode | null {
      return notInView('rootNode');
    },
    size: [...values.values()].filter((v) => v !== null).length,
    root: (): Hash32 => notInView('the root'),
    get: (key: Uint8Array): Uint8Array | null => {
      const value = values.get(toHex(key));
      if (value === undefined) throw new Error(`read-set ledger: read of ${toHex(key)} outside the read set (a planning bug)`);
      return value === null ? null : value.slice();
    },
    entries: (): EntriesPage => notInView('entries'),
  });
  return Object.freeze({ tree, epoch: readSet.epoch, feePool: readSet.feePool, burned: readSet.burned });
}
