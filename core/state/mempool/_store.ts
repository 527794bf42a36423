/**
 * The pool's contents: entries by id, queues by sender, byte and readiness totals, and the
 * eviction order.
 *
 * Eviction takes a sender's TAIL (its highest nonce) only, so removing it never opens a gap in
 * front of that sender's remaining transactions. The eviction heap therefore holds sender
 * tails, cheapest per byte first, with lazy deletion: an item is live while its entry is still
 * pooled and still its sender's tail; dead items are dropped when they surface, and the heap is
 * rebuilt from the live tails when dead items outnumber live ones (so it stays O(pool size)).
 *
 * Every mutation goes through `add` / `remove`, which keep the totals, the readiness counts and
 * the heap consistent. No checks here: the caller (admission, commit) decides what may enter.
 */
import type { Account, Address } from '../types.ts';
import type { Entry } from './_candidate.ts';
import { createBinaryHeap } from './_heap.ts';
import { evictsBefore } from './_price.ts';
import { countReady, createSenderQueue, lowerBound, tailOf, type SenderQueue } from './_senderQueue.ts';

/** Rebuild the eviction heap when it holds more than this many items per live tail, plus slack. */
const HEAP_DEAD_ITEMS_FACTOR = 2;
const HEAP_SLACK_ITEMS = 64;

export type Store = ReturnType<typeof createStore>;

/** `accountOf` reads the current committed view: a sender's queue records its account when created. */
export function createStore(accountOf: (sender: Address) => Account | undefined) {
  const entries = new Map<string, Entry>();
  const senders = new Map<string, SenderQueue>();
  const tails = createBinaryHeap<Entry>(evictsBefore);
  let bytes = 0;
  let ready = 0;

  const isLiveTail = (e: Entry): boolean => {
    if (entries.get(e.idHex) !== e) return false;
    const queue = senders.get(e.senderHex);
    return queue !== undefined && tailOf(queue) === e;
  };

  const pushTail = (queue: SenderQueue): void => {
    const tail = tailOf(queue);
    if (tail === undefined) return;
    tails.push(tail);
    if (tails.size() > HEAP_DEAD_ITEMS_FACTOR * senders.size + HEAP_SLACK_ITEMS) {
      tails.reset([...senders.values()].map((q) => tailOf(q) as Entry));
    }
  };

  /** Recounts one sender's ready run (bounded by maxPerSender) and the pool's total. */
  const updateReady = (queue: SenderQueue): void => {
    const count = countReady(queue);
    ready += count - queue.readyCount;
    queue.readyCount = count;
  };

  const queueFor = (senderHex: string, sender: Address): SenderQueue => {
    let queue = senders.get(senderHex);
    if (queue === undefined) {
      queue = createSenderQueue(senderHex, sender, accountOf(sender));
      senders.set(senderHex, queue);
    }
    return queue;
  };

  /** Adds an entry whose id and (sender, nonce) are not pooled. */
  const add = (entry: Entry): void => {
    const queue = queueFor(entry.senderHex, entry.sender);
    const at = lowerBound(queue, entry.nonce);
    if (queue.entries[at]?.nonce === entry.nonce || entries.has(entry.idHex)) {
      throw new Error('mempool store: add of a pooled id or (sender, nonce)');
    }
    queue.entries.splice(at, 0, entry);
    entries.set(entry.idHex, entry);
    bytes += entry.sizeBytes;
    if (at === queue.entries.length - 1) pushTail(queue);
    updateReady(queue);
  };

  const remove = (entry: Entry): void => {
    const queue = senders.get(entry.senderHex);
    if (queue === undefined || entries.get(entry.idHex) !== entry) throw new Error('mempool store: remove of an entry not pooled');
    const at = lowerBound(queue, entry.nonce);
    const wasTail = at === queue.entries.length - 1;
    queue.entries.splice(at, 1);
    entries.delete(entry.idHex);
    bytes -= entry.sizeBytes;
    updateReady(queue);
    if (queue.entries.length === 0) senders.delete(entry.senderHex);
    else if (wasTail) pushTail(queue);
  };

  /**
   * The cheapest evictable entry that `isProtected` does not refuse, or undefined. Protected
   * live tails are moved into `setAside`; the caller must hand them back with `restore`.
   */
  const cheapestTail = (isProtected: (e: Entry) => boolean, setAside: Entry[]): Entry | undefined => {
    for (let top = tails.peek(); top !== undefined; top = tails.peek()) {
      if (!isLiveTail(top)) tails.pop();
      else if (isProtected(top)) setAside.push(tails.pop() as Entry);
      else return top;
    }
    return undefined;
  };

  const restore = (setAside: readonly Entry[]): void => {
    for (const e of setAside) if (isLiveTail(e)) tails.push(e);
  };

  return Object.freeze({
    add,
    remove,
    cheapestTail,
    restore,
    updateReady,
    get: (idHex: string): Entry | undefined => entries.get(idHex),
    has: (idHex: string): boolean => entries.has(idHex),
    sender: (senderHex: string): SenderQueue | undefined => senders.get(senderHex),
    senders: (): IterableIterator<SenderQueue> => senders.values(),
    entries: (): IterableIterator<Entry> => entries.values(),
    count: (): number => entries.size,
    bytes: (): number => bytes,
    ready: (): number => ready,
    senderCount: (): number => senders.size,
  });
}
