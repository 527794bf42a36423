/**
 * The simulated network's link model: per-link latency, per-node uplink bandwidth with FIFO
 * queueing, loss, duplication, reordering and partitions, all changeable while a run goes on.
 *
 * The fault vocabulary follows TigerBeetle's packet simulator and Sui's msim. What it adds for
 * KALDRIX: a message of n bytes holds the sender's uplink for n / bandwidth seconds and later
 * messages queue behind it, so a vertex carrying 2.4–4.6 KB post-quantum signatures, sent to 99
 * peers, shows up as latency exactly as it would on a real 10–100 Mbit/s link.
 *
 * `send` only computes: it returns when each copy arrives (none when lost or cut, two when
 * duplicated) and the simulator schedules the deliveries. Faults are decided at send time: a
 * message already in flight when a partition starts still arrives (like a packet already on
 * the wire). A lost or cut message still used the sender's uplink (the sender cannot know).
 *
 * Determinism: each directed link has its own stream (`streamFor('link', from, to)`), and every
 * send takes the same draws whatever the fault settings are (loss, duplicate, then for each of
 * two copies: latency, reorder, reorder delay), so turning loss on does not change the latency
 * of the messages that still arrive.
 */
import type { Prng } from '../../core/prng.ts';
import type { Seeds } from '../engine/seeds.ts';
import { assertLatencyDistribution, sampleLatencyMs, type LatencyDistribution } from './latency.ts';
import { compilePartition, NO_PARTITION, type PartitionCut, type PartitionSpec } from './partition.ts';

export type LatencyModel = LatencyDistribution | ((from: number, to: number) => LatencyDistribution);

export type ReorderSpec = {
  /** Probability that a copy gets an extra delay. */
  readonly probability: number;
  /** The extra delay is uniform on [0, maxExtraMs). */
  readonly maxExtraMs: number;
};

export type Delivery = { readonly atMs: number; readonly duplicate: boolean };

export type NetworkStats = {
  readonly bytesSent: readonly number[];
  readonly bytesReceived: readonly number[];
  readonly messagesSent: number;
  /** Copies scheduled for delivery (duplicates included). */
  readonly copiesDelivered: number;
  readonly droppedByLoss: number;
  readonly droppedByPartition: number;
  readonly duplicated: number;
  readonly reordered: number;
};

export type NetworkComponents = {
  /** Link streams come from `seeds.streamFor('link', from, to)`. */
  readonly seeds: Seeds;
};

export type NetworkInit = {
  readonly nodes: number;
  readonly latency: LatencyModel;
  /** Egress bandwidth of every node, bytes per second. Default Infinity (no queueing). */
  readonly bandwidthBytesPerSecond?: number;
  /** Probability a message is lost. Default 0. */
  readonly loss?: number;
  /** Probability a message arrives twice. Default 0. */
  readonly duplicate?: number;
  /** Default: none. */
  readonly reorder?: ReorderSpec;
};

export type SimNetwork = {
  readonly nodes: number;
  /** Arrival times of the copies of one message (0, 1 or 2); `nowMs` never decreases between calls. */
  send(from: number, to: number, bytesLength: number, nowMs: number): readonly Delivery[];
  setPartition(spec: PartitionSpec): void;
  heal(): void;
  isCut(from: number, to: number): boolean;
  setLoss(probability: number): void;
  setDuplicate(probability: number): void;
  setReorder(spec: ReorderSpec | undefined): void;
  setLatency(model: LatencyModel): void;
  /** Overrides one directed link's latency (until the next `setLatency`). */
  setLinkLatency(from: number, to: number, distribution: LatencyDistribution): void;
  setBandwidth(node: number, bytesPerSecond: number): void;
  /** When `node`'s uplink is next free, ms (≤ now when idle). */
  uplinkFreeAtMs(node: number): number;
  stats(): NetworkStats;
};

