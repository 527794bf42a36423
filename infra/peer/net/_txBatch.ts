/**
 * Transactions travel the gossip topic in batches: `list(bytes)` of signed transactions
 * (core/codec), at most TX_BATCH_MAX_ITEMS of them.
 *
 * Why: one gossip message per transaction cost more than everything else a devnet node did
 * under load — every message is framed, encrypted, hashed for its id, deduplicated and relayed
 * on its own (at 150 transfers/s offered, four nodes sent 111/s with a finality p50 of 7.9 s;
 * with the same transfers in batches the nodes kept up). A batch is sent when it holds
 * TX_BATCH_MAX_ITEMS transactions or TX_BATCH_FLUSH_BYTES bytes, or TX_BATCH_LINGER_MS after
 * its first transaction — a delay far below a round (`min_round_delay_ms` is 50 ms).
 */
import { bytes, list, type Codec } from '../../../core/codec/index.ts';

export const TX_BATCH_MAX_ITEMS = 256;
/** A batch is sent before it would grow past this; a single larger transaction goes alone. */
export const TX_BATCH_FLUSH_BYTES = 512 * 1024;
export const TX_BATCH_LINGER_MS = 5;
/** List and length prefixes of a full batch, generously (a varint is at most 5 bytes here). */
export const TX_BATCH_FRAMING_BYTES = 5 * (TX_BATCH_MAX_ITEMS + 1);

/** The largest batch message for transactions of at most `maxTransactionBytes`. */
export function txBatchCap(maxTransactionBytes: number): number {
  return Math.max(TX_BATCH_FLUSH_BYTES, maxTransactionBytes) + TX_BATCH_FRAMING_BYTES;
}

export function txBatchCodec(maxTransactionBytes: number): Codec<readonly Uint8Array[]> {
  return list(bytes({ maxBytes: maxTransactionBytes }), { maxItems: TX_BATCH_MAX_ITEMS });
}

export type TxBatcher = {
  add(tx: Uint8Array): void;
  /** Sends what is held now (and cancels the linger timer). */
  flush(): void;
};

export function createTxBatcher(codec: Codec<readonly Uint8Array[]>, send: (batch: Uint8Array) => void): TxBatcher {
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (held.length === 0) return;
    const batch = held;
    held = [];
    heldBytes = 0;
    send(codec.encode(batch));
  };

  return Object.freeze({
    add(tx: Uint8Array): void {
      if (held.length > 0 && heldBytes + tx.length > TX_BATCH_FLUSH_BYTES) flush();
      held.push(tx);
      heldBytes += tx.length;
      if (held.length >= TX_BATCH_MAX_ITEMS || heldBytes >= TX_BATCH_FLUSH_BYTES) flush();
      else if (timer === undefined) timer = setTimeout(flush, TX_BATCH_LINGER_MS);
    },
    flush,
  });
}
