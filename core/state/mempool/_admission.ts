/**
 * Admission rules against the pool and the committed account, cheapest first (DESIGN.md §2
 * Ledger): duplicate id, stale nonce, sender key, replacement or per-sender bound, balance,
 * fee floor and fullness. Signature verification, the one expensive step, comes after these
 * (in mempool.ts), and these rules run again once it returns, because the pool and the
 * committed state may have moved while it was awaited.
 *
 * `checkAdmission` only reads. `enterPool` mutates: it evicts what must go to make room and
 * either inserts the transaction or undoes every eviction and refuses.
 */
import { err, ok, type Result } from '../../result.ts';
import { EMPTY_ACCOUNT } from '../account.ts';
import { checkSenderKey } from '../txValidate.ts';
import type { Account } from '../types.ts';
import type { TaggedPublicKey } from '../../crypto/index.ts';
import type { Candidate, Entry } from './_candidate.ts';
import { comparePrice, feeAbove, feeAtLeast, outbids, replacementFee } from './_price.ts';
import { carriedKey, entryAt, spendBefore, type SenderQueue } from './_senderQueue.ts';
import type { Store } from './_store.ts';
import type { MempoolReject } from './types.ts';

export type AdmissionSettings = {
  readonly maxTxs: number;
  readonly maxBytes: number;
  readonly maxPerSender: number;
  readonly minFeePerByte: bigint;
  readonly replaceBumpPercent: number;
};

export type AdmissionPlan = {
  /** The key that must verify the signature. */
  readonly senderKey: TaggedPublicKey;
  /** The pooled transaction with the same sender and nonce that this one replaces. */
  readonly replaces: Entry | undefined;
};

/**
 * The key that will verify `candidate` when it executes. With no key on record, the account's
 * next transaction must carry one (checkSenderKey); a later one must not (the first records
 * it), and is checked against the key a pooled earlier transaction carries.
 */
export function expectedSenderKey(
  account: Account | undefined,
  queue: SenderQueue | undefined,
  candidate: Candidate,
): Result<TaggedPublicKey, MempoolReject> {
  if (account?.key !== undefined || candidate.nonce === (account?.nonce ?? 0n)) return checkSenderKey(account, candidate.signedTx);
  const key = carriedKey(queue);
  if (key === undefined) return err({ code: 'SENDER_KEY_UNKNOWN' });
  return checkSenderKey({ ...(account ?? EMPTY_ACCOUNT), key }, candidate.signedTx);
}

export function checkAdmission(
  store: Store,
  candidate: Candidate,
  account: Account | undefined,
  settings: AdmissionSettings,
): Result<AdmissionPlan, MempoolReject> {
  if (store.has(candidate.idHex)) return err({ code: 'DUPLICATE', id: candidate.id });
  const accountNonce = account?.nonce ?? 0n;
  if (candidate.nonce < accountNonce) return err({ code: 'NONCE_TOO_LOW', nonce: candidate.nonce, accountNonce });
  const queue = store.sender(candidate.senderHex);
  const senderKey = expectedSenderKey(account, queue, candidate);
  if (!senderKey.ok) return senderKey;

  const replaces = queue === undefined ? undefined : entryAt(queue, candidate.nonce);
  if (replaces !== undefined) {
    if (!outbids(candidate, replaces, settings.replaceBumpPercent)) {
      const requiredFee = replacementFee(replaces, candidate.sizeBytes, settings.replaceBumpPercent);
      return err({ code: 'REPLACEMENT_UNDERPRICED', existingId: replaces.id, requiredFee });
    }
  } else {
    if ((queue?.entries.length ?? 0) >= settings.maxPerSender) {
      return err({ code: 'SENDER_LIMIT', reason: 'count', limit: settings.maxPerSender });
    }
    if (candidate.nonce >= accountNonce + BigInt(settings.maxPerSender)) {
      return err({ code: 'SENDER_LIMIT', reason: 'nonce-window', limit: settings.maxPerSender });
    }
  }

  const balance = account?.balance ?? 0n;
  const required = (queue === undefined ? 0n : spendBefore(queue, candidate.nonce)) + candidate.spend;
  if (required > balance) return err({ code: 'INSUFFICIENT_BALANCE', required, balance });

  const fee = checkFee(store, candidate, replaces, settings);
  if (!fee.ok) return fee;
  return ok({ senderKey: senderKey.value, replaces });
}

