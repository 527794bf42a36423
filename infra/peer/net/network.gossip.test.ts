/**
 * Gossip between three real libp2p nodes on loopback: delivered once to every other node and
 * never echoed to the sender; a message above a receiver's cap is rejected before delivery.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connect, sleep, startNode, waitFor, type TestNode, TEST_CHAIN_ID } from './_testing.ts';
import { transactionTopic, vertexTopic } from './gossip.ts';
import { TX_BATCH_MAX_ITEMS, txBatchCodec } from './_txBatch.ts';
import { MAX_TRANSACTION_BYTES_LIMIT } from '../../../core/dag/index.ts';

afterEach(cleanup);

function payload(sizeBytes: number, fill: number): Uint8Array {
  const bytes = new Uint8Array(sizeBytes).fill(fill);
  bytes[0] = 0x4b; // distinct first byte: not a valid KALDRIX encoding, which gossip does not check
  return bytes;
}

async function meshOfThree(bOptions = {}): Promise<[TestNode, TestNode, TestNode]> {
  const a = await startNode();
  const b = await startNode(bOptions);
  const c = await startNode();
  await connect(a, b);
  await connect(a, c);
  await connect(b, c);
  const topic = vertexTopic(TEST_CHAIN_ID);
  for (const node of [a, b, c]) {
    await waitFor('subscriptions to spread', () => node.net.libp2p.services.pubsub.getSubscribers(topic).length === 2);
  }
  return [a, b, c];
}

/** a — b — c with no a–c link: whatever c gets from a, b relayed. */
async function lineOfThree(): Promise<[TestNode, TestNode, TestNode]> {
  const a = await startNode();
  const b = await startNode();
  const c = await startNode();
  await connect(a, b);
  await connect(b, c);
  const topic = transactionTopic(TEST_CHAIN_ID);
  // The router class has it; the service's interface type does not.
  const meshOf = (node: TestNode) => (node.net.libp2p.services.pubsub as unknown as { getMeshPeers(topic: string): string[] }).getMeshPeers(topic);
  await waitFor('b meshed with a and c', () => meshOf(b).length === 2 && meshOf(c).includes(b.net.peerId), 15_000);
  return [a, b, c];
}

