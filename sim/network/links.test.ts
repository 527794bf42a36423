import { describe, expect, it } from 'vitest';
import { createSeeds } from '../engine/seeds.ts';
import { createDigest } from '../engine/digest.ts';
import { createNetwork, type NetworkInit } from './links.ts';

const constant = (valueMs: number) => ({ kind: 'constant', valueMs }) as const;
const net = (init: Partial<NetworkInit> = {}, seed = 1) => createNetwork({ seeds: createSeeds(seed) }, { nodes: 4, latency: constant(10), ...init });

describe('createNetwork: latency and bandwidth', () => {
  it('delivers after the link latency when bandwidth is unlimited', () => {
    const n = net();
    expect(n.send(0, 1, 5000, 100)).toEqual([{ atMs: 110, duplicate: false }]);
    expect(n.send(0, 2, 5000, 100)).toEqual([{ atMs: 110, duplicate: false }]);
  });

  it('queues messages FIFO on the sender uplink: n bytes take n / bandwidth', () => {
    // 1,000,000 bytes/s = 1 byte per µs: a 2,420-byte ML-DSA-44 signature takes 2.42 ms.
    const n = net({ bandwidthBytesPerSecond: 1_000_000 });
    expect(n.send(0, 1, 2420, 0)).toEqual([{ atMs: 2.42 + 10, duplicate: false }]);
    expect(n.send(0, 2, 2420, 0)).toEqual([{ atMs: 4.84 + 10, duplicate: false }]);
    expect(n.send(0, 3, 1000, 1)).toEqual([{ atMs: 4.84 + 1 + 10, duplicate: false }]);
    expect(n.uplinkFreeAtMs(0)).toBeCloseTo(5.84, 12);
    // Another sender's uplink is independent; an idle uplink starts at once.
    expect(n.send(1, 0, 1000, 1)).toEqual([{ atMs: 1 + 1 + 10, duplicate: false }]);
    expect(n.send(0, 1, 500, 100)).toEqual([{ atMs: 100 + 0.5 + 10, duplicate: false }]);
    n.setBandwidth(2, 500);
    expect(n.send(2, 3, 1000, 200)).toEqual([{ atMs: 200 + 2000 + 10, duplicate: false }]);
  });

  it('uses per-link latency functions and overrides', () => {
    const n = net({ latency: (from, to) => constant(from * 10 + to) });
    expect(n.send(2, 3, 0, 0)[0]?.atMs).toBe(23);
    n.setLinkLatency(2, 3, constant(1));
    expect(n.send(2, 3, 0, 0)[0]?.atMs).toBe(1);
    expect(n.send(3, 2, 0, 0)[0]?.atMs).toBe(32);
    n.setLatency(constant(5));
    expect(n.send(2, 3, 0, 0)[0]?.atMs).toBe(5);
  });

  it('counts bytes sent and received per node', () => {
    const n = net({ loss: 0 });
    n.send(0, 1, 100, 0);
    n.send(0, 2, 50, 0);
    n.send(3, 1, 7, 0);
    const s = n.stats();
    expect(s.bytesSent).toEqual([150, 0, 0, 7]);
    expect(s.bytesReceived).toEqual([0, 107, 50, 0]);
    expect(s.messagesSent).toBe(3);
    expect(s.copiesDelivered).toBe(3);
  });

  it('refuses bugs: self-sends, bad nodes, time going back, bad settings', () => {
    const n = net();
    expect(() => n.send(1, 1, 10, 0)).toThrow(RangeError);
    expect(() => n.send(0, 4, 10, 0)).toThrow(RangeError);
    expect(() => n.send(0, 1, -1, 0)).toThrow(RangeError);
    n.send(0, 1, 1, 50);
    expect(() => n.send(0, 1, 1, 49)).toThrow(RangeError);
    expect(() => n.setLoss(1.5)).toThrow(RangeError);
    expect(() => n.setBandwidth(0, 0)).toThrow(RangeError);
    expect(() => n.setLatency({ kind: 'uniform', minMs: 5, maxMs: 1 })).toThrow(RangeError);
    expect(() => net({ nodes: 0 })).toThrow(RangeError);
  });
});

