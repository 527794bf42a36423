// The run engine end to end: real validators over the simulated network, one seed deciding
// everything, faults applied live, the event stream a UI draws.
import { describe, expect, it } from 'vitest';
import { createSimulation } from './simulation.ts';
import type { SimConfig, SimEvent } from './types.ts';

const base: SimConfig = {
  validators: 4,
  seed: 11,
  crypto: 'modeled',
  tps: 20,
  latency: { kind: 'distribution', distribution: { kind: 'lognormal', meanMs: 40, stddevMs: 10 } },
};

async function run(config: SimConfig, untilMs: number) {
  const sim = await createSimulation(config);
  await sim.runUntil(untilMs);
  return { sim, snapshot: sim.snapshot() };
}

describe('determinism', () => {
  it('one seed gives one event digest and one snapshot; another seed gives another', async () => {
    const a = await run(base, 3000);
    const b = await run(base, 3000);
    const c = await run({ ...base, seed: 12 }, 3000);
    expect(a.snapshot.commits).toBeGreaterThan(10);
    expect(b.snapshot.digest).toBe(a.snapshot.digest);
    expect(b.snapshot).toEqual(a.snapshot);
    expect(c.snapshot.digest).not.toBe(a.snapshot.digest);
  });
});

describe('a healthy network', () => {
  it('commits the same sequence everywhere, executes the transfers and certifies them', async () => {
    const { snapshot } = await run(base, 4000);
    expect(snapshot.verdict).toBe('pass');
    expect(snapshot.violations).toEqual([]);
    expect(new Set(snapshot.committedHeights).size).toBeLessThanOrEqual(2);
    expect(snapshot.committedTxs).toBeGreaterThan(40);
    expect(snapshot.finalityMs.samples).toBeGreaterThan(0);
    expect(snapshot.finalityMs.p50).toBeGreaterThanOrEqual(snapshot.commitLatencyMs.p50);
    expect(snapshot.certificates).toBeGreaterThanOrEqual(3);
    expect(snapshot.bytesSent.every((b) => b > 0)).toBe(true);
  });

  it('real ML-DSA-44 signatures: the same protocol runs and stays safe', async () => {
    const { snapshot } = await run({ ...base, crypto: 'real', tps: 5 }, 1200);
    expect(snapshot.verdict).toBe('pass');
    expect(snapshot.commits).toBeGreaterThan(5);
    expect(snapshot.committedTxs).toBeGreaterThan(0);
  });

  it('bandwidth turns post-quantum signature bytes into latency', async () => {
    const fast = await run({ ...base, tps: 0 }, 2000);
    const slow = await run({ ...base, tps: 0, bandwidthBitsPerSecond: 2_000_000 }, 2000);
    expect(slow.snapshot.commits).toBeLessThan(fast.snapshot.commits);
  });
});

describe('the event stream', () => {
  it('shows proposals, acceptances, commits, certificates and faults as they happen', async () => {
    const sim = await createSimulation(base);
    const seen = new Map<SimEvent['type'], number>();
    const stop = sim.observe((e) => seen.set(e.type, (seen.get(e.type) ?? 0) + 1));
    await sim.runUntil(1500);
    sim.crash(3);
    await sim.runUntil(2000);
    stop();
    for (const type of ['vertexProposed', 'vertexAccepted', 'committed', 'certified', 'fault'] as const) expect(seen.get(type) ?? 0).toBeGreaterThan(0);
    const before = sim.events;
    expect(await sim.step()).toBe(true);
    expect(sim.events).toBe(before + 1);
  });
});

describe('faults', () => {
  it('a crashed validator restarted with a wiped store does not equivocate and catches up', async () => {
    const sim = await createSimulation({ ...base, tps: 0 });
    sim.scheduleFault(800, { kind: 'crash', node: 2 });
    sim.scheduleFault(1600, { kind: 'restart', node: 2, store: 'wipe' });
    await sim.runUntil(5000);
    const snapshot = sim.snapshot();
    expect(snapshot.verdict).toBe('pass');
    expect(snapshot.evidence.count).toBe(0);
    expect(snapshot.committedHeights[2]).toBeGreaterThan(0);
  });

  it('forged signatures and spam are refused (penalties), and the honest three go on', async () => {
    for (const behaviour of [{ kind: 'forge' }, { kind: 'spam' }] as const) {
      const sim = await createSimulation({ ...base, tps: 0 });
      sim.byzantine(3, behaviour);
      await sim.runUntil(3000);
      const snapshot = sim.snapshot();
      expect(snapshot.verdict).toBe('pass');
      expect(snapshot.penalties).toBeGreaterThan(0);
      expect(snapshot.commits).toBeGreaterThan(10);
      expect(snapshot.byzantine).toEqual([3]);
    }
  });

  it('an equivocator injected live is caught by its evidence; the honest stay safe', async () => {
    const sim = await createSimulation({ ...base, tps: 0 });
    await sim.runUntil(500);
    sim.byzantine(3, { kind: 'equivocate' });
    await sim.runUntil(4000);
    const snapshot = sim.snapshot();
    expect(snapshot.violations).toEqual([]);
    expect(snapshot.evidence.offenders).toEqual([3]);
  });

  it('a partition without a quorum stops commits; healing brings them back', async () => {
    const sim = await createSimulation({ ...base, tps: 0 });
    await sim.runUntil(1000);
    sim.partition({ kind: 'groups', groups: [[0, 1], [2, 3]] });
    await sim.runUntil(1300);
    const during = sim.snapshot().commits;
    await sim.runUntil(2500);
    expect(sim.snapshot().commits).toBeLessThanOrEqual(during + 1);
    sim.heal();
    await sim.runUntil(4000);
    expect(sim.snapshot().commits).toBeGreaterThan(during + 5);
    expect(sim.verdict()).toBe('pass');
  });
});
