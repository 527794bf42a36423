/**
 * One-way latency distributions as plain data, a sampler over a seeded stream, and their text
 * form (`constant 50ms`, `uniform 20ms 80ms`, `lognormal 50ms 20ms`, `bimodal 40ms 400ms 0.05`).
 *
 * Parametrizations (what the numbers mean):
 * - constant V: always V ms.
 * - uniform MIN MAX: uniform on [MIN, MAX) ms.
 * - lognormal MEAN STDDEV: a log-normal variable with that arithmetic mean and standard
 *   deviation in ms (the `--latency-ms MEAN:JITTER` of the command line). Internally
 *   σ² = ln(1 + (STDDEV/MEAN)²), μ = ln(MEAN) − σ²/2; the median is MEAN / √(1 + (STDDEV/MEAN)²).
 *   Network delays are right-skewed and never negative, which is why a log-normal (Sui msim,
 *   Mysticeti's simulator) rather than a normal. `lognormalFromMedian` converts from (median, σ).
 * - bimodal FAST SLOW P: SLOW ms with probability P, else FAST ms (a tail of retransmits or
 *   a congested path, as in TigerBeetle's and msim's compound delays).
 * Every sample is finite and non-negative. Normals come from Box–Muller with two fresh uniforms
 * per sample (the second normal is discarded, so the draws per sample are fixed: 2).
 */
import type { Prng } from '../../core/prng.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { formatDurationMs, formatNumber, parseDurationMs, parseProbability, type UnitError } from './units.ts';

export type LatencyDistribution =
  | { readonly kind: 'constant'; readonly valueMs: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'lognormal'; readonly meanMs: number; readonly stddevMs: number }
  | { readonly kind: 'bimodal'; readonly fastMs: number; readonly slowMs: number; readonly slowProbability: number };

export type LatencyKind = LatencyDistribution['kind'];

export const LATENCY_KINDS: readonly LatencyKind[] = Object.freeze(['constant', 'uniform', 'lognormal', 'bimodal']);

/** The numeric arguments each kind takes after its name. */
const ARITY: Readonly<Record<LatencyKind, number>> = { constant: 1, uniform: 2, lognormal: 2, bimodal: 3 };
const USAGE: Readonly<Record<LatencyKind, string>> = {
  constant: 'constant <ms>',
  uniform: 'uniform <min> <max>',
  lognormal: 'lognormal <mean> <stddev>',
  bimodal: 'bimodal <fast> <slow> <slow-probability>',
};

export type LatencyParseError =
  | { readonly code: 'UNKNOWN_LATENCY_KIND'; readonly tokenIndex: number; readonly token: string; readonly expected: string }
  | { readonly code: 'LATENCY_ARITY'; readonly tokenIndex: number; readonly token: string; readonly expected: string }
  | { readonly code: 'LATENCY_RANGE'; readonly tokenIndex: number; readonly token: string; readonly expected: string }
  | (UnitError & { readonly tokenIndex: number });

/** (median, σ of ln) to the (mean, stddev) parametrization: mean = m·e^(σ²/2), sd = mean·√(e^(σ²) − 1). */
export function lognormalFromMedian(medianMs: number, sigma: number): LatencyDistribution {
  if (!(medianMs > 0) || !Number.isFinite(medianMs)) throw new RangeError(`lognormalFromMedian: medianMs must be positive, got ${medianMs}`);
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`lognormalFromMedian: sigma must be >= 0, got ${sigma}`);
  const meanMs = medianMs * Math.exp((sigma * sigma) / 2);
  return Object.freeze({ kind: 'lognormal', meanMs, stddevMs: meanMs * Math.sqrt(Math.expm1(sigma * sigma)) });
}

