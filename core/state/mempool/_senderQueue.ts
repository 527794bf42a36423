/**
 * One sender's pooled transactions, ordered by nonce, with the committed account facts they
 * were last checked against.
 *
 * "Ready" is the contiguous run of nonces starting at the committed account nonce: those can
 * execute in order now. Entries after a gap are "queued": held until the gap closes. A queue
 * holds at most `maxPerSender` entries (the store's caller enforces it), so its linear scans
 * are bounded by that constant.
 */
import { bytesEqual, type TaggedPublicKey } from '../../crypto/index.ts';
import type { Account, Address } from '../types.ts';
import type { Entry } from './_candidate.ts';

export type SenderQueue = {
  readonly senderHex: string;
  readonly sender: Address;
  /** Ascending nonces, no two equal. */
  readonly entries: Entry[];
  /** Committed account facts the entries were last checked against. */
  accountNonce: bigint;
  accountBalance: bigint;
  accountKey: TaggedPublicKey | undefined;
  /** Length of the contiguous run from `accountNonce` (a prefix of `entries`). */
  readyCount: number;
};

export function createSenderQueue(senderHex: string, sender: Address, account: Account | undefined): SenderQueue {
  return {
    senderHex,
    sender,
    entries: [],
    accountNonce: account?.nonce ?? 0n,
    accountBalance: account?.balance ?? 0n,
    accountKey: account?.key,
    readyCount: 0,
  };
}

export function sameKey(a: TaggedPublicKey | undefined, b: TaggedPublicKey | undefined): boolean {
  if (a === b) return true;
  return a !== undefined && b !== undefined && a.scheme === b.scheme && bytesEqual(a.publicKey, b.publicKey);
}

/** Whether the queue was last checked against exactly these account facts. */
export function matchesAccount(queue: SenderQueue, account: Account | undefined): boolean {
  return (
    queue.accountNonce === (account?.nonce ?? 0n) &&
    queue.accountBalance === (account?.balance ?? 0n) &&
    sameKey(queue.accountKey, account?.key)
  );
}

export function recordAccount(queue: SenderQueue, account: Account | undefined): void {
  queue.accountNonce = account?.nonce ?? 0n;
  queue.accountBalance = account?.balance ?? 0n;
  queue.accountKey = account?.key;
}

/** Index of the first entry with nonce ≥ `nonce` (binary search). */
export function lowerBound(queue: SenderQueue, nonce: bigint): number {
  let lo = 0;
  let hi = queue.entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((queue.entries[mid] as Entry).nonce < nonce) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function entryAt(queue: SenderQueue, nonce: bigint): Entry | undefined {
  const e = queue.entries[lowerBound(queue, nonce)];
  return e !== undefined && e.nonce === nonce ? e : undefined;
}

export function tailOf(queue: SenderQueue): Entry | undefined {
  return queue.entries[queue.entries.length - 1];
}

/** Length of the contiguous nonce run starting at the committed account nonce. */
export function countReady(queue: SenderQueue): number {
  let n = 0;
  for (const e of queue.entries) {
    if (e.nonce !== queue.accountNonce + BigInt(n)) break;
    n++;
  }
  return n;
}

/** Total spend of the entries with nonce below `nonce`. */
export function spendBefore(queue: SenderQueue, nonce: bigint): bigint {
  let total = 0n;
  for (const e of queue.entries) {
    if (e.nonce >= nonce) break;
    total += e.spend;
  }
  return total;
}

/**
 * For an account with no key on record: the key the first transaction carries (any pooled one
 * that carries a key: only one key derives the address, so they all carry the same).
 */
export function carriedKey(queue: SenderQueue | undefined): TaggedPublicKey | undefined {
  for (const e of queue?.entries ?? []) if (e.signedTx.publicKey !== undefined) return e.signedTx.publicKey;
  return undefined;
}
