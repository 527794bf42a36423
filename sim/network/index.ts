/**
 * sim/network — the simulated network: latency distributions and their text form, geographic
 * presets, the link model (bandwidth queueing, loss, duplication, reordering, partitions),
 * per-validator clock drift, and the text units they share.
 */
export {
  LATENCY_KINDS,
  assertLatencyDistribution,
  formatLatency,
  lognormalFromMedian,
  parseLatency,
  parseLatencyTokens,
  sampleLatencyMs,
  type LatencyDistribution,
  type LatencyKind,
  type LatencyParseError,
} from './latency.ts';
export {
  DEFAULT_PRESET_SIGMA,
  PRESETS,
  PRESET_NAMES,
  assignRegions,
  presetLatency,
  regionCounts,
  type PresetLatencyInit,
  type PresetName,
  type RegionPreset,
} from './presets.ts';
export {
  createNetwork,
  type Delivery,
  type LatencyModel,
  type NetworkComponents,
  type NetworkInit,
  type NetworkStats,
  type ReorderSpec,
  type SimNetwork,
} from './links.ts';
export { NO_PARTITION, compilePartition, type PartitionCut, type PartitionSpec } from './partition.ts';
export { createClockDrift, type ClockDrift, type ClockDriftInit } from './clockDrift.ts';
export {
  formatBandwidth,
  formatDurationMs,
  formatNumber,
  parseBandwidthBitsPerSecond,
  parseDurationMs,
  parseNumber,
  parseProbability,
  type UnitError,
} from './units.ts';