const checkProbability = (p: number, what: string): number => {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${what}: probability must be in [0, 1], got ${p}`);
  return p;
};
const checkBandwidth = (bps: number): number => {
  if (!(bps > 0)) throw new RangeError(`bandwidth must be > 0 bytes/s (Infinity for unlimited), got ${bps}`);
  return bps;
};
const checkReorder = (spec: ReorderSpec | undefined): ReorderSpec | undefined => {
  if (spec === undefined) return undefined;
  checkProbability(spec.probability, 'reorder');
  if (!(spec.maxExtraMs >= 0 && Number.isFinite(spec.maxExtraMs))) throw new RangeError(`reorder: maxExtraMs must be finite and >= 0, got ${spec.maxExtraMs}`);
  return spec;
};
const asFunction = (model: LatencyModel): ((from: number, to: number) => LatencyDistribution) => {
  if (typeof model === 'function') return model;
  assertLatencyDistribution(model);
  return () => model;
};

export function createNetwork(components: NetworkComponents, init: NetworkInit): SimNetwork {
  const { nodes } = init;
  if (!Number.isInteger(nodes) || nodes < 1) throw new RangeError(`createNetwork: nodes must be a positive integer, got ${nodes}`);
  const { seeds } = components;
  let latencyOf = asFunction(init.latency);
  const latencyOverrides = new Map<number, LatencyDistribution>();
  const bandwidth = new Float64Array(nodes).fill(checkBandwidth(init.bandwidthBytesPerSecond ?? Infinity));
  const uplinkFreeAt = new Float64Array(nodes).fill(-Infinity);
  const bytesSent = new Float64Array(nodes);
  const bytesReceived = new Float64Array(nodes);
  let loss = checkProbability(init.loss ?? 0, 'loss');
  let duplicate = checkProbability(init.duplicate ?? 0, 'duplicate');
  let reorder = checkReorder(init.reorder);
  let cut: PartitionCut = NO_PARTITION;
  let lastNowMs = -Infinity;
  const counters = { messagesSent: 0, copiesDelivered: 0, droppedByLoss: 0, droppedByPartition: 0, duplicated: 0, reordered: 0 };
  // One stream per directed link, created on first use: at most nodes² entries.
  const streams = new Map<number, Prng>();
  const streamOf = (from: number, to: number): Prng => {
    const key = from * nodes + to;
    let stream = streams.get(key);
    if (stream === undefined) {
      stream = seeds.streamFor('link', from, to);
      streams.set(key, stream);
    }
    return stream;
  };
  const checkNode = (node: number, what: string): void => {
    if (!Number.isInteger(node) || node < 0 || node >= nodes) throw new RangeError(`${what}: node ${node} out of range 0..${nodes - 1}`);
  };
  const distributionOf = (from: number, to: number): LatencyDistribution => latencyOverrides.get(from * nodes + to) ?? latencyOf(from, to);

  /** Arrival offset of one copy after departure; always takes the same draws. */
  const copyDelayMs = (prng: Prng, distribution: LatencyDistribution): { delayMs: number; reordered: boolean } => {
    const latencyMs = Math.max(0, sampleLatencyMs(distribution, prng));
    const reorderDraw = prng.nextFloat();
    const extraDraw = prng.nextFloat();
    const reordered = reorder !== undefined && reorderDraw < reorder.probability;
    return { delayMs: latencyMs + (reordered && reorder !== undefined ? extraDraw * reorder.maxExtraMs : 0), reordered };
  };

  const send = (from: number, to: number, bytesLength: number, nowMs: number): readonly Delivery[] => {
    checkNode(from, 'send');
    checkNode(to, 'send');
    if (from === to) throw new RangeError(`send: node ${from} sends to itself (the shell delivers locally)`);
    if (!Number.isInteger(bytesLength) || bytesLength < 0) throw new RangeError(`send: bytesLength must be a non-negative integer, got ${bytesLength}`);
    if (!(nowMs >= lastNowMs) || !Number.isFinite(nowMs)) throw new RangeError(`send: nowMs ${nowMs} went back from ${lastNowMs}`);
    lastNowMs = nowMs;
    // Uplink FIFO: the message starts when the previous one has left, and departs n/bw later.
    const departMs = Math.max(nowMs, uplinkFreeAt[from] as number) + (bytesLength * 1000) / (bandwidth[from] as number);
    uplinkFreeAt[from] = departMs;
    bytesSent[from] = (bytesSent[from] as number) + bytesLength;
    counters.messagesSent++;
    const prng = streamOf(from, to);
    const lossDraw = prng.nextFloat();
    const duplicateDraw = prng.nextFloat();
    const distribution = distributionOf(from, to);
    const first = copyDelayMs(prng, distribution);
    const second = copyDelayMs(prng, distribution);
    if (cut(from, to)) {
      counters.droppedByPartition++;
      return [];
    }
    if (lossDraw < loss) {
      counters.droppedByLoss++;
      return [];
    }
    const copies = duplicateDraw < duplicate ? [first, second] : [first];
    if (copies.length === 2) counters.duplicated++;
    const deliveries = copies.map((copy, i) => {
      if (copy.reordered) counters.reordered++;
      return Object.freeze({ atMs: departMs + copy.delayMs, duplicate: i === 1 });
    });
    counters.copiesDelivered += deliveries.length;
    bytesReceived[to] = (bytesReceived[to] as number) + bytesLength * deliveries.length;
    return Object.freeze(deliveries);
  };

  return Object.freeze({
    nodes,
    send,
    setPartition: (spec: PartitionSpec) => {
      cut = compilePartition(nodes, spec);
    },
    heal: () => {
      cut = NO_PARTITION;
    },
    isCut: (from: number, to: number) => cut(from, to),
    setLoss: (p: number) => {
      loss = checkProbability(p, 'loss');
    },
    setDuplicate: (p: number) => {
      duplicate = checkProbability(p, 'duplicate');
    },
    setReorder: (spec: ReorderSpec | undefined) => {
      reorder = checkReorder(spec);
    },
    setLatency: (model: LatencyModel) => {
      latencyOf = asFunction(model);
      latencyOverrides.clear();
    },
    setLinkLatency: (from: number, to: number, distribution: LatencyDistribution) => {
      checkNode(from, 'setLinkLatency');
      checkNode(to, 'setLinkLatency');
      assertLatencyDistribution(distribution);
      latencyOverrides.set(from * nodes + to, distribution);
    },
    setBandwidth: (node: number, bytesPerSecond: number) => {
      checkNode(node, 'setBandwidth');
      bandwidth[node] = checkBandwidth(bytesPerSecond);
    },
    uplinkFreeAtMs: (node: number) => {
      checkNode(node, 'uplinkFreeAtMs');
      return uplinkFreeAt[node] as number;
    },
    stats: (): NetworkStats =>
      Object.freeze({ ...counters, bytesSent: Object.freeze(Array.from(bytesSent)), bytesReceived: Object.freeze(Array.from(bytesReceived)) }),
  });
}