describe('gossip', () => {
  it('delivers a vertex-sized message to every other node exactly once, not to the sender', async () => {
    const [a, b, c] = await meshOfThree();
    const vertex = payload(200 * 1024, 7);
    a.net.publishVertex(vertex);
    await waitFor('both receivers', () => b.vertices.length >= 1 && c.vertices.length >= 1);
    // Give relays (b → c, c → b) time to arrive if deduplication were broken.
    await sleep(500);
    for (const node of [b, c]) {
      expect(node.vertices).toHaveLength(1);
      expect(node.vertices[0]?.bytes).toEqual(vertex);
    }
    expect(a.vertices).toHaveLength(0);
    expect(b.vertices[0]?.from).toBe(a.net.peerId);

    const tx = payload(3000, 9);
    c.net.publishTransaction(tx);
    await waitFor('transaction', () => a.transactions.length === 1 && b.transactions.length === 1);
    expect(a.transactions[0]?.bytes).toEqual(tx);
    expect(c.transactions).toHaveLength(0);
    expect(a.net.libp2p.services.pubsub.getSubscribers(transactionTopic(TEST_CHAIN_ID))).toHaveLength(2);
    expect(a.net.stats().bytesSent).toBeGreaterThanOrEqual(vertex.length);
  });

  it('does not send a vertex to a peer that heard it from its author: relays wait for IDONTWANT', async () => {
    // Four validators, each connected to every other: every vertex reaches everyone from its author.
    const nodes = [await startNode(), await startNode(), await startNode(), await startNode()];
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) await connect(nodes[i] as TestNode, nodes[j] as TestNode);
    const topic = vertexTopic(TEST_CHAIN_ID);
    for (const node of nodes) await waitFor('subscriptions to spread', () => node.net.libp2p.services.pubsub.getSubscribers(topic).length === 3);
    // Copies a node received after the first: gossipsub's router reports each to its peer scoring.
    let duplicates = 0;
    for (const node of nodes) {
      const score = (node.net.libp2p.services.pubsub as unknown as { score: { duplicateMessage: (...args: unknown[]) => void } }).score;
      const original = score.duplicateMessage.bind(score);
      score.duplicateMessage = (...args: unknown[]) => {
        duplicates++;
        original(...args);
      };
    }
    const count = 40;
    for (let i = 0; i < count; i++) {
      (nodes[i % nodes.length] as TestNode).net.publishVertex(payload(60 * 1024, i));
      await sleep(10);
    }
    const deliveries = 3 * count;
    await waitFor('every vertex at every other node', () => nodes.reduce((sum, n) => sum + n.vertices.length, 0) === deliveries);
    await sleep(300);
    // Relaying at once, most vertices arrived twice here (≈ 0.85 duplicates per delivery); with the hold, none.
    expect(duplicates).toBeLessThanOrEqual(Math.ceil(0.1 * deliveries));
  });

  it('drops a message above the receiver cap and never delivers it', async () => {
    const capBytes = 64 * 1024;
    const [a, b, c] = await meshOfThree({ gossipCaps: { maxVertexBytes: capBytes } });
    const oversized = payload(capBytes + 1, 3);
    a.net.publishVertex(oversized);
    await waitFor('the rejection at b', () => b.events.some((e) => e.type === 'gossip-rejected'));
    await waitFor('delivery at c (no cap there)', () => c.vertices.length === 1);
    expect(b.events.find((e) => e.type === 'gossip-rejected')).toMatchObject({ peer: a.net.peerId, sizeBytes: capBytes + 1, maxBytes: capBytes });
    expect(b.net.score(a.net.peerId)).toBeLessThan(0);

    // A message within the cap still arrives, and the oversized one never did.
    const fitting = payload(capBytes, 4);
    a.net.publishVertex(fitting);
    await waitFor('the fitting message at b', () => b.vertices.length === 1);
    expect(b.vertices.map((v) => v.bytes.length)).toEqual([capBytes]);
    expect(() => b.net.publishVertex(oversized)).toThrow(RangeError);
  });

  it('sends transactions in batches and hands them over one by one, in order', async () => {
    const [a, b, c] = await meshOfThree();
    const txs = Array.from({ length: TX_BATCH_MAX_ITEMS + 10 }, (_, i) => payload(2500 + i, i % 251));
    const sentBefore = a.net.stats().bytesSent;
    for (const tx of txs) a.net.publishTransaction(tx);
    await waitFor('every transaction at b', () => b.transactions.length === txs.length);
    expect(b.transactions.map((t) => t.bytes)).toEqual(txs);
    // Handed over as from the peer that delivered the batch: a, or c when its relay of a batch
    // arrived first (on a loaded machine it can).
    expect(b.transactions.every((t) => t.from === a.net.peerId || t.from === c.net.peerId)).toBe(true);
    const topic = transactionTopic(TEST_CHAIN_ID);
    expect(b.events.filter((e) => e.type === 'gossip-rejected' || e.type === 'gossip-malformed')).toHaveLength(0);
    expect(a.net.stats().bytesSent - sentBefore).toBeGreaterThan(0);
    expect(a.net.libp2p.services.pubsub.getSubscribers(topic)).toHaveLength(2);
  });

  it('rejects a transaction batch that does not decode, penalizes its sender, relays nothing', async () => {
    const [a, b, c] = await meshOfThree();
    const topic = transactionTopic(TEST_CHAIN_ID);
    // A list claiming 3 items followed by too few bytes, and an empty list.
    await a.net.libp2p.services.pubsub.publish(topic, Uint8Array.of(3, 10, 1, 2));
    await a.net.libp2p.services.pubsub.publish(topic, txBatchCodec(MAX_TRANSACTION_BYTES_LIMIT).encode([]));
    await waitFor('both rejections at b', () => b.events.filter((e) => e.type === 'gossip-malformed').length === 2);
    expect(b.events.find((e) => e.type === 'gossip-malformed')).toMatchObject({ peer: a.net.peerId, topic });
    expect(b.events.some((e) => e.type === 'penalized' && e.peer === a.net.peerId && e.reason === 'malformed-gossip')).toBe(true);
    await sleep(300);
    expect(b.transactions).toHaveLength(0);
    expect(c.transactions).toHaveLength(0);
  });

  it('relays a transaction batch only after the receiver accepted it: a rejected batch stops there and costs its relayer', async () => {
    const [a, b, c] = await lineOfThree();
    const forged = payload(2600, 0x21);
    const stale = payload(2700, 0x22);
    b.txVerdict = (bytes) => (bytes[1] === 0x21 ? { kind: 'reject', reason: 'BAD_SIGNATURE' } : bytes[1] === 0x22 ? { kind: 'ignore' } : { kind: 'accept' });

    // One forged transaction sinks its whole batch, good companions included.
    const good = payload(2500, 0x23);
    a.net.publishTransaction(good);
    a.net.publishTransaction(forged);
    await waitFor('the batch judged at b', () => b.events.some((e) => e.type === 'gossip-invalid'));
    expect(b.events.find((e) => e.type === 'gossip-invalid')).toMatchObject({ peer: a.net.peerId, topic: transactionTopic(TEST_CHAIN_ID), reason: 'BAD_SIGNATURE' });
    expect(b.events.some((e) => e.type === 'penalized' && e.peer === a.net.peerId && e.reason === 'invalid-gossip')).toBe(true);
    expect(b.transactions.map((t) => t.bytes)).toEqual([good, forged]);

    // Refused for a reason that is not the relayer's fault: dropped, never penalized.
    const scoreBefore = b.net.score(a.net.peerId);
    a.net.publishTransaction(stale);
    await waitFor('the stale batch at b', () => b.transactions.length === 3);

    // An accepted batch goes on to c: the relay path works, and only it went.
    const fresh = payload(2550, 0x24);
    a.net.publishTransaction(fresh);
    await waitFor('the accepted batch relayed to c', () => c.transactions.length >= 1);
    await sleep(500);
    expect(c.transactions.map((t) => t.bytes)).toEqual([fresh]);
    expect(c.transactions[0]?.from).toBe(b.net.peerId);
    expect(b.net.score(a.net.peerId)).toBeGreaterThanOrEqual(scoreBefore);
  });

  it('keeps gossiping when the inbound handler throws: the batch is dropped, nobody is blamed', async () => {
    const [a, b, c] = await lineOfThree();
    b.txVerdict = () => {
      throw new Error('a bug in the runtime');
    };
    a.net.publishTransaction(payload(2500, 0x31));
    await waitFor('the error reported at b', () => b.events.some((e) => e.type === 'error'));
    expect(b.net.score(a.net.peerId)).toBe(0);
    b.txVerdict = () => ({ kind: 'accept' });
    a.net.publishTransaction(payload(2500, 0x32));
    await waitFor('the next batch relayed to c', () => c.transactions.length === 1);
  });
});
