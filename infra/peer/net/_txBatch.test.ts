// The transaction batcher: a batch goes out full (count or bytes), or after the linger delay;
// a transaction larger than the flush size goes alone; every batch decodes to what went in.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TRANSACTION_BYTES_LIMIT } from '../../../core/dag/index.ts';
import { createTxBatcher, TX_BATCH_FLUSH_BYTES, TX_BATCH_LINGER_MS, TX_BATCH_MAX_ITEMS, txBatchCap, txBatchCodec } from './_txBatch.ts';

const codec = txBatchCodec(MAX_TRANSACTION_BYTES_LIMIT);
const tx = (size: number, fill: number) => new Uint8Array(size).fill(fill);

function recorder() {
  const sent: (readonly Uint8Array[])[] = [];
  const batcher = createTxBatcher(codec, (bytes) => {
    expect(bytes.length).toBeLessThanOrEqual(txBatchCap(MAX_TRANSACTION_BYTES_LIMIT));
    const decoded = codec.decode(bytes, { maxBytes: bytes.length });
    if (!decoded.ok) throw new Error(decoded.error.code);
    sent.push(decoded.value);
  });
  return { sent, batcher };
}

afterEach(() => void vi.useRealTimers());

describe('createTxBatcher', () => {
  it('sends a full batch at once and the rest after the linger delay', () => {
    vi.useFakeTimers();
    const { sent, batcher } = recorder();
    const txs = Array.from({ length: TX_BATCH_MAX_ITEMS + 3 }, (_, i) => tx(100, i % 256));
    for (const t of txs) batcher.add(t);
    expect(sent.map((b) => b.length)).toEqual([TX_BATCH_MAX_ITEMS]);
    vi.advanceTimersByTime(TX_BATCH_LINGER_MS - 1);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent.map((b) => b.length)).toEqual([TX_BATCH_MAX_ITEMS, 3]);
    expect(sent.flat()).toEqual(txs);
  });

  it('sends before a batch would pass the flush size; a larger transaction goes alone', () => {
    vi.useFakeTimers();
    const { sent, batcher } = recorder();
    const third = Math.floor(TX_BATCH_FLUSH_BYTES / 3) + 1;
    batcher.add(tx(third, 1));
    batcher.add(tx(third, 2));
    batcher.add(tx(third, 3)); // would pass the flush size: the first two go first
    expect(sent.map((b) => b.length)).toEqual([2]);
    batcher.add(tx(TX_BATCH_FLUSH_BYTES + 10, 4)); // the held one goes, then this one alone
    expect(sent.map((b) => b.length)).toEqual([2, 1, 1]);
    expect(sent[2]?.[0]?.length).toBe(TX_BATCH_FLUSH_BYTES + 10);
    batcher.flush();
    vi.advanceTimersByTime(TX_BATCH_LINGER_MS);
    expect(sent).toHaveLength(3);
  });

  it('flush sends what is held, and nothing when nothing is', () => {
    vi.useFakeTimers();
    const { sent, batcher } = recorder();
    batcher.flush();
    batcher.add(tx(10, 9));
    batcher.flush();
    vi.advanceTimersByTime(TX_BATCH_LINGER_MS * 2);
    expect(sent.map((b) => b.length)).toEqual([1]);
  });
});
