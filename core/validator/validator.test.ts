// Whole validators on an in-memory network (test/harness.ts): agreement on the committed
// sequence and on state, crashed leaders skipped, Twins equivocation slashed once per slot,
// bad vertices refused with typed reasons, and golden transcripts of four short runs (epoch
// changes themselves: epoch.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkpointHash } from '../consensus/checkpoint.ts';
import { verifyCertificate } from '../consensus/certificateVerify.ts';
import { createLeaderSchedule } from '../consensus/leaderSchedule.ts';
import { toHex } from '../crypto/index.ts';
import { encodeSignedVertex, signVertex, type Vertex } from '../dag/index.ts';
import { getAccount, slotId } from '../state/index.ts';
import { createNetwork, epochScenario, GENESIS_TIME_MS, makeChain, noble, submitTransfers, verifyPool, type Chain, type Network, type Node } from './test/harness.ts';
import { createValidator } from './index.ts';

const commitKey = (c: Node['committed'][number]): string =>
  `${c.commitIndex}:${c.leader.round}/${c.leader.author}:${toHex(c.commitDigest)}:${toHex(c.stateRoot)}`;

/** Every pair of nodes agrees on the common prefix of its committed sequence; returns the shortest length. */
function expectAgreement(nodes: readonly Node[]): number {
  const sequences = nodes.map((n) => n.committed.map(commitKey));
  const shortest = Math.min(...sequences.map((s) => s.length));
  for (const s of sequences) expect(s.slice(0, shortest)).toEqual((sequences[0] as string[]).slice(0, shortest));
  return shortest;
}

function expectPersistBeforeBroadcast(node: Node): void {
  // A resend of the same vertex is logged as 'broadcast-resend' and needs no new persist.
  const types = node.effectTypes.filter((t) => t === 'persist' || t === 'broadcast');
  for (let i = 0; i < types.length; i += 2) expect([types[i], types[i + 1]]).toEqual(['persist', 'broadcast']);
}

async function runHonest(validators: number, untilMs: number, perUser: number, latency: number | { readonly seed: number; readonly minMs: number; readonly maxMs: number }): Promise<{ net: Network; chain: Chain; submitted: number }> {
  const chain = makeChain(validators);
  const net = await createNetwork({ chain, latency });
  const submitted = await submitTransfers(chain, net.nodes, perUser);
  await net.run(untilMs);
  return { net, chain, submitted };
}

describe('agreement: every honest validator commits the same leaders and reaches the same state', () => {
  for (const [n, untilMs, latency] of [
    [4, 900, 10],
    [7, 700, { seed: 7, minMs: 5, maxMs: 30 }],
    [10, 500, 10],
  ] as const) {
    it(`${n} validators`, async () => {
      const { net, submitted } = await runHonest(n, untilMs, 2, latency);
      const length = expectAgreement(net.nodes);
      expect(length).toBeGreaterThanOrEqual(5);
      // Execution was not trivial: every submitted transfer was applied, in agreement.
      for (const node of net.nodes) {
        const applied = node.committed.flatMap((c) => c.receipts).filter((r) => r.status === 'applied');
        expect(applied.length).toBe(submitted);
        expectPersistBeforeBroadcast(node);
      }
      const status = (net.nodes[0] as Node).validator.status();
      expect(status.skippedLeaders).toBe(0);
      expect(status.round).toBeGreaterThan(length);
      // Checkpoints certified, and the certificate verifies like a light client would.
      const cert = (net.nodes[0] as Node).certified[0];
      expect(cert).toBeDefined();
      if (cert !== undefined) {
        const trust = { chainId: cert.checkpoint.chainId, committee: makeChain(n).committee };
        const verdict = await verifyCertificate(cert, trust, await verifyPool());
        expect(verdict.ok).toBe(true);
        for (const node of net.nodes) {
          const same = node.certified.find((c) => c.checkpoint.sequence === cert.checkpoint.sequence);
          if (same !== undefined) expect(toHex(checkpointHash(same.checkpoint))).toBe(toHex(checkpointHash(cert.checkpoint)));
        }
      }
    });
  }
});