describe('createNetwork: faults', () => {
  it('loss 0 drops nothing, loss 1 drops everything', () => {
    const none = net({ loss: 0 });
    const all = net({ loss: 1 });
    const kept = Array.from({ length: 500 }, (_, i) => none.send(i % 4, (i + 1) % 4, 10, i).length);
    const lost = Array.from({ length: 500 }, (_, i) => all.send(i % 4, (i + 1) % 4, 10, i).length);
    expect(kept.every((n) => n === 1)).toBe(true);
    expect(lost.every((n) => n === 0)).toBe(true);
    expect(none.stats().droppedByLoss).toBe(0);
    expect(all.stats().droppedByLoss).toBe(500);
    expect(all.stats().bytesSent.reduce((a, b) => a + b)).toBe(5000);
    expect(all.stats().bytesReceived.reduce((a, b) => a + b)).toBe(0);
  });

  it('drops about p of messages, duplicates about q, and changes with setLoss', () => {
    const n = net({ loss: 0.1, duplicate: 0.2 });
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[n.send(0, 1 + (i % 3), 1, i).length]! += 1;
    expect(counts[0]! / 10_000).toBeGreaterThan(0.085);
    expect(counts[0]! / 10_000).toBeLessThan(0.115);
    expect(counts[2]! / 10_000).toBeGreaterThan(0.16);
    expect(counts[2]! / 10_000).toBeLessThan(0.2);
    n.setLoss(1);
    expect(n.send(0, 1, 1, 10_000)).toEqual([]);
  });

  it('duplicates are two copies, the second flagged', () => {
    const n = net({ duplicate: 1, latency: { kind: 'uniform', minMs: 10, maxMs: 20 } });
    const copies = n.send(0, 1, 10, 0);
    expect(copies).toHaveLength(2);
    expect(copies.map((c) => c.duplicate)).toEqual([false, true]);
    expect(n.stats().bytesReceived[1]).toBe(20);
  });

  it('reorders: with probability 1 every copy gets an extra delay below the bound', () => {
    const n = net({ reorder: { probability: 1, maxExtraMs: 30 } });
    const extras = Array.from({ length: 200 }, (_, i) => (n.send(0, 1, 0, i)[0]?.atMs as number) - i - 10);
    expect(extras.every((x) => x >= 0 && x < 30)).toBe(true);
    expect(new Set(extras).size).toBeGreaterThan(150);
    expect(n.stats().reordered).toBe(200);
  });

  it('keeps the latency of surviving messages when loss is turned on (fixed draws per send)', () => {
    const latency = { kind: 'lognormal', meanMs: 50, stddevMs: 20 } as const;
    const a = net({ latency }, 9);
    const b = net({ latency, loss: 0.5 }, 9);
    for (let i = 0; i < 200; i++) {
      const x = a.send(0, 1, 10, i);
      const y = b.send(0, 1, 10, i);
      if (y.length > 0) expect(y).toEqual(x);
    }
    expect(b.stats().droppedByLoss).toBeGreaterThan(50);
  });

  it('symmetric partitions cut both ways between groups; the unnamed rest is one group', () => {
    const n = createNetwork({ seeds: createSeeds(1) }, { nodes: 6, latency: constant(1) });
    n.setPartition({ kind: 'groups', groups: [[0, 1], [2, 3]] });
    expect(n.send(0, 1, 1, 0)).toHaveLength(1);
    expect(n.send(0, 2, 1, 0)).toHaveLength(0);
    expect(n.send(2, 0, 1, 0)).toHaveLength(0);
    expect(n.send(4, 5, 1, 0)).toHaveLength(1);
    expect(n.send(4, 3, 1, 0)).toHaveLength(0);
    expect(n.isCut(3, 2)).toBe(false);
    expect(n.stats().droppedByPartition).toBe(3);
    n.heal();
    expect(n.send(0, 2, 1, 1)).toHaveLength(1);
  });

  it('one-way partitions cut one direction only', () => {
    const n = createNetwork({ seeds: createSeeds(1) }, { nodes: 6, latency: constant(1) });
    n.setPartition({ kind: 'oneWay', from: [0, 1], to: [4, 5] });
    expect(n.send(0, 4, 1, 0)).toHaveLength(0);
    expect(n.send(1, 5, 1, 0)).toHaveLength(0);
    expect(n.send(4, 0, 1, 0)).toHaveLength(1);
    expect(n.send(0, 2, 1, 0)).toHaveLength(1);
    expect(n.send(2, 4, 1, 0)).toHaveLength(1);
    // A new partition replaces the previous one.
    n.setPartition({ kind: 'groups', groups: [[0, 4]] });
    expect(n.send(0, 4, 1, 0)).toHaveLength(1);
    expect(n.send(0, 1, 1, 0)).toHaveLength(0);
  });

  it('refuses malformed partition specs', () => {
    const n = net();
    expect(() => n.setPartition({ kind: 'groups', groups: [[0, 1], [1, 2]] })).toThrow(RangeError);
    expect(() => n.setPartition({ kind: 'groups', groups: [[0, 9]] })).toThrow(RangeError);
    expect(() => n.setPartition({ kind: 'groups', groups: [[]] })).toThrow(RangeError);
    expect(() => n.setPartition({ kind: 'oneWay', from: [0], to: [0] })).toThrow(RangeError);
  });
});

describe('createNetwork: determinism', () => {
  const run = (seed: number): string => {
    const digest = createDigest();
    const n = createNetwork(
      { seeds: createSeeds(seed, { digest }) },
      { nodes: 5, latency: { kind: 'lognormal', meanMs: 40, stddevMs: 15 }, loss: 0.05, duplicate: 0.05, reorder: { probability: 0.1, maxExtraMs: 20 }, bandwidthBytesPerSecond: 1e6 },
    );
    for (let i = 0; i < 300; i++) for (const d of n.send(i % 5, (i * 3 + 1) % 5 === i % 5 ? (i + 1) % 5 : (i * 3 + 1) % 5, 100 + i, i)) digest.foldNumber(d.atMs);
    return digest.hex();
  };
  it('equal seeds give equal digests; different seeds differ', () => {
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });
});
