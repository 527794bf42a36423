/**
 * Bringing the pool up to a newly committed state (`onCommitted`).
 *
 * 1. Committed ids leave the pool — those whose nonce the sender's account has passed. A
 *    committed transaction whose nonce is still ahead of its account did not execute: its copy
 *    ran ahead of the sender's previous nonce (a vertex that carries it was ordered before the
 *    one that carries that nonce) and execution refused it. It stays: once the nonce before it
 *    executes, it is valid again, and a pool that forgot it would leave every later nonce of the
 *    sender waiting for good. (Kept at exactly the new nonce: it ran ahead within this very
 *    commit. Any other refusal at its own turn would mean the pool admitted what execution
 *    refuses at the same state — both apply the same rules, which the sweep below re-checks.)
 * 2. Every sender still pooled is looked up in the new state (O(senders) lookups per commit:
 *    a transaction we never saw may have advanced any sender's nonce). A sender whose nonce,
 *    balance and key are unchanged is skipped. For the others:
 *    - entries below the new nonce are stale (that nonce is used) and dropped;
 *    - entries whose key no longer holds are dropped: signed by a key no longer on record
 *      (rotation took effect), or carrying a key the account now has on record;
 *    - balances are re-checked eagerly: the sender's pooled spend must fit the new balance
 *      (`dropUnaffordable`); the unaffordable suffix is dropped, not kept hoping for income,
 *      so the pool never offers a block a transaction that cannot pay;
 *    - the ready run is recounted, so queued entries whose gap closed become ready.
 * A reorg (a lower nonce than before) simply turns ready entries into queued ones.
 */
import { toHex } from '../../crypto/index.ts';
import type { Account } from '../types.ts';
import { dropUnaffordable } from './_admission.ts';
import type { Entry } from './_candidate.ts';
import { matchesAccount, recordAccount, sameKey, type SenderQueue } from './_senderQueue.ts';
import type { Store } from './_store.ts';
import type { AccountView, TxId } from './types.ts';

export type CommitSweep = { readonly committed: readonly Entry[]; readonly dropped: readonly Entry[] };

export function applyCommitted(store: Store, accounts: AccountView, committedIds: Iterable<TxId>): CommitSweep {
  // One lookup per sender per commit, shared by both steps (a lookup is a tree walk and a decode).
  const looked = new Map<string, Account | undefined>();
  const accountOf = (senderHex: string, sender: Uint8Array): Account | undefined => {
    if (!looked.has(senderHex)) looked.set(senderHex, accounts.account(sender));
    return looked.get(senderHex);
  };
  const committed: Entry[] = [];
  for (const id of committedIds) {
    const entry = store.get(toHex(id));
    if (entry === undefined || entry.nonce >= (accountOf(entry.senderHex, entry.sender)?.nonce ?? 0n)) continue;
    store.remove(entry);
    committed.push(entry);
  }
  const dropped: Entry[] = [];
  for (const queue of [...store.senders()]) {
    const account = accountOf(queue.senderHex, queue.sender);
    if (matchesAccount(queue, account)) continue;
    dropped.push(...refreshSender(store, queue, account));
  }
  return Object.freeze({ committed, dropped });
}

/** Re-checks one sender's entries against its account; returns what was dropped. */
export function refreshSender(store: Store, queue: SenderQueue, account: Account | undefined): Entry[] {
  recordAccount(queue, account);
  const invalid = queue.entries.filter((e) => e.nonce < queue.accountNonce || !keyStillHolds(account, e));
  for (const e of invalid) store.remove(e);
  const unaffordable = dropUnaffordable(store, queue.senderHex, queue.accountBalance);
  store.updateReady(queue);
  return [...invalid, ...unaffordable];
}

/**
 * Whether `entry` still verifies and is still well-formed for the account: with a key on
 * record it must carry none and have been verified by that key; without one, the account's
 * next transaction must carry the key and later ones must not.
 */
function keyStillHolds(account: Account | undefined, entry: Entry): boolean {
  const carries = entry.signedTx.publicKey !== undefined;
  if (account?.key !== undefined) return !carries && sameKey(account.key, entry.senderKey);
  return entry.nonce === (account?.nonce ?? 0n) ? carries : !carries;
}