describe('crashed validators: the rest keep committing, dead leaders are skipped', () => {
  it('4 validators, the leader of round 3 dead from the start', async () => {
    const chain = makeChain(4);
    const dead = createLeaderSchedule(chain.committee, chain.leaderSeed).leaderOf(3);
    const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index === dead ? { crashAtMs: 0 } : {}) }));
    const net = await createNetwork({ chain, nodes });
    await net.run(1200);
    const alive = net.nodes.filter((n) => n.spec.index !== dead);
    expect(expectAgreement(alive)).toBeGreaterThanOrEqual(5);
    for (const node of alive) {
      const status = node.validator.status();
      expect(status.skippedLeaders).toBeGreaterThanOrEqual(1);
      expect(status.leaderTimeouts).toBeGreaterThanOrEqual(1);
      // No committed leader is the dead validator.
      expect(node.committed.every((c) => c.leader.author !== dead)).toBe(true);
    }
  });

  it('7 validators, two crash mid-run', async () => {
    const chain = makeChain(7);
    const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index >= 5 ? { crashAtMs: 250 } : {}) }));
    const net = await createNetwork({ chain, nodes, latency: { seed: 11, minMs: 5, maxMs: 20 } });
    await net.run(1400);
    const alive = net.nodes.filter((n) => (n.spec.index ?? 0) < 5);
    const before = alive.map((n) => n.committed.filter((c) => c.timestampMs - GENESIS_TIME_MS < 250).length);
    expect(expectAgreement(alive)).toBeGreaterThan(Math.max(...before) + 3);
    const status = (alive[0] as Node).validator.status();
    expect(status.skippedLeaders).toBeGreaterThanOrEqual(1);
  });
});

/** Twins (v3 runs twice as 'v3' and 'v3*'): v3 talks to v0 and v1, its twin to v2; both hear everyone (the twin 3 ms later). */
async function twinsNetwork(): Promise<{ chain: Chain; net: Network; twin: number }> {
  const chain = makeChain(4);
  const twin = 3;
  const nodes = [0, 1, 2].map((i) => ({ id: `v${i}`, index: i })).concat([{ id: 'v3', index: twin }, { id: 'v3*', index: twin }]);
  const link = (from: string, to: string): boolean => (from === 'v3' ? to === 'v0' || to === 'v1' : from === 'v3*' ? to === 'v2' : true);
  const net = await createNetwork({ chain, nodes, link, extraInboundMs: { 'v3*': 3 } });
  // Only the twin has transactions to propose, so the two sign different vertices.
  await submitTransfers(chain, [net.node('v3*')], 1);
  return { chain, net, twin };
}

describe('Twins: one validator equivocates', () => {
  it('evidence is found, included, the offender slashed once per slot, honest commits identical', async () => {
    const { chain, net, twin } = await twinsNetwork();
    await net.run(1200);
    const honest = net.nodes.filter((n) => !n.spec.id.startsWith('v3'));
    expect(expectAgreement(honest)).toBeGreaterThanOrEqual(5);
    expect(honest.some((n) => n.validator.status().evidenceFound > 0)).toBe(true);
    const offender = (chain.committee.members[twin] as (typeof chain.committee.members)[number]).address;
    const node = honest[0] as Node;
    const outcomes = node.committed.flatMap((c) => c.evidence);
    const slashes = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
    expect(slashes.length).toBeGreaterThanOrEqual(1);
    // Every slash names the offender and a distinct slot; repeats were refused as ALREADY_SLASHED.
    expect(slashes.every((s) => toHex(s.evidence.offender) === toHex(offender))).toBe(true);
    const slots = slashes.map((s) => toHex(slotId(s.evidence)));
    expect(new Set(slots).size).toBe(slots.length);
    expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.error.code === 'ALREADY_SLASHED')).toBe(true);
    // The ledger agrees: the offender lost stake, exactly what was burned; honest stakes intact.
    const ledger = node.validator.ledger();
    const burned = slashes.reduce((sum, s) => sum + s.slashed, 0n);
    expect(ledger.burned).toBe(burned);
    expect(getAccount(ledger, offender)?.stake).toBe(10_000_000n - burned);
    for (const m of chain.committee.members) if (m.index !== twin) expect(getAccount(ledger, m.address)?.stake).toBe(10_000_000n);
  });
});

