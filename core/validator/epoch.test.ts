// Epoch changes with whole validators (test/harness.ts): during epoch 0 an account bonds enough
// stake to join and a validator unbonds all of its stake to leave; the end-of-epoch
// checkpoint, certified by the old committee, carries the new one; every node switches to it
// and keeps committing in epoch 1 with identical commit digests and state roots; the leaver
// follows as an observer, the joiner (an observer during epoch 0) takes its seat.
import { describe, expect, it } from 'vitest';
import { nextCommitteeOf, trustAfter, verifyCertificateChain } from '../consensus/certificateChain.ts';
import { verifyCertificate } from '../consensus/certificateVerify.ts';
import { toHex } from '../crypto/index.ts';
import { getAccount } from '../state/index.ts';
import { endsEpoch, nextCommitteeMembers } from './_epoch.ts';
import { createNextEpochVertices } from './_nextEpochVertices.ts';
import { epochScenario, submitBody, verifyPool, type Node } from './test/harness.ts';

// One run serves the tests below (the last one runs it further).
const RUN_MS = 1100;
/** Just after epoch 0's last checkpoint is cut (commit #7, t=410ms) and before it is certified (t=460ms). */
const CLOSING_AT_MS = 420;
type Run = Awaited<ReturnType<typeof epochScenario>> & { readonly closingSeen: boolean; readonly lateTransferId: string };

/**
 * The scenario, with one more transfer (v2 → u0) handed to v0 while epoch 0 is closing: it
 * cannot ride in epoch 0 any more, so it must be executed once, in epoch 1.
 */
async function runScenario(): Promise<Run> {
  const run = await epochScenario({ run: false });
  await run.net.run(CLOSING_AT_MS);
  const closingSeen = run.net.nodes.every((n) => n.validator.status().epochClosing);
  const from = run.chain.validatorKeys[2];
  if (from === undefined) throw new Error('no v2 keys');
  const id = await submitBody(run.chain, run.net.node('v0'), from, { kind: 'transfer', value: { to: run.joiner, amount: 5n } });
  await run.net.run(RUN_MS);
  return { ...run, closingSeen, lateTransferId: toHex(id) };
}
let shared: Promise<Run> | undefined;
const scenario = (): Promise<Run> => (shared ??= runScenario());

const commitKey = (c: Node['committed'][number]): string => `${c.commitIndex}:${toHex(c.commitDigest)}:${toHex(c.stateRoot)}`;
const hexes = (list: readonly { readonly address: Uint8Array }[]): string[] => list.map((m) => toHex(m.address));

describe('epoch rules', () => {
  it('the last checkpoint of an epoch is every epoch_length-th sequence, from 1', () => {
    expect([1n, 2n, 3n, 4n, 6n].map((s) => endsEpoch(s, 2))).toEqual([false, true, false, true, true]);
    expect([1n, 3600n, 3601n].map((s) => endsEpoch(s, 3600))).toEqual([false, true, false]);
    expect(endsEpoch(0n, 1)).toBe(false);
    expect(() => endsEpoch(1n, 0)).toThrow(RangeError);
  });

  it('an empty selected set keeps the outgoing committee', async () => {
    const { chain } = await epochScenario({ run: false });
    expect(hexes(nextCommitteeMembers([], chain.committee))).toEqual(hexes(chain.committee.members));
  });

  it('held next-epoch vertices are bounded per sending peer and in total', () => {
    const held = createNextEpochVertices(2, 3);
    const b = new Uint8Array(1);
    expect([held.hold(b, 'a'), held.hold(b, 'a'), held.hold(b, 'a'), held.hold(b, 'b'), held.hold(b, 'c')]).toEqual([true, true, false, true, false]);
    expect(held.drain().map((h) => h.from)).toEqual(['a', 'a', 'b']);
    expect(held.size()).toBe(0);
  });
});

