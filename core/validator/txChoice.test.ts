// Proposing each transaction once: the designated validator of a sender, the chooser's rules
// (riding, local, relayed waits), and whole validators whose pools all hold every transaction —
// each transfer rides in one committed vertex, and a crashed first node delays it, no more.
import { describe, expect, it } from 'vitest';
import { createLocalSigner, toHex } from '../crypto/index.ts';
import { decodeSignedTx, encodeSignedTx, signTx, txId } from '../state/index.ts';
import type { PooledTx, TxOrigin } from '../state/mempool/index.ts';
import { createPrng } from '../prng.ts';
import { createTxChoice, designatedProposer } from './_txChoice.ts';
import { addressOf, createNetwork, keysOf, makeChain, noble, TEST_PARAMS, type Chain, type Node } from './test/harness.ts';

describe('designatedProposer', () => {
  it('spreads senders evenly over the members and rotates them per epoch', () => {
    const prng = createPrng(11);
    const counts = [0, 0, 0, 0];
    let moved = 0;
    for (let i = 0; i < 4000; i++) {
      const sender = Uint8Array.from({ length: 32 }, () => prng.nextU32() & 0xff);
      const d = designatedProposer(sender, 0n, 4);
      counts[d] = (counts[d] ?? 0) + 1;
      if (designatedProposer(sender, 1n, 4) !== d) moved++;
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(moved).toBe(4000);
    expect(designatedProposer(new Uint8Array(32), 5n, 1)).toBe(0);
  });
});

describe('the chooser', () => {
  const chain = makeChain(4);
  const users = chain.users;
  const pooled = async (u: number, nonce: bigint, origin: TxOrigin): Promise<PooledTx> => {
    const keys = users[u] as (typeof users)[number];
    const tx = { chainId: chain.genesis.chainId, sender: addressOf(keys), nonce, fee: 1000n, body: { kind: 'transfer' as const, value: { to: addressOf(keysOf('sink')), amount: 1n } } };
    const signedTx = await signTx(createLocalSigner(noble, keys), tx, { includePublicKey: false });
    const encoded = encodeSignedTx(signedTx);
    return { id: txId(tx), signedTx, encoded, sizeBytes: encoded.length, senderKey: { scheme: keys.scheme, publicKey: keys.publicKey }, origin };
  };
  const waits = { designatedWaitMs: 200, anyoneWaitMs: 400 };

  it('takes local ones at once, relayed ones after the designated or the general wait, and skips what rides', async () => {
    const choice = createTxChoice(TEST_PARAMS, waits, toHex);
    const local = await pooled(0, 0n, 'local');
    const relayed = await pooled(1, 0n, 'peer');
    const designated = designatedProposer(relayed.signedTx.tx.sender, 0n, 4);
    const other = (designated + 1) % 4;
    expect(choice.chooser(1000, other, 4, 0n)(local)).toBe('take');
    // The clock starts when a selection first finds the transaction ready.
    expect(choice.chooser(1000, other, 4, 0n)(relayed)).toBe('later');
    expect(choice.chooser(1200, designated, 4, 0n)(relayed)).toBe('take');
    expect(choice.chooser(1399, other, 4, 0n)(relayed)).toBe('later');
    expect(choice.chooser(1400, other, 4, 0n)(relayed)).toBe('take');
    // Once it rides in a vertex nobody proposes it; it may again after that vertex is collected uncommitted.
    // In an own vertex the sender's next nonce may follow (skip); in another's the sender waits (later).
    choice.sawVertex([local.encoded], 7, true);
    choice.sawVertex([relayed.encoded], 7, false);
    expect(choice.riding()).toBe(2);
    expect([choice.rides(local.id), choice.rides(relayed.id)]).toEqual([true, true]);
    expect(choice.chooser(2000, other, 4, 0n)(relayed)).toBe('later');
    expect(choice.chooser(2000, other, 4, 0n)(local)).toBe('skip');
    choice.committed([local.id]);
    choice.gc(8);
    expect(choice.riding()).toBe(0);
    expect([choice.rides(local.id), choice.rides(relayed.id)]).toEqual([false, false]);
    expect(choice.chooser(2000, other, 4, 0n)(local)).toBe('take');
    expect(choice.chooser(2000, other, 4, 0n)(relayed)).toBe('later');
  });

  it('forgets the clocks of transactions a selection did not reach', async () => {
    const choice = createTxChoice(TEST_PARAMS, waits, toHex);
    const relayed = await pooled(2, 0n, 'peer');
    const other = (designatedProposer(relayed.signedTx.tx.sender, 0n, 4) + 1) % 4;
    expect(choice.chooser(0, other, 4, 0n)(relayed)).toBe('later');
    choice.chooser(100, other, 4, 0n); // a selection that did not reach it
    expect(choice.chooser(500, other, 4, 0n)(relayed)).toBe('later');
    expect(choice.chooser(900, other, 4, 0n)(relayed)).toBe('take');
  });
});

/** Each user's transfers go to its node's pool as `local` and to every other pool as relayed. */
async function submitEverywhere(chain: Chain, nodes: readonly Node[], perUser: number): Promise<string[]> {
  const ids: string[] = [];
  const sink = addressOf(keysOf('user-harness-sink'));
  for (let u = 0; u < chain.users.length; u++) {
    const keys = chain.users[u] as (typeof chain.users)[number];
    const signer = createLocalSigner(noble, keys);
    for (let nonce = 0n; nonce < BigInt(perUser); nonce++) {
      const tx = { chainId: chain.genesis.chainId, sender: addressOf(keys), nonce, fee: 1000n, body: { kind: 'transfer' as const, value: { to: sink, amount: 10n + nonce } } };
      const bytes = encodeSignedTx(await signTx(signer, tx, { includePublicKey: false }));
      for (let i = 0; i < nodes.length; i++) {
        const result = await (nodes[i] as Node).mempool.admit(bytes, { origin: i === u % nodes.length ? 'local' : 'peer' });
        if (!result.ok) throw new Error(`refused: ${result.error.code}`);
      }
      ids.push(toHex(txId(tx)));
    }
  }
  return ids;
}

/** How many committed vertices carry each transaction id (node `node`'s committed sequence). */
function inclusions(node: Node): Map<string, number> {
  const seen = new Map<string, number>();
  for (const c of node.committed) {
    for (const v of c.signedVertices) {
      for (const bytes of v.vertex.transactions) {
        const decoded = decodeSignedTx(bytes, TEST_PARAMS);
        if (!decoded.ok) throw new Error(`undecodable transaction in a committed vertex: ${decoded.error.code}`);
        const id = toHex(txId(decoded.value.tx));
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
    }
  }
  return seen;
}

describe('whole validators holding every transaction in every pool', () => {
  it('put each transfer in one committed vertex', async () => {
    const chain = makeChain(4, 8);
    const net = await createNetwork({ chain, latency: 10 });
    const ids = await submitEverywhere(chain, net.nodes, 3);
    await net.run(1500);
    const node = net.nodes[0] as Node;
    const seen = inclusions(node);
    for (const id of ids) expect(seen.get(id), id).toBe(1);
    const applied = node.committed.flatMap((c) => c.receipts).filter((r) => r.status === 'applied');
    expect(applied.length).toBe(ids.length);
  });

  it('commit the transfers of a crashed first node after the relay wait, each once', async () => {
    const chain = makeChain(4, 8);
    const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index === 1 ? { crashAtMs: 0 } : {}) }));
    const net = await createNetwork({ chain, nodes, latency: 10 });
    const ids = await submitEverywhere(chain, net.nodes, 2);
    await net.run(3000);
    const node = net.nodes[0] as Node;
    const seen = inclusions(node);
    // Users 1 and 5 submitted to v1, which never ran: their transfers still committed, once each.
    for (const id of ids) expect(seen.get(id), id).toBe(1);
  });
});
