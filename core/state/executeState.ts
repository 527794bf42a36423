/**
 * The working state of one group of transactions: reads fall through to the block's start
 * ledger, writes stay in an overlay until the group ends.
 *
 * DESIGN.md §2 Ledger (parallel execution identical to sequential). A group only reads and
 * writes the accounts its transactions touch (sender, recipient, offender) and the slashed
 * slots of its own offenders (`planGroups` keeps all evidence against one offender in one
 * group), so groups with disjoint touched sets commute. The fee pool and the burned total are
 * only ever added to, never read, so each group keeps a delta that merging sums.
 */
import { toHex, type Hash32 } from '../crypto/index.ts';
import { getAccount, isSlotSlashed, type Ledger, type SlashedSlot } from './ledger.ts';
import { addU64 } from './ledgerMath.ts';
import type { AccountWrite } from './executeTypes.ts';
import type { Account, Address, Amount } from './types.ts';

export type GroupState = {
  /** The account at `address` as this group sees it; undefined when none exists. */
  readonly read: (address: Address) => Account | undefined;
  readonly write: (address: Address, account: Account) => void;
  readonly isSlashed: (slotId: Hash32) => boolean;
  readonly markSlashed: (slotId: Hash32) => void;
  readonly addFee: (fee: Amount) => void;
  readonly addBurned: (amount: Amount) => void;
  /** Remembers a transaction id that used up a nonce; `hasSeen` tells replays within the block. */
  readonly remember: (id: Hash32) => void;
  readonly hasSeen: (id: Hash32) => boolean;
  readonly finish: () => {
    readonly accounts: readonly AccountWrite[];
    readonly feesCollected: Amount;
    readonly burned: Amount;
    readonly slashedSlots: readonly SlashedSlot[];
  };
};

export function createGroupState(ledger: Ledger): GroupState {
  const overlay = new Map<string, AccountWrite>();
  const slashed = new Map<string, Hash32>();
  const seen = new Set<string>();
  let fees = 0n;
  let burned = 0n;
  return {
    read: (address) => {
      const written = overlay.get(toHex(address));
      if (written !== undefined) return written.account;
      return getAccount(ledger, address) ?? undefined;
    },
    write: (address, account) => {
      overlay.set(toHex(address), Object.freeze({ address, account: Object.freeze(account) }));
    },
    isSlashed: (slotId) => slashed.has(toHex(slotId)) || isSlotSlashed(ledger, slotId),
    markSlashed: (slotId) => {
      slashed.set(toHex(slotId), slotId);
    },
    addFee: (fee) => {
      fees = addU64(fees, fee, 'fees collected');
    },
    addBurned: (amount) => {
      burned = addU64(burned, amount, 'burned');
    },
    remember: (id) => {
      seen.add(toHex(id));
    },
    hasSeen: (id) => seen.has(toHex(id)),
    finish: () =>
      Object.freeze({
        accounts: Object.freeze([...overlay.values()]),
        feesCollected: fees,
        burned,
        slashedSlots: Object.freeze([...slashed.values()].map((slotId) => Object.freeze({ slotId, epoch: ledger.epoch }))),
      }),
  };
}