describe('epoch change: u0 bonds to join, v3 unbonds to leave', () => {
  it('all switch to the new committee and keep committing alike; the certificate ratchets', async () => {
    const { chain, net, joiner, leaver, closingSeen, lateTransferId } = await scenario();
    const expected = [...hexes(chain.committee.members.filter((m) => toHex(m.address) !== toHex(leaver))), toHex(joiner)].sort();

    // Every node — members, the leaver and the joiner — switched at both ends of epoch (2
    // checkpoints each), to the same committee (nobody bonded or unbonded in epoch 1).
    for (const node of net.nodes) {
      expect(node.epochs.map((c) => c.epoch)).toEqual([1n, 2n]);
      for (const committee of node.epochs) expect(hexes(committee.members)).toEqual(expected);
      expect(node.validator.status().epoch).toBe(2n);
    }
    expect(net.node('v3').validator.status().selfIndex).toBeUndefined();
    expect(net.node('u0').validator.status().selfIndex).toBeDefined();

    // One committed history everywhere, and it goes on well into epoch 1.
    const sequences = net.nodes.map((n) => n.committed.map(commitKey));
    const shortest = Math.min(...sequences.map((s) => s.length));
    for (const s of sequences) expect(s.slice(0, shortest)).toEqual((sequences[0] as string[]).slice(0, shortest));

    // The end-of-epoch certificate: signed by the OLD committee, carrying the new one.
    const v0 = net.node('v0');
    const endCert = v0.certified.find((c) => c.checkpoint.nextCommittee !== undefined);
    if (endCert === undefined) throw new Error('no end-of-epoch certificate');
    expect(endCert.checkpoint.epoch).toBe(0n);
    expect(endsEpoch(endCert.checkpoint.sequence, chain.genesis.params.epochLengthCheckpoints)).toBe(true);
    const pool = await verifyPool();
    const oldTrust = { chainId: chain.genesis.chainId, committee: chain.committee };
    expect((await verifyCertificate(endCert, oldTrust, pool)).ok).toBe(true);
    expect(hexes(nextCommitteeOf(endCert)?.members ?? [])).toEqual(expected);
    const firstOfEpoch1 = endCert.checkpoint.lastCommitIndex + 1n;
    const epoch1Commits = sequences.map((s, i) => (net.nodes[i] as Node).committed.filter((c) => c.commitIndex >= firstOfEpoch1).length);
    expect(Math.min(...epoch1Commits)).toBeGreaterThanOrEqual(3);
    expect(shortest).toBeGreaterThan(Number(firstOfEpoch1) + 2);

    // The next certificate is epoch 1's, links to it, and verifies only against the NEW committee.
    const nextCert = v0.certified.find((c) => c.checkpoint.sequence === endCert.checkpoint.sequence + 1n);
    if (nextCert === undefined) throw new Error('no certificate in epoch 1');
    expect(nextCert.checkpoint.epoch).toBe(1n);
    expect(verifyCertificateChain(endCert, nextCert).ok).toBe(true);
    expect((await verifyCertificate(nextCert, trustAfter(oldTrust, endCert), pool)).ok).toBe(true);
    expect((await verifyCertificate(nextCert, oldTrust, pool)).ok).toBe(false);

    // A light client's walk from the genesis: link by link, each certificate against the
    // committee the previous end-of-epoch certificate handed over.
    let trust = oldTrust;
    let previous: Parameters<typeof verifyCertificateChain>[0] = chain.genesisHash;
    for (const cert of [...v0.certified].sort((a, b) => (a.checkpoint.sequence < b.checkpoint.sequence ? -1 : 1))) {
      expect(verifyCertificateChain(previous, cert).ok).toBe(true);
      expect((await verifyCertificate(cert, trust, pool)).ok).toBe(true);
      trust = trustAfter(trust, cert);
      previous = cert;
    }
    expect(trust.committee.epoch).toBe(2n);

    // The end-of-epoch state root is the post-boundary one: a commit's root is the pre-boundary
    // ledger's, the checkpoint's is not, and the next commit (no transactions) starts from it.
    const atEnd = v0.committed.find((c) => c.commitIndex === endCert.checkpoint.lastCommitIndex);
    const afterEnd = v0.committed.find((c) => c.commitIndex === firstOfEpoch1);
    expect(toHex(endCert.checkpoint.stateRoot)).not.toBe(toHex(atEnd?.stateRoot ?? new Uint8Array()));
    if (afterEnd?.receipts.length === 0) expect(toHex(afterEnd.stateRoot)).toBe(toHex(endCert.checkpoint.stateRoot));
    const ledger = v0.validator.ledger();
    expect(ledger.epoch).toBe(2n);
    expect(getAccount(ledger, joiner)?.stake).toBe(10_000_000n);
    expect(getAccount(ledger, leaver)?.stake).toBe(0n);

    // A transfer handed in while epoch 0 was closing executed once, in epoch 1, everywhere.
    expect(closingSeen).toBe(true);
    for (const node of net.nodes) {
      const receipts = node.committed.flatMap((c) => c.receipts.map((r) => ({ c, r }))).filter(({ r }) => toHex(r.id) === lateTransferId);
      expect(receipts.map(({ r }) => r.status)).toEqual(['applied']);
      expect(receipts[0]?.c.commitIndex).toBeGreaterThanOrEqual(firstOfEpoch1);
    }

    // The joiner proposes in epoch 1 and its vertices are committed; the leaver proposes no more.
    const own = (n: Node, epoch: number) => [...n.persisted.keys()].filter((k) => k.startsWith(`own-vertex/${epoch}/`)).length;
    expect(own(net.node('u0'), 0)).toBe(0);
    expect(own(net.node('u0'), 1)).toBeGreaterThan(0);
    expect(own(net.node('v3'), 1)).toBe(0);
    const seat = net.node('u0').validator.status().selfIndex;
    expect(v0.committed.filter((c) => c.commitIndex >= firstOfEpoch1).some((c) => c.vertices.some((r) => r.author === seat))).toBe(true);
  });

  it('a vertex of the ended epoch is refused as WRONG_EPOCH, without a penalty', async () => {
    const { net } = await scenario();
    const v0 = net.node('v0');
    const old = net.node('v1').persisted.get('own-vertex/0/1');
    if (old === undefined) throw new Error('v1 has no round-1 vertex of epoch 0');
    const before = v0.validator.status().rejects.WRONG_EPOCH ?? 0;
    net.inject('v0', old, 'mallory', RUN_MS + 10);
    await net.run(RUN_MS + 11);
    expect(v0.validator.status().rejects.WRONG_EPOCH).toBe(before + 1);
    expect(v0.penalties.filter((p) => p.peer === 'mallory')).toEqual([]);
  });
});
