import { describe, expect, it } from 'vitest';
import { createPrng } from '../../core/prng.ts';
import { formatLatency, lognormalFromMedian, parseLatency, sampleLatencyMs, type LatencyDistribution } from './latency.ts';

const N = 20_000;
function samples(d: LatencyDistribution, seed = 1): Float64Array {
  const prng = createPrng(seed);
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) out[i] = sampleLatencyMs(d, prng);
  return out;
}
const mean = (xs: Float64Array): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: Float64Array): number => {
  const sorted = Float64Array.from(xs).sort();
  return ((sorted[N / 2 - 1] as number) + (sorted[N / 2] as number)) / 2;
};
const stddev = (xs: Float64Array): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const allNonNegative = (xs: Float64Array): boolean => xs.every((x) => Number.isFinite(x) && x >= 0);

describe('sampleLatencyMs (statistical, N = 20,000, loose bounds)', () => {
  it('constant is constant and takes no draws', () => {
    const prng = createPrng(1);
    expect(sampleLatencyMs({ kind: 'constant', valueMs: 7 }, prng)).toBe(7);
    expect(prng.nextU32()).toBe(createPrng(1).nextU32());
  });

  it('uniform stays in [min, max) with the right mean', () => {
    const xs = samples({ kind: 'uniform', minMs: 20, maxMs: 80 });
    expect(xs.every((x) => x >= 20 && x < 80)).toBe(true);
    expect(mean(xs)).toBeGreaterThan(49);
    expect(mean(xs)).toBeLessThan(51);
  });

  it('lognormal has the asked mean and standard deviation, and the implied median', () => {
    const xs = samples({ kind: 'lognormal', meanMs: 50, stddevMs: 20 });
    expect(allNonNegative(xs)).toBe(true);
    expect(mean(xs)).toBeGreaterThan(49);
    expect(mean(xs)).toBeLessThan(51);
    expect(stddev(xs)).toBeGreaterThan(18.5);
    expect(stddev(xs)).toBeLessThan(21.5);
    // median = mean / sqrt(1 + cv²) = 50 / sqrt(1.16) ≈ 46.42
    expect(median(xs)).toBeGreaterThan(45.5);
    expect(median(xs)).toBeLessThan(47.4);
  });

  it('lognormalFromMedian keeps the median and the spread', () => {
    const d = lognormalFromMedian(38, 0.1);
    const xs = samples(d, 2);
    expect(median(xs)).toBeGreaterThan(37.5);
    expect(median(xs)).toBeLessThan(38.5);
    const logs = Float64Array.from(xs, Math.log);
    expect(stddev(logs)).toBeGreaterThan(0.095);
    expect(stddev(logs)).toBeLessThan(0.105);
    expect(lognormalFromMedian(10, 0)).toEqual({ kind: 'lognormal', meanMs: 10, stddevMs: 0 });
    expect(() => lognormalFromMedian(0, 0.1)).toThrow(RangeError);
    expect(() => lognormalFromMedian(10, -1)).toThrow(RangeError);
  });

  it('lognormal with a zero mean is zero, never NaN', () => {
    expect(allNonNegative(samples({ kind: 'lognormal', meanMs: 0, stddevMs: 0 }))).toBe(true);
    expect(allNonNegative(samples({ kind: 'lognormal', meanMs: 1, stddevMs: 100 }))).toBe(true);
  });

  it('bimodal takes the slow mode with probability p', () => {
    const xs = samples({ kind: 'bimodal', fastMs: 40, slowMs: 400, slowProbability: 0.05 });
    const slow = xs.filter((x) => x === 400).length;
    expect(xs.every((x) => x === 40 || x === 400)).toBe(true);
    expect(slow / N).toBeGreaterThan(0.04);
    expect(slow / N).toBeLessThan(0.06);
  });
});

describe('parseLatency / formatLatency', () => {
  it('parses every kind', () => {
    expect(parseLatency('constant 50ms')).toEqual({ ok: true, value: { kind: 'constant', valueMs: 50 } });
    expect(parseLatency(' uniform 20ms  80ms ')).toEqual({ ok: true, value: { kind: 'uniform', minMs: 20, maxMs: 80 } });
    expect(parseLatency('lognormal 50ms 20ms')).toEqual({ ok: true, value: { kind: 'lognormal', meanMs: 50, stddevMs: 20 } });
    expect(parseLatency('bimodal 40ms 0.4s 0.05')).toEqual({ ok: true, value: { kind: 'bimodal', fastMs: 40, slowMs: 400, slowProbability: 0.05 } });
  });

  it('returns typed errors naming the token', () => {
    expect(parseLatency('gaussian 50ms')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_LATENCY_KIND', tokenIndex: 0, token: 'gaussian' } });
    expect(parseLatency('')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_LATENCY_KIND' } });
    expect(parseLatency('uniform 20ms')).toMatchObject({ ok: false, error: { code: 'LATENCY_ARITY', tokenIndex: 2, expected: 'uniform <min> <max>' } });
    expect(parseLatency('constant 5ms 6ms')).toMatchObject({ ok: false, error: { code: 'LATENCY_ARITY', tokenIndex: 2, token: '6ms' } });
    expect(parseLatency('constant 50')).toMatchObject({ ok: false, error: { code: 'BAD_DURATION', tokenIndex: 1, token: '50' } });
    expect(parseLatency('constant -5ms')).toMatchObject({ ok: false, error: { code: 'BAD_DURATION' } });
    expect(parseLatency('uniform 80ms 20ms')).toMatchObject({ ok: false, error: { code: 'LATENCY_RANGE', tokenIndex: 2 } });
    expect(parseLatency('bimodal 40ms 400ms 1.5')).toMatchObject({ ok: false, error: { code: 'BAD_PROBABILITY', tokenIndex: 3 } });
  });

  it('prints canonical text that parses back', () => {
    const ds: LatencyDistribution[] = [
      { kind: 'constant', valueMs: 1000 },
      { kind: 'uniform', minMs: 0.5, maxMs: 2500 },
      { kind: 'lognormal', meanMs: 50, stddevMs: 20 },
      { kind: 'bimodal', fastMs: 40, slowMs: 400, slowProbability: 0.05 },
      lognormalFromMedian(68, 0.1),
    ];
    for (const d of ds) expect(parseLatency(formatLatency(d))).toEqual({ ok: true, value: d });
    expect(formatLatency({ kind: 'constant', valueMs: 1000 })).toBe('constant 1s');
  });
});
