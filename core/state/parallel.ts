/**
 * Parallel execution of a block: split its ordered transactions into conflict-free groups,
 * execute each group on its own against the block's start state, merge the results. The
 * outcome is IDENTICAL to sequential execution (`executeBlock`): same receipts, same root
 * (property-tested on conflict-heavy workloads in `parallel.test.ts`).
 *
 * DESIGN.md §2 Ledger ("non-conflicting transactions may execute in parallel; the result must be
 * identical to sequential execution"). core/ does no threading: `planGroups` yields independent
 * work units, `executeGroup` is a pure function a shell can run in a worker (its inputs and
 * output are structured-clone friendly), and `mergeGroups` commits. `executeBlockInGroups` is
 * the sequential driver over the same three steps.
 *
 * Why groups commute: a transaction reads and writes only the accounts it touches — its sender,
 * a transfer's recipient, an evidence's offender — plus the offender's slashed slots (a slot
 * id names its offender, so all evidence against one offender falls in one group with that
 * offender's account). Union-find over touched accounts puts every pair of transactions that
 * share an account in one group, in block order. The fee pool and the burned total are only
 * added to, so their per-group deltas sum.
 */
import { toHex } from '../crypto/index.ts';
import { createGroupState } from './executeState.ts';
import { executeTx } from './executeTx.ts';
import type { AccountWrite, BlockResult, ExecutionContext, GroupResult, IndexedTx, Receipt } from './executeTypes.ts';
import { commitLedger, stateRoot, type Ledger, type SlashedSlot } from './ledger.ts';
import { addU64 } from './ledgerMath.ts';
import type { Address, SignedTx } from './types.ts';

/** The accounts a transaction may read or write. */
export function touchedAddresses(signedTx: SignedTx): readonly Address[] {
  const { tx } = signedTx;
  switch (tx.body.kind) {
    case 'transfer':
      return [tx.sender, tx.body.value.to];
    case 'evidence':
      return [tx.sender, tx.body.value.evidence.offender];
    default:
      return [tx.sender];
  }
}

/**
 * Conflict-free groups of block positions: each group is ascending (block order), groups are
 * ordered by their first position, and every position is in exactly one group. Cost: near
 * linear (union-find with path halving and union by size).
 */
export function planGroups(txs: readonly SignedTx[]): readonly (readonly number[])[] {
  const slotOf = new Map<string, number>();
  const parent: number[] = [];
  const size: number[] = [];
  const find = (x: number): number => {
    let node = x;
    // Bounded: every step moves to a strictly older ancestor.
    while (parent[node] !== node) {
      const grand = parent[parent[node] as number] as number;
      parent[node] = grand;
      node = grand;
    }
    return node;
  };
  const union = (a: number, b: number): void => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return;
    if ((size[ra] as number) < (size[rb] as number)) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    size[ra] = (size[ra] as number) + (size[rb] as number);
  };
  const txSlot = txs.map((signedTx) => {
    const slots = touchedAddresses(signedTx).map((address) => {
      const id = toHex(address);
      let slot = slotOf.get(id);
      if (slot === undefined) {
        slot = parent.length;
        slotOf.set(id, slot);
        parent.push(slot);
        size.push(1);
      }
      return slot;
    });
    for (const other of slots.slice(1)) union(slots[0] as number, other);
    return slots[0] as number;
  });
  const groups = new Map<number, number[]>();
  txSlot.forEach((slot, index) => {
    const root = find(slot);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [index]);
    else group.push(index);
  });
  // Map iteration follows insertion, i.e. each group's first position: deterministic order.
  return Object.freeze([...groups.values()].map((g) => Object.freeze(g)));
}

/**
 * Executes one group (transactions in block order) against the block's start `ledger`. Pure;
 * the group must be conflict-free with every other group of the block (`planGroups`).
 */
export function executeGroup(ledger: Ledger, group: readonly IndexedTx[], ctx: ExecutionContext): GroupResult {
  const state = createGroupState(ledger);
  let previous = -1;
  const receipts: Receipt[] = group.map(({ index, signedTx }) => {
    if (!Number.isInteger(index) || index <= previous) throw new RangeError('executeGroup: indices must be ascending integers');
    previous = index;
    return executeTx(state, signedTx, ctx, ledger.epoch);
  });
  const finished = state.finish();
  return Object.freeze({ indices: Object.freeze(group.map((t) => t.index)), receipts: Object.freeze(receipts), ...finished });
}

/**
 * Commits the groups of one block of `txCount` transactions in ONE tree batch. Throws when the
 * groups overlap or leave a position out (a planning bug, never bad input).
 */
export function mergeGroups(ledger: Ledger, txCount: number, groups: readonly GroupResult[]): BlockResult {
  const receipts: (Receipt | undefined)[] = new Array<Receipt | undefined>(txCount).fill(undefined);
  const accounts = new Map<string, AccountWrite>();
  const slashedSlots = new Map<string, SlashedSlot>();
  let feesCollected = 0n;
  let burned = 0n;
  for (const group of groups) {
    group.indices.forEach((index, i) => {
      if (index < 0 || index >= txCount || receipts[index] !== undefined) throw new Error(`mergeGroups: position ${index} out of range or in two groups`);
      receipts[index] = group.receipts[i];
    });
    for (const write of group.accounts) {
      const id = toHex(write.address);
      if (accounts.has(id)) throw new Error('mergeGroups: two groups wrote one account');
      accounts.set(id, write);
    }
    for (const slot of group.slashedSlots) {
      const id = toHex(slot.slotId);
      if (slashedSlots.has(id)) throw new Error('mergeGroups: two groups slashed one slot');
      slashedSlots.set(id, slot);
    }
    feesCollected = addU64(feesCollected, group.feesCollected, 'fees collected');
    burned = addU64(burned, group.burned, 'burned');
  }
  if (receipts.some((r) => r === undefined)) throw new Error('mergeGroups: a position has no receipt');
  const next = commitLedger(ledger, {
    accounts: [...accounts.values()],
    slashedSlots: [...slashedSlots.values()],
    epoch: ledger.epoch,
    feePool: addU64(ledger.feePool, feesCollected, 'fee pool'),
    burned: addU64(ledger.burned, burned, 'burned total'),
  });
  return Object.freeze({ ledger: next, receipts: Object.freeze(receipts as Receipt[]), stateRoot: stateRoot(next), feesCollected, burned });
}

/** Plan → execute each group (here one after another) → merge: what a worker pool does, in line. */
export function executeBlockInGroups(ledger: Ledger, txs: readonly SignedTx[], ctx: ExecutionContext): BlockResult {
  const results = planGroups(txs).map((indices) =>
    executeGroup(ledger, indices.map((index) => ({ index, signedTx: txs[index] as SignedTx })), ctx),
  );
  return mergeGroups(ledger, txs.length, results);
}
