// Restart safety and catch-up, with real validators on the in-memory network: a validator
// restarts with its store kept or lost after the network moved far beyond its DAG window,
// catches up by certified commit ranges, never signs a second vertex for a slot, and agrees
// with everyone on commits and state roots. Bad ranges are refused with typed reasons.
import { describe, expect, it } from 'vitest';
import { toHex } from '../crypto/index.ts';
import { decodeCommitRange, encodeCommitRange, type CommitRange } from './commitRange.ts';
import { createNetwork, EPOCH_TEST_PARAMS, makeChain, submitBody, submitTransfers, type Network, type Node } from './test/harness.ts';
import type { ValidatorEffect } from './types.ts';

/** Every pair of nodes agrees on every commit index both have (digest and state root). */
function expectAgreement(nodes: readonly Node[]): void {
  const byIndex = new Map<bigint, { digest: string; root: string; id: string }>();
  for (const node of nodes) {
    for (const c of node.committed) {
      const seen = byIndex.get(c.commitIndex);
      const mine = { digest: toHex(c.commitDigest), root: toHex(c.stateRoot), id: node.spec.id };
      if (seen === undefined) byIndex.set(c.commitIndex, mine);
      else {
        expect(mine.digest, `commit ${c.commitIndex}: ${node.spec.id} vs ${seen.id}`).toBe(seen.digest);
        expect(mine.root, `state root at ${c.commitIndex}: ${node.spec.id} vs ${seen.id}`).toBe(seen.root);
      }
    }
  }
}

/** Rounds of the own vertices a node signed, per epoch, across all its instances (from what it persisted and proposed). */
function noEvidenceAnywhere(net: Network): void {
  for (const node of net.nodes) expect(node.validator.status().evidenceFound, `${node.spec.id} found evidence`).toBe(0);
}

async function restartRun(restartWith: 'store-kept' | 'store-lost'): Promise<{ net: Network; roundBeforeCrash: number }> {
  const chain = makeChain(4);
  const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index === 3 ? { crashAtMs: 300, restartAtMs: 1500, restartWith } : {}) }));
  const net = await createNetwork({ chain, nodes, trace: false });
  await submitTransfers(chain, net.nodes, 3);
  await net.run(299);
  const roundBeforeCrash = net.node('v3').validator.status().round;
  await net.run(3000);
  return { net, roundBeforeCrash };
}

