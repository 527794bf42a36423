/**
 * Gossip topics for vertices and transactions, their size caps, and delivery to the runtime.
 *
 * DESIGN.md §2 Network. Topics `/kaldrix/<chainId>/vertices/1` (one signed vertex per message)
 * and `/kaldrix/<chainId>/transactions/2` (a batch of signed transactions, _txBatch.ts). A
 * message above its topic's cap, or a transaction batch that does not decode, is rejected in the
 * topic validator, before anything is handed over or relayed (gossipsub then also lowers the
 * relaying peer's own gossip score, and the node penalizes it); the rest goes to
 * `inbound.vertex` / `inbound.transaction` (once per transaction of a batch) with the id of the
 * peer that relayed it, which is the peer to penalize if it is invalid.
 *
 * Caveat: messages are relayed once their framing is checked, before the validator has checked
 * their signatures (`PeerInboundHandlers` returns no verdict). A vertex above gossipsub's
 * outbound frame limit (4 MiB, it-length-prefixed's default inside gossipsub) cannot be
 * published; peers then fetch it with the `vertices` protocol.
 */
import { TopicValidatorResult, type GossipSub } from '@libp2p/gossipsub';
import { MAX_SIGNED_VERTEX_BYTES, MAX_TRANSACTION_BYTES_LIMIT } from '../../../core/dag/index.ts';
import type { PeerInboundHandlers } from '../contracts.ts';
import { plainBytes } from './_frames.ts';
import { createTxBatcher, txBatchCap, txBatchCodec } from './_txBatch.ts';

export const vertexTopic = (chainId: string): string => `/kaldrix/${chainId}/vertices/1`;
export const transactionTopic = (chainId: string): string => `/kaldrix/${chainId}/transactions/2`;

/** Protobuf framing of one gossip RPC around its payload (topic, field tags, lengths, control), generously. */
export const GOSSIP_FRAME_OVERHEAD_BYTES = 64 * 1024;
/** The largest gossip RPC accepted on the wire: the largest vertex the protocol allows, plus framing. */
export const MAX_GOSSIP_FRAME_BYTES = MAX_SIGNED_VERTEX_BYTES + GOSSIP_FRAME_OVERHEAD_BYTES;

export type GossipCaps = {
  /** Default MAX_SIGNED_VERTEX_BYTES. */
  readonly maxVertexBytes: number;
  /** Default the protocol's bound on one transaction, MAX_TRANSACTION_BYTES_LIMIT (genesis `max_tx_bytes` is at most this). */
  readonly maxTransactionBytes: number;
};

export const DEFAULT_GOSSIP_CAPS: GossipCaps = Object.freeze({
  maxVertexBytes: MAX_SIGNED_VERTEX_BYTES,
  maxTransactionBytes: MAX_TRANSACTION_BYTES_LIMIT,
});

export type GossipInit = {
  readonly chainId: string;
  readonly caps: GossipCaps;
  readonly inbound: PeerInboundHandlers;
  readonly onOversized: (peer: string, topic: string, sizeBytes: number, maxBytes: number) => void;
  /** A transaction batch that does not decode. */
  readonly onMalformed: (peer: string, topic: string, reason: string) => void;
  readonly onBytes: (direction: 'in' | 'out', bytes: number) => void;
  readonly onError: (what: string, error: unknown) => void;
};

export interface Gossip {
  subscribe(): void;
  publishVertex(bytes: Uint8Array): void;
  /** Joins the next transaction batch (sent within TX_BATCH_LINGER_MS). */
  publishTransaction(bytes: Uint8Array): void;
  /** Sends the batch being gathered now (before stopping). */
  flush(): void;
}

export function attachGossip(pubsub: GossipSub, init: GossipInit): Gossip {
  const vertices = vertexTopic(init.chainId);
  const transactions = transactionTopic(init.chainId);
  const batchCodec = txBatchCodec(init.caps.maxTransactionBytes);
  const capOf = (topic: string) => (topic === vertices ? init.caps.maxVertexBytes : txBatchCap(init.caps.maxTransactionBytes));
  /** Batches decoded by the topic validator, handed to the message handler that follows it. */
  const decodedBatches = new WeakMap<Uint8Array, readonly Uint8Array[]>();

  for (const topic of [vertices, transactions]) {
    pubsub.topicValidators.set(topic, (peer, message) => {
      const maxBytes = capOf(topic);
      if (message.data.length > maxBytes) {
        init.onOversized(peer.toString(), topic, message.data.length, maxBytes);
        return TopicValidatorResult.Reject;
      }
      if (topic !== transactions) return TopicValidatorResult.Accept;
      const batch = batchCodec.decode(plainBytes(message.data), { maxBytes });
      if (!batch.ok || batch.value.length === 0) {
        init.onMalformed(peer.toString(), topic, batch.ok ? 'an empty batch' : batch.error.code);
        return TopicValidatorResult.Reject;
      }
      decodedBatches.set(message.data, batch.value);
      return TopicValidatorResult.Accept;
    });
  }

  pubsub.addEventListener('gossipsub:message', (event) => {
    const { msg, propagationSource } = event.detail;
    const from = propagationSource.toString();
    const data = plainBytes(msg.data);
    init.onBytes('in', data.length);
    try {
      if (msg.topic === vertices) init.inbound.vertex(data, from);
      else if (msg.topic === transactions) {
        const batch = decodedBatches.get(msg.data);
        decodedBatches.delete(msg.data);
        for (const tx of batch ?? []) init.inbound.transaction(tx, from);
      }
    } catch (error) {
      // A runtime bug must not take the gossip router down with it.
      init.onError(`inbound handler for ${msg.topic}`, error);
    }
  });

  const publish = (topic: string, bytes: Uint8Array) => {
    const maxBytes = capOf(topic);
    if (bytes.length > maxBytes) throw new RangeError(`publish: ${bytes.length} bytes exceed the ${topic} cap of ${maxBytes}`);
    init.onBytes('out', bytes.length);
    pubsub.publish(topic, bytes).catch((error: unknown) => init.onError(`publish ${topic}`, error));
  };
  const batcher = createTxBatcher(batchCodec, (batch) => publish(transactions, batch));

  return Object.freeze({
    subscribe() {
      pubsub.subscribe(vertices);
      pubsub.subscribe(transactions);
    },
    publishVertex: (bytes: Uint8Array) => publish(vertices, bytes),
    publishTransaction(bytes: Uint8Array): void {
      if (bytes.length > init.caps.maxTransactionBytes) throw new RangeError(`publish: a ${bytes.length}-byte transaction exceeds the cap of ${init.caps.maxTransactionBytes}`);
      batcher.add(bytes);
    },
    flush: () => batcher.flush(),
  });
}
