/**
 * Choosing transactions for a vertex: the best fee per byte first among the senders' ready
 * heads, each sender's transactions in nonce order (its next one becomes a candidate once its
 * predecessor is taken), ties broken by id, within a count and a byte budget.
 *
 * Greedy over heads: a dear transaction behind a cheap one of the same sender waits for it
 * (no package pricing). When a head does not fit the remaining bytes, that sender is done for
 * this selection (its later nonces cannot go before it); smaller transactions of others may
 * still fill the space. The caller's `choose` may pass over a transaction (`skip`: it rides in
 * a vertex already, the sender's next nonce is next) or put a sender off (`later`); neither
 * counts against the limits. O(senders + k log senders) for k reached. Nothing is removed: the
 * pool forgets transactions when they are committed (`onCommitted`).
 */
import type { Entry } from './_candidate.ts';
import { createBinaryHeap } from './_heap.ts';
import { selectsBefore } from './_price.ts';
import type { SenderQueue } from './_senderQueue.ts';
import type { PooledTx, SelectLimits } from './types.ts';

type Cursor = { readonly queue: SenderQueue; readonly index: number; readonly entry: Entry };

const cursorBefore = (a: Cursor, b: Cursor): boolean => selectsBefore(a.entry, b.entry);

export function selectReady(senders: Iterable<SenderQueue>, limits: SelectLimits): readonly PooledTx[] {
  const heads: Cursor[] = [];
  for (const queue of senders) {
    const entry = queue.entries[0];
    if (queue.readyCount > 0 && entry !== undefined) heads.push({ queue, index: 0, entry });
  }
  const heap = createBinaryHeap(cursorBefore, heads);
  const chosen: PooledTx[] = [];
  let bytes = 0;
  for (let cursor = heap.pop(); cursor !== undefined && chosen.length < limits.maxTxs; cursor = heap.pop()) {
    const { queue, index, entry } = cursor;
    const choice = limits.choose === undefined ? 'take' : limits.choose(entry.view);
    if (choice === 'later') continue;
    if (choice === 'take') {
      if (bytes + entry.sizeBytes > limits.maxBytes) continue;
      chosen.push(entry.view);
      bytes += entry.sizeBytes;
    }
    const next = queue.entries[index + 1];
    if (index + 1 < queue.readyCount && next !== undefined) heap.push({ queue, index: index + 1, entry: next });
  }
  return Object.freeze(chosen);
}
