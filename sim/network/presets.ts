/**
 * Geographic latency presets: regions, deployment weights and one-way median latencies.
 *
 * `geo` is KALDRIX's own deployment (DESIGN.md, infra): us-east-1, us-west-2, eu-west-1 with
 * validators placed 70/20/10. `world` adds ap-southeast-1, sa-east-1 and ap-northeast-1.
 * Source assumption: one-way medians are half of typical round-trip times between these AWS
 * regions as published by public inter-region ping dashboards (2023–2024), rounded to the
 * millisecond; intra-region is ~1 ms (same region, different zones). They are plausible
 * orders of magnitude, not measurements of any particular day.
 *
 * A pair's latency is log-normal around its region pair's median with a multiplicative spread
 * σ (default 0.1: about ±10 % for two thirds of messages), see latency.ts.
 * Validators are placed by exact largest-remainder counts, interleaved by smooth weighted
 * round-robin, so every prefix of the validator list is spread over the regions too (a
 * 4-validator run is not all in us-east-1) and the placement is a pure function of n.
 */
import { lognormalFromMedian, type LatencyDistribution } from './latency.ts';

export type PresetName = 'geo' | 'world';
export const PRESET_NAMES: readonly PresetName[] = Object.freeze(['geo', 'world']);

export type RegionPreset = {
  readonly name: PresetName;
  readonly regions: readonly string[];
  /** Deployment weights, one per region (relative; need not sum to 100). */
  readonly weights: readonly number[];
  /** One-way median latency between two regions, ms (symmetric; the diagonal is intra-region). */
  readonly medianOneWayMs: readonly (readonly number[])[];
};

/** Same region, different availability zones. */
const INTRA_REGION_MS = 1;
/** Default σ of ln(latency) around a pair's median: ~10 % jitter. */
export const DEFAULT_PRESET_SIGMA = 0.1;

const symmetric = (regions: readonly string[], pairs: Readonly<Record<string, number>>): readonly (readonly number[])[] =>
  Object.freeze(
    regions.map((a) =>
      Object.freeze(
        regions.map((b) => {
          if (a === b) return INTRA_REGION_MS;
          const ms = pairs[`${a} ${b}`] ?? pairs[`${b} ${a}`];
          if (ms === undefined) throw new Error(`presets: no median for ${a} - ${b}`);
          return ms;
        }),
      ),
    ),
  );

const GEO_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;
const GEO_PAIRS = { 'us-east-1 us-west-2': 32, 'us-east-1 eu-west-1': 38, 'us-west-2 eu-west-1': 68 };

const WORLD_REGIONS = [...GEO_REGIONS, 'ap-southeast-1', 'sa-east-1', 'ap-northeast-1'] as const;
const WORLD_PAIRS = {
  ...GEO_PAIRS,
  'us-east-1 ap-southeast-1': 108,
  'us-east-1 sa-east-1': 58,
  'us-east-1 ap-northeast-1': 73,
  'us-west-2 ap-southeast-1': 83,
  'us-west-2 sa-east-1': 88,
  'us-west-2 ap-northeast-1': 50,
  'eu-west-1 ap-southeast-1': 88,
  'eu-west-1 sa-east-1': 90,
  'eu-west-1 ap-northeast-1': 100,
  'ap-southeast-1 sa-east-1': 160,
  'ap-southeast-1 ap-northeast-1': 35,
  'sa-east-1 ap-northeast-1': 128,
};

export const PRESETS: Readonly<Record<PresetName, RegionPreset>> = Object.freeze({
  geo: Object.freeze({ name: 'geo', regions: GEO_REGIONS, weights: Object.freeze([70, 20, 10]), medianOneWayMs: symmetric(GEO_REGIONS, GEO_PAIRS) }),
  // World weights: the two big hubs heaviest, like public validator sets' skew to NA and EU.
  world: Object.freeze({ name: 'world', regions: WORLD_REGIONS, weights: Object.freeze([25, 15, 25, 10, 10, 15]), medianOneWayMs: symmetric(WORLD_REGIONS, WORLD_PAIRS) }),
});

/** Exact per-region counts for n validators: largest remainder (Hamilton), ties to the earlier region. */
export function regionCounts(weights: readonly number[], validators: number): readonly number[] {
  if (!Number.isInteger(validators) || validators < 0) throw new RangeError(`regionCounts: validators must be a non-negative integer, got ${validators}`);
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0) || weights.some((w) => !(w >= 0))) throw new RangeError('regionCounts: weights must be non-negative with a positive sum');
  const quotas = weights.map((w) => (w * validators) / total);
  const counts = quotas.map(Math.floor);
  const order = quotas.map((q, i) => ({ rest: q - Math.floor(q), i })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  let left = validators - counts.reduce((a, b) => a + b, 0);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] as number) + 1;
  }
  return Object.freeze(counts);
}

/** Region index of each validator 0..n−1: exact counts, interleaved by smooth weighted round-robin. */
export function assignRegions(preset: RegionPreset, validators: number): readonly number[] {
  const counts = regionCounts(preset.weights, validators);
  const current = counts.map(() => 0);
  const out: number[] = [];
  for (let v = 0; v < validators; v++) {
    let best = 0;
    for (let r = 0; r < counts.length; r++) {
      current[r] = (current[r] as number) + (counts[r] as number);
      if ((current[r] as number) > (current[best] as number)) best = r;
    }
    current[best] = (current[best] as number) - validators;
    out.push(best);
  }
  return Object.freeze(out);
}

export type PresetLatencyInit = {
  /** σ of ln(latency) around each pair's median. Default `DEFAULT_PRESET_SIGMA`. */
  readonly sigma?: number;
};

/** Latency of each validator pair under `preset`: log-normal around the region pair's median. */
export function presetLatency(preset: RegionPreset, validators: number, init: PresetLatencyInit = {}): (from: number, to: number) => LatencyDistribution {
  const sigma = init.sigma ?? DEFAULT_PRESET_SIGMA;
  const regionOf = assignRegions(preset, validators);
  const matrix = preset.medianOneWayMs.map((row) => row.map((medianMs) => lognormalFromMedian(medianMs, sigma)));
  return (from, to) => {
    const a = regionOf[from];
    const b = regionOf[to];
    if (a === undefined || b === undefined) throw new RangeError(`presetLatency: node out of range (${from}, ${to}) of ${validators}`);
    return (matrix[a] as LatencyDistribution[])[b] as LatencyDistribution;
  };
}