/** A standard normal from two uniforms (Box–Muller); 1 − u keeps the logarithm's argument in (0, 1]. */
function standardNormal(prng: Prng): number {
  const u1 = 1 - prng.nextFloat();
  const u2 = prng.nextFloat();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** One latency sample in ms; the draws it takes depend only on the kind (0, 1, 2, 1). */
export function sampleLatencyMs(distribution: LatencyDistribution, prng: Prng): number {
  switch (distribution.kind) {
    case 'constant':
      return distribution.valueMs;
    case 'uniform':
      return distribution.minMs + prng.nextFloat() * (distribution.maxMs - distribution.minMs);
    case 'lognormal': {
      const { meanMs, stddevMs } = distribution;
      if (meanMs === 0) return 0;
      const sigma2 = Math.log1p((stddevMs / meanMs) ** 2);
      return Math.exp(Math.log(meanMs) - sigma2 / 2 + Math.sqrt(sigma2) * standardNormal(prng));
    }
    case 'bimodal':
      return prng.nextFloat() < distribution.slowProbability ? distribution.slowMs : distribution.fastMs;
  }
}

/** Checks a distribution built in code (bad parameters are a bug: RangeError). */
export function assertLatencyDistribution(d: LatencyDistribution): void {
  const values = d.kind === 'constant' ? [d.valueMs] : d.kind === 'uniform' ? [d.minMs, d.maxMs] : d.kind === 'lognormal' ? [d.meanMs, d.stddevMs] : [d.fastMs, d.slowMs, d.slowProbability];
  if (!values.every((v) => Number.isFinite(v) && v >= 0)) throw new RangeError(`latency ${d.kind}: parameters must be finite and >= 0`);
  if (d.kind === 'uniform' && d.minMs > d.maxMs) throw new RangeError('latency uniform: minMs must be <= maxMs');
  if (d.kind === 'bimodal' && d.slowProbability > 1) throw new RangeError('latency bimodal: slowProbability must be <= 1');
}

/** Parses the tokens of a latency text, `tokens[0]` being the kind. */
export function parseLatencyTokens(tokens: readonly string[]): Result<LatencyDistribution, LatencyParseError> {
  const kind = tokens[0] ?? '';
  if (!(LATENCY_KINDS as readonly string[]).includes(kind)) {
    return err({ code: 'UNKNOWN_LATENCY_KIND', tokenIndex: 0, token: kind, expected: `one of ${LATENCY_KINDS.join(', ')}` });
  }
  const k = kind as LatencyKind;
  if (tokens.length !== ARITY[k] + 1) {
    const at = Math.min(tokens.length, ARITY[k] + 1);
    return err({ code: 'LATENCY_ARITY', tokenIndex: at, token: tokens[at] ?? '', expected: USAGE[k] });
  }
  const values: number[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const parsed = k === 'bimodal' && i === 3 ? parseProbability(token) : parseDurationMs(token);
    if (!parsed.ok) return err({ ...parsed.error, tokenIndex: i });
    values.push(parsed.value);
  }
  const [a = 0, b = 0, c = 0] = values;
  if (k === 'uniform' && a > b) return err({ code: 'LATENCY_RANGE', tokenIndex: 2, token: tokens[2] as string, expected: `a maximum >= the minimum ${tokens[1] as string}` });
  const distribution: LatencyDistribution =
    k === 'constant' ? { kind: k, valueMs: a } : k === 'uniform' ? { kind: k, minMs: a, maxMs: b } : k === 'lognormal' ? { kind: k, meanMs: a, stddevMs: b } : { kind: k, fastMs: a, slowMs: b, slowProbability: c };
  return ok(Object.freeze(distribution));
}

/** Parses `constant 50ms`, `uniform 20ms 80ms`, `lognormal 50ms 20ms`, `bimodal 40ms 400ms 0.05`. */
export function parseLatency(text: string): Result<LatencyDistribution, LatencyParseError> {
  return parseLatencyTokens(text.trim().split(/\s+/).filter((t) => t.length > 0));
}

/** Canonical text of a distribution; `parseLatency(formatLatency(d))` equals `d`. */
export function formatLatency(d: LatencyDistribution): string {
  switch (d.kind) {
    case 'constant':
      return `constant ${formatDurationMs(d.valueMs)}`;
    case 'uniform':
      return `uniform ${formatDurationMs(d.minMs)} ${formatDurationMs(d.maxMs)}`;
    case 'lognormal':
      return `lognormal ${formatDurationMs(d.meanMs)} ${formatDurationMs(d.stddevMs)}`;
    case 'bimodal':
      return `bimodal ${formatDurationMs(d.fastMs)} ${formatDurationMs(d.slowMs)} ${formatNumber(d.slowProbability)}`;
  }
}