describe('restart and catch-up', () => {
  for (const restartWith of ['store-kept', 'store-lost'] as const) {
    it(`a validator restarting with its store ${restartWith === 'store-kept' ? 'kept' : 'lost'} after the network moved beyond its DAG window catches up by certified ranges and proposes again`, async () => {
      const { net, roundBeforeCrash } = await restartRun(restartWith);
      const v3 = net.node('v3');
      const v0 = net.node('v0');
      const status = v3.validator.status();
      expect(roundBeforeCrash).toBeGreaterThan(3);
      // Far behind: the network's commits and rounds went well past the 8-round gc window.
      expect(status.rangesAdopted).toBeGreaterThanOrEqual(1);
      expect(status.rangeCommits).toBeGreaterThan(10);
      expect(status.recovering).toBe(false);
      // Caught up and back in consensus: it proposes and commits what everyone commits.
      expect(status.round).toBeGreaterThan(roundBeforeCrash);
      expect(status.lastCommitIndex).toBeGreaterThan(v0.committed[0]?.commitIndex ?? 0n);
      expect(v0.validator.status().lastCommitIndex - status.lastCommitIndex).toBeLessThan(10n);
      expectAgreement(net.nodes);
      // Never a second vertex for one slot: nobody found evidence against anyone.
      noEvidenceAnywhere(net);
      expect(status.stateRoot).toEqual(net.nodes.find((n) => n.validator.status().lastCommitIndex === status.lastCommitIndex)?.validator.status().stateRoot);
    }, 120_000);
  }

  it('a validator down across an epoch change catches up through the end-of-epoch certificate into the next epoch', async () => {
    const chain = makeChain(4, 4, EPOCH_TEST_PARAMS);
    const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index === 3 ? { crashAtMs: 150, restartAtMs: 1600, restartWith: 'store-lost' as const } : {}) }));
    const net = await createNetwork({ chain, nodes, trace: false });
    await net.run(3000);
    const v3 = net.node('v3').validator.status();
    const v0 = net.node('v0').validator.status();
    expect(v0.epoch).toBeGreaterThanOrEqual(2n);
    expect(v3.epoch).toBe(v0.epoch);
    expect(net.node('v3').epochs.length).toBeGreaterThanOrEqual(2);
    expect(v3.rangesAdopted).toBeGreaterThanOrEqual(2);
    expect(v3.recovering).toBe(false);
    expect(v0.lastCommitIndex - v3.lastCommitIndex).toBeLessThan(10n);
    expectAgreement(net.nodes);
    noEvidenceAnywhere(net);
  }, 120_000);

  it('a validator that caught up by ranges carries the network when another one dies: the vertices its peers collected meanwhile are still served', async () => {
    // v3 comes back (≈1.5 s), adopts the last certified range (commit 12 of the peers' 15) and is
    // needed at once: v2 dies right after, so no new certificate can form without v3. The peers
    // have decided (and collected) beyond that certificate; v3 must fetch what lies between its
    // gc round and theirs, or nobody ever moves again (it did not, before collected vertices were
    // served: v3 held 38 vertices waiting for parents nobody had).
    const chain = makeChain(4);
    const nodes = chain.committee.members.map((m) => ({
      id: `v${m.index}`, index: m.index,
      ...(m.index === 3 ? { crashAtMs: 300, restartAtMs: 1500, restartWith: 'store-kept' as const } : {}),
      ...(m.index === 2 ? { crashAtMs: 1560 } : {}),
    }));
    const net = await createNetwork({ chain, nodes, trace: false });
    await submitTransfers(chain, net.nodes.slice(0, 2), 3);
    await net.run(1560);
    const atDeath = net.node('v0').validator.status();
    await net.run(4500);
    const v0 = net.node('v0').validator.status();
    const v3 = net.node('v3').validator.status();
    expect(v3.rangesAdopted).toBeGreaterThanOrEqual(1);
    // Three of four keep the network going: commits and certificates beyond v2's death.
    expect(v0.lastCommitIndex - atDeath.lastCommitIndex).toBeGreaterThan(10n);
    expect(v0.lastCertifiedSequence).toBeGreaterThan(atDeath.lastCertifiedSequence);
    expect(v0.lastCommitIndex - v3.lastCommitIndex).toBeLessThan(10n);
    expectAgreement(net.nodes);
    noEvidenceAnywhere(net);
  }, 120_000);

  it('a validator whose kept store is two epochs behind asks for ranges as soon as it sees a later epoch, and catches up', async () => {
    const chain = makeChain(4, 4, EPOCH_TEST_PARAMS);
    const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index === 3 ? { crashAtMs: 150, restartAtMs: 2400, restartWith: 'store-kept' as const } : {}) }));
    const net = await createNetwork({ chain, nodes, trace: false });
    await net.run(4200);
    const v3 = net.node('v3').validator.status();
    const v0 = net.node('v0').validator.status();
    expect(v0.epoch).toBeGreaterThanOrEqual(3n);
    expect(v3.epoch).toBe(v0.epoch);
    expect(v0.lastCommitIndex - v3.lastCommitIndex).toBeLessThan(10n);
    expectAgreement(net.nodes);
    noEvidenceAnywhere(net);
  }, 120_000);

  it('after a lost store it proposes nothing until every other validator (a quorum of the others) told it its latest round', async () => {
    const chain = makeChain(4);
    let isolated = true;
    // v3 can reach only v0 while `isolated`: one answer of three needed.
    const link = (from: string, to: string): boolean => !isolated || !((from === 'v3' && to !== 'v0') || (to === 'v3' && from !== 'v0'));
    const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index === 3 ? { crashAtMs: 300, restartAtMs: 320, restartWith: 'store-lost' as const } : {}) }));
    const net = await createNetwork({ chain, nodes, link, trace: false });
    await net.run(299);
    const roundBeforeCrash = net.node('v3').validator.status().round;
    const effectsBefore = net.node('v3').effectTypes.length;
    await net.run(900);
    const v3 = net.node('v3');
    expect(v3.validator.status().recovering).toBe(true);
    const afterRestart = v3.effectTypes.slice(effectsBefore);
    expect(afterRestart).toContain('requestLatestVertices');
    expect(afterRestart).not.toContain('proposed');
    isolated = false;
    await net.run(2500);
    expect(v3.validator.status().recovering).toBe(false);
    expect(v3.effectTypes.slice(effectsBefore)).toContain('proposed');
    expect(v3.validator.status().round).toBeGreaterThan(roundBeforeCrash);
    expectAgreement(net.nodes);
    noEvidenceAnywhere(net);
  }, 120_000);

  describe('a peer\'s range is refused with a typed reason, and penalized when it proves a bad peer', () => {
    const setup = async (): Promise<{ range: CommitRange; bytes: Uint8Array; fresh: () => Node; net: Network }> => {
      const chain = makeChain(4);
      // v3 is down from the start, so it can be fed ranges by hand after its restart.
      const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index === 3 ? { crashAtMs: 0, restartAtMs: 100_000 } : {}) }));
      const net = await createNetwork({ chain, nodes, trace: false });
      await submitTransfers(chain, net.nodes.slice(0, 3), 2);
      await net.run(1000);
      const bytes = net.node('v0').validator.commitRange(1n, 0n);
      if (bytes === undefined) throw new Error('no range to serve');
      const decoded = decodeCommitRange(bytes);
      if (!decoded.ok) throw new Error('range does not decode');
      return { range: decoded.value, bytes, fresh: () => net.node('v3'), net };
    };
    const feed = (node: Node, bytes: Uint8Array): readonly ValidatorEffect[] => {
      node.validator.step({ type: 'start', nowMs: 1_767_225_600_000 });
      return node.validator.step({ type: 'commitRangeReceived', nowMs: 1_767_225_600_001, bytes, from: 'v0' });
    };
    const penalty = (effects: readonly ValidatorEffect[]): string | undefined => {
      const p = effects.find((e) => e.type === 'penalize');
      return p?.type === 'penalize' ? p.reason : undefined;
    };

    it('a good range passes every cheap check and asks for the certificate signatures only', async () => {
      const { bytes, fresh, range } = await setup();
      const effects = feed(fresh(), bytes);
      const verify = effects.find((e) => e.type === 'verify');
      expect(verify?.type === 'verify' ? verify.items.length : 0).toBeGreaterThanOrEqual(3);
      expect(penalty(effects)).toBeUndefined();
      expect(range.commits.length).toBeGreaterThan(3);
    }, 60_000);

    it('an adopted range asks for all its transaction signatures in one batch, so its commits execute without a round trip each', async () => {
      const chain = makeChain(4);
      const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index === 3 ? { crashAtMs: 0, restartAtMs: 100_000 } : {}) }));
      const net = await createNetwork({ chain, nodes, trace: false });
      const sink = chain.committee.members[0]?.address as Uint8Array;
      // Transfers in four waves, so they land in several commits of one range.
      for (let wave = 0; wave < 4; wave++) {
        for (const [u, keys] of chain.users.entries()) await submitBody(chain, net.nodes[u % 3] as Node, keys, { kind: 'transfer', value: { to: sink, amount: 10n } }, BigInt(wave));
        await net.run(250 * (wave + 1));
      }
      await net.run(1500);
      const bytes = net.node('v0').validator.commitRange(1n, 0n);
      if (bytes === undefined) throw new Error('no range to serve');
      const decoded = decodeCommitRange(bytes);
      if (!decoded.ok) throw new Error('range does not decode');
      const txsPerCommit = decoded.value.commits.map((c) => c.vertices.reduce((m, v) => m + v.vertex.transactions.length, 0));
      expect(txsPerCommit.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
      const node = net.node('v3');
      const { verifyPool } = await import('./test/harness.ts');
      const pool = await verifyPool();
      let nowMs = 1_767_225_600_002;
      let pending = feed(node, bytes).filter((e) => e.type === 'verify');
      let roundTrips = 0;
      // Answer every verify effect with the real verifier until none is left.
      while (pending.length > 0 && roundTrips < 40) {
        roundTrips++;
        const next: ValidatorEffect[] = [];
        for (const effect of pending) {
          if (effect.type !== 'verify') continue;
          next.push(...node.validator.step({ type: 'verified', nowMs: nowMs++, token: effect.token, results: await pool.verifyBatch(effect.items) }));
        }
        pending = next.filter((e) => e.type === 'verify');
      }
      const last = decoded.value.commits[decoded.value.commits.length - 1]?.index ?? 0n;
      expect(node.validator.status().lastCommitIndex).toBe(last);
      // The certificate, then the warm batch beside the first commit's own ask: not one round trip per commit with transfers.
      expect(roundTrips).toBeLessThanOrEqual(3);
    }, 60_000);

    it('truncated bytes: MALFORMED_RANGE', async () => {
      const { bytes, fresh } = await setup();
      expect(penalty(feed(fresh(), bytes.subarray(0, bytes.length - 7)))).toBe('MALFORMED_RANGE');
    }, 60_000);

    it('a vertex left out of a commit: DIGEST_MISMATCH', async () => {
      const { range, fresh } = await setup();
      const at = range.commits.findIndex((c) => c.vertices.length > 1);
      const commits = range.commits.map((c, i) => (i === at ? { ...c, vertices: c.vertices.slice(1) } : c));
      expect(penalty(feed(fresh(), encodeCommitRange({ ...range, commits })))).toBe('DIGEST_MISMATCH');
    }, 60_000);

    it('a range that ends before its certificate: BAD_CERTIFICATE', async () => {
      const { range, fresh } = await setup();
      expect(penalty(feed(fresh(), encodeCommitRange({ ...range, commits: range.commits.slice(0, -1) })))).toBe('BAD_CERTIFICATE');
    }, 60_000);

    it('a range that does not start at the next commit is refused without penalty (an honest lag)', async () => {
      const { range, fresh } = await setup();
      const effects = feed(fresh(), encodeCommitRange({ ...range, commits: range.commits.slice(1) }));
      expect(effects.some((e) => e.type === 'verify')).toBe(false);
      expect(penalty(effects)).toBeUndefined();
    }, 60_000);

    it('a range of another epoch is refused without penalty (the asker switched epochs while the answer travelled)', async () => {
      const { range, fresh } = await setup();
      const certificate = { ...range.certificate, checkpoint: { ...range.certificate.checkpoint, epoch: 1n } };
      const effects = feed(fresh(), encodeCommitRange({ ...range, certificate }));
      expect(effects.some((e) => e.type === 'verify')).toBe(false);
      expect(penalty(effects)).toBeUndefined();
    }, 60_000);

    it('forged certificate signatures: the real verifier says no, CERTIFICATE_SIGNATURES, nothing adopted', async () => {
      const { range, fresh } = await setup();
      const signatures = range.certificate.signatures.map((s) => ({ ...s, bytes: s.bytes.map((b, i) => (i === 5 ? b ^ 1 : b)) }));
      const node = fresh();
      const effects = feed(node, encodeCommitRange({ ...range, certificate: { ...range.certificate, signatures } }));
      const verify = effects.find((e) => e.type === 'verify');
      if (verify?.type !== 'verify') throw new Error('expected a verify effect');
      const { verifyPool } = await import('./test/harness.ts');
      const results = await (await verifyPool()).verifyBatch(verify.items);
      expect(results.every((r) => !r)).toBe(true);
      const after = node.validator.step({ type: 'verified', nowMs: 1_767_225_600_002, token: verify.token, results });
      expect(penalty(after)).toBe('CERTIFICATE_SIGNATURES');
      expect(node.validator.status().rangesAdopted).toBe(0);
      expect(node.validator.status().lastCommitIndex).toBe(0n);
    }, 60_000);
  });
});