/**
 * The node's floor, then fullness: a new transaction that needs room must pay more per byte
 * than the cheapest evictable tail. A quick estimate (it ignores that a sender's own earlier
 * transactions are not evictable for it); `enterPool` decides exactly. A replacement skips the
 * estimate: it already outbids the slot it takes.
 */
function checkFee(store: Store, candidate: Candidate, replaces: Entry | undefined, settings: AdmissionSettings): Result<void, MempoolReject> {
  const floor = feeAtLeast(settings.minFeePerByte, candidate.sizeBytes);
  if (candidate.fee < floor) return err({ code: 'FEE_TOO_LOW', reason: 'below-minimum', requiredFee: floor });
  if (replaces !== undefined || !needsRoom(store, candidate, undefined, settings)) return ok(undefined);
  const setAside: Entry[] = [];
  const cheapest = store.cheapestTail(() => false, setAside);
  if (cheapest !== undefined && comparePrice(candidate, cheapest) > 0) return ok(undefined);
  return err({ code: 'FEE_TOO_LOW', reason: 'pool-full', requiredFee: cheapest && feeAbove(cheapest, candidate.sizeBytes) });
}

function needsRoom(store: Store, candidate: Candidate, replaces: Entry | undefined, settings: AdmissionSettings): boolean {
  const count = store.count() + 1 - (replaces === undefined ? 0 : 1);
  const bytes = store.bytes() + candidate.sizeBytes - (replaces?.sizeBytes ?? 0);
  return count > settings.maxTxs || bytes > settings.maxBytes;
}

export type Entered = {
  readonly evicted: readonly Entry[];
  /** Later transactions of the same sender that this one made unaffordable. */
  readonly dropped: readonly Entry[];
};

/**
 * Inserts `entry` (taking `plan.replaces`' slot), evicting the cheapest tails that pay strictly
 * less per byte until the bounds hold. A tail of the same sender with a lower nonce is never
 * evicted for it (that would open a gap in front of it). If room cannot be made, every change
 * is undone and FEE_TOO_LOW returned. Synchronous: nothing else sees the intermediate states.
 */
export function enterPool(
  store: Store,
  entry: Entry,
  plan: AdmissionPlan,
  account: Account | undefined,
  settings: AdmissionSettings,
): Result<Entered, MempoolReject> {
  if (plan.replaces !== undefined) store.remove(plan.replaces);
  const evicted: Entry[] = [];
  const setAside: Entry[] = [];
  const isProtected = (e: Entry): boolean => e.senderHex === entry.senderHex && e.nonce < entry.nonce;
  while (needsRoom(store, entry, undefined, settings)) {
    const victim = store.cheapestTail(isProtected, setAside);
    if (victim === undefined || comparePrice(victim, entry) >= 0) {
      for (const e of evicted.reverse()) store.add(e);
      if (plan.replaces !== undefined) store.add(plan.replaces);
      store.restore(setAside);
      return err({ code: 'FEE_TOO_LOW', reason: 'pool-full', requiredFee: victim && feeAbove(victim, entry.sizeBytes) });
    }
    store.remove(victim);
    evicted.push(victim);
  }
  store.restore(setAside);
  store.add(entry);
  // A replacement that spends more, or a transaction filling a gap, raises the spend in front
  // of the sender's later entries: those that no longer fit the balance go.
  const dropped = dropUnaffordable(store, entry.senderHex, account?.balance ?? 0n);
  return ok({ evicted, dropped });
}

/**
 * Keeps a sender's pooled spend within its committed balance: every entry must be affordable
 * together with all the sender's pooled entries below it. Since the running sum only grows, the
 * entries that fail form a suffix; they are removed and returned.
 */
export function dropUnaffordable(store: Store, senderHex: string, balance: bigint): Entry[] {
  const queue = store.sender(senderHex);
  if (queue === undefined) return [];
  let total = 0n;
  const cut = queue.entries.findIndex((e) => (total += e.spend) > balance);
  if (cut < 0) return [];
  const dropped = queue.entries.slice(cut);
  for (const e of [...dropped].reverse()) store.remove(e);
  return dropped;
}
