/**
 * Gossip topics for vertices and transactions, their size caps, and delivery to the runtime.
 *
 * DESIGN.md §2 Network. Topics `/kaldrix/<chainId>/vertices/1` (one signed vertex per message)
 * and `/kaldrix/<chainId>/transactions/2` (a batch of signed transactions, _txBatch.ts). A
 * message above its topic's cap, or a transaction batch that does not decode, is rejected in the
 * topic validator, before anything is handed over or relayed (gossipsub then also lowers the
 * relaying peer's own gossip score, and the node penalizes it).
 *
 * Transactions are validated before relay: the topic validator hands each transaction of a
 * batch to `inbound.transaction` (the mempool admits it, signature checked) and waits for the
 * verdicts. One `reject` (a forged signature, a transaction invalid on its own) rejects the
 * whole batch — not relayed, the relayer penalized; otherwise the batch is relayed when at least
 * one transaction was admitted, and dropped quietly when none was (all known or stale). A
 * forged transaction therefore travels one hop at most.
 *
 * Vertices go to `inbound.vertex` with the id of the peer that relayed them (the peer to
 * penalize if the validator refuses the vertex), as soon as their size is checked, and are
 * relayed `VERTEX_RELAY_HOLD_MS` later. The hold is what makes gossipsub's IDONTWANT work
 * where every validator hears every author directly: each receiver tells its mesh at once that
 * it holds the vertex, and by the time a node relays, the peers that said so are skipped, so a
 * vertex crosses each link about once instead of once per relayer. Caveat: a vertex is relayed
 * before the validator has checked its signature (its verdict can wait for missing parents). A
 * vertex above gossipsub's outbound frame limit (4 MiB, it-length-prefixed's default inside
 * gossipsub) cannot be published; peers then fetch it with the `vertices` protocol.
 */
import { TopicValidatorResult, type GossipSub } from '@libp2p/gossipsub';
import { MAX_SIGNED_VERTEX_BYTES, MAX_TRANSACTION_BYTES_LIMIT } from '../../../core/dag/index.ts';
import type { PeerInboundHandlers, RelayVerdict } from '../contracts.ts';
import { plainBytes } from './_frames.ts';
import { createTxBatcher, txBatchCap, txBatchCodec } from './_txBatch.ts';

export const vertexTopic = (chainId: string): string => `/kaldrix/${chainId}/vertices/1`;
export const transactionTopic = (chainId: string): string => `/kaldrix/${chainId}/transactions/2`;

/**
 * How long a received vertex waits before gossipsub relays it (it reaches this node's validator
 * at once). Long enough for the IDONTWANTs of peers that heard the author directly to arrive on
 * a LAN; what it costs is this much latency on the relayed path only.
 */
export const VERTEX_RELAY_HOLD_MS = 20;

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
  /** A decoded transaction batch holding a transaction the runtime rejected (`reason`: its refusal code). */
  readonly onInvalid: (peer: string, topic: string, reason: string) => void;
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

  const validateBatch = async (peer: string, data: Uint8Array, maxBytes: number): Promise<TopicValidatorResult> => {
    const batch = batchCodec.decode(plainBytes(data), { maxBytes });
    if (!batch.ok || batch.value.length === 0) {
      init.onMalformed(peer, transactions, batch.ok ? 'an empty batch' : batch.error.code);
      return TopicValidatorResult.Reject;
    }
    const verdicts = await Promise.all(batch.value.map((tx) => handOver(tx, peer)));
    const rejected = verdicts.find((v) => v.kind === 'reject');
    if (rejected !== undefined) {
      init.onInvalid(peer, transactions, rejected.reason);
      return TopicValidatorResult.Reject;
    }
    return verdicts.some((v) => v.kind === 'accept') ? TopicValidatorResult.Accept : TopicValidatorResult.Ignore;
  };
  const handOver = async (tx: Uint8Array, peer: string): Promise<RelayVerdict> => {
    try {
      return await init.inbound.transaction(tx, peer);
    } catch (error) {
      // A runtime bug must not take the gossip router down with it, nor blame the peer.
      init.onError(`inbound handler for ${transactions}`, error);
      return { kind: 'ignore' };
    }
  };

  /** Hands a vertex over now and lets gossipsub relay it after the hold (see the header). */
  const holdVertex = async (peer: string, data: Uint8Array): Promise<TopicValidatorResult> => {
    try {
      init.inbound.vertex(plainBytes(data), peer);
    } catch (error) {
      // A runtime bug must not take the gossip router down with it, nor blame the peer.
      init.onError(`inbound handler for ${vertices}`, error);
    }
    await new Promise((resolve) => setTimeout(resolve, VERTEX_RELAY_HOLD_MS));
    return TopicValidatorResult.Accept;
  };

  for (const topic of [vertices, transactions]) {
    pubsub.topicValidators.set(topic, (peer, message) => {
      const maxBytes = capOf(topic);
      init.onBytes('in', message.data.length);
      if (message.data.length > maxBytes) {
        init.onOversized(peer.toString(), topic, message.data.length, maxBytes);
        return TopicValidatorResult.Reject;
      }
      return topic === transactions ? validateBatch(peer.toString(), message.data, maxBytes) : holdVertex(peer.toString(), message.data);
    });
  }

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