describe('bad vertices are refused with a typed reason and do not disturb progress', () => {
  it('garbage bytes, a forged signature and a far-future round', async () => {
    const chain = makeChain(4);
    const net = await createNetwork({ chain });
    const author = 1;
    const signer = (net.nodes[author] as Node).signer;
    const base: Vertex = { chainId: chain.genesis.chainId, epoch: 0n, round: 1, author, parents: [], timestampMs: GENESIS_TIME_MS + 1, transactions: [], evidence: [] };
    const forged = await signVertex(signer, base);
    const flipped = forged.signature.bytes.slice();
    flipped[100] = (flipped[100] as number) ^ 1;
    const farFuture = await signVertex(signer, { ...base, round: 1000, parents: [] });
    net.inject('v0', Uint8Array.of(1, 2, 3, 4), 'mallory', 40);
    net.inject('v0', encodeSignedVertex({ vertex: base, signature: { ...forged.signature, bytes: flipped } }), 'mallory', 60);
    net.inject('v0', encodeSignedVertex(farFuture), 'mallory', 80);
    await net.run(700);
    const victim = net.node('v0');
    expect(victim.validator.status().rejects).toEqual({ MALFORMED: 1, BAD_SIGNATURE: 1, ROUND_TOO_FAR_AHEAD: 1 });
    // Provable faults are penalized; a far-future round may be an honest peer ahead of us.
    expect(victim.penalties).toEqual([{ peer: 'mallory', reason: 'MALFORMED' }, { peer: 'mallory', reason: 'BAD_SIGNATURE' }]);
    expect(victim.validator.status().evidenceFound).toBe(0);
    expect(expectAgreement(net.nodes)).toBeGreaterThanOrEqual(5);
  });

  it('step is deterministic: the same events give the same effects, bit for bit', async () => {
    const chain = makeChain(4);
    const make = () =>
      createValidator(
        { committee: chain.committee, ledger: chain.ledger, mempool: { select: () => [], onCommitted: () => undefined } },
        { selfIndex: 0, params: chain.genesis.params, leaderSeed: chain.leaderSeed, genesisHash: chain.genesisHash, genesisTimeMs: GENESIS_TIME_MS },
      );
    const a = make();
    const b = make();
    const signerKeys = chain.validatorKeys[0];
    expect(signerKeys).toBeDefined();
    const first = a.step({ type: 'start', nowMs: GENESIS_TIME_MS });
    expect(b.step({ type: 'start', nowMs: GENESIS_TIME_MS })).toEqual(first);
    const sign = first.find((e) => e.type === 'sign');
    if (sign?.type !== 'sign') throw new Error('expected a sign effect');
    const bytes = noble.sign('ml-dsa-44', (signerKeys as { secretKey: Uint8Array }).secretKey, sign.message, sign.context);
    const event = { type: 'signed', nowMs: GENESIS_TIME_MS + 5, token: sign.token, signature: { scheme: 'ml-dsa-44', bytes } } as const;
    const effects = a.step(event);
    expect(b.step(event)).toEqual(effects);
    expect(effects.map((e) => e.type).slice(0, 3)).toEqual(['persist', 'broadcast', 'proposed']);
  });
});

describe('golden transcripts (KALDRIX_UPDATE_GOLDEN=1 rewrites them)', () => {
  const golden = (name: string, lines: readonly string[]): void => {
    const path = new URL(`./testdata/${name}`, import.meta.url);
    const text = `${lines.join('\n')}\n`;
    if (process.env.KALDRIX_UPDATE_GOLDEN === '1') writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
  };
  const header = (title: string): string[] => [`# ${title}`, '# regenerate: KALDRIX_UPDATE_GOLDEN=1 npx vitest run core/validator', ''];

  it('normal-round.txt: 4 validators, one transfer, 10 ms links', async () => {
    const chain = makeChain(4, 1);
    const net = await createNetwork({ chain });
    await submitTransfers(chain, net.nodes, 1);
    await net.run(420);
    golden('normal-round.txt', [...header('4 validators, constant 10 ms latency, one transfer submitted to v0; until t=420ms'), ...net.trace]);
  });

  it('dead-leader.txt: 4 validators, the leader of rounds 2-4 dead from the start', async () => {
    const chain = makeChain(4, 0);
    const dead = createLeaderSchedule(chain.committee, chain.leaderSeed).leaderOf(2);
    const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index === dead ? { crashAtMs: 0 } : {}) }));
    const net = await createNetwork({ chain, nodes });
    await net.run(900);
    golden('dead-leader.txt', [...header(`4 validators, v${dead} (leader of rounds 2, 3 and 4) crashed from the start; until t=900ms`), ...net.trace]);
  });

  it('equivocation.txt: Twins — v3 signs two vertices per round, evidence slashes it once per slot', async () => {
    const { net } = await twinsNetwork();
    await net.run(300);
    golden('equivocation.txt', [
      ...header('Twins: v3 runs twice (v3 reaches v0,v1; v3* reaches v2 and holds 4 transfers); 10 ms links; until t=300ms').slice(0, 2),
      '# each honest node turns the first pair per slot into evidence, puts it in its next vertex, and',
      '# execution slashes v3 once per slot (5% of its stake); later copies are refused ALREADY_SLASHED.',
      '',
      ...net.trace,
    ]);
  });

  it('epoch-change.txt: u0 bonds to join, v3 unbonds to leave; the old committee certifies the new one', async () => {
    const { net } = await epochScenario({ run: true, untilMs: 670 });
    golden('epoch-change.txt', [
      ...header('4 validators v0..v3 and u0 (an account with no seat; its node follows as an observer); epoch_length=2, checkpoint_interval=150ms; until t=670ms').slice(0, 2),
      '# at t=0 u0 bonds a full stake (through v0) and v3 unbonds all of its stake (through v1): commit #2.',
      '# checkpoint seq=2 ends epoch 0: cut after the epoch boundary, certified by the old committee, it',
      '# carries next=[...]; until it is certified, vertices carry votes but no transactions or evidence.',
      '# Every node then switches:',
      '# rounds restart at 1, u0 proposes, v3 follows as an observer, commits go on from #8 on every node.',
      '# In epoch 1 authors are named by who they are (u0, v0, …), not by their new member index.',
      '',
      ...net.trace,
    ]);
  });
});
