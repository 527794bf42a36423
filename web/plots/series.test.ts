import { describe, expect, it } from 'vitest';
import { bytesSummary, cumulativeSteps, formatBytes, latencyHistogram, latencySummary, tpsSeries, tpsSummary, viewChangeSummary } from './series.ts';

describe('tpsSeries', () => {
  it('bins committed transactions per second, with zeros for stalls', () => {
    const series = tpsSeries([{ timeMs: 100, transactions: 50 }, { timeMs: 900, transactions: 50 }, { timeMs: 2_500, transactions: 30 }]);
    expect(series.map((p) => p.tps)).toEqual([100, 0, 30]);
    expect(series.map((p) => [p.startMs, p.endMs])).toEqual([[0, 1_000], [1_000, 2_000], [2_000, 3_000]]);
  });

  it('scales the rate to per second for other bin widths and extends to untilMs', () => {
    const series = tpsSeries([{ timeMs: 100, transactions: 10 }], 500, 2_000);
    expect(series.map((p) => p.tps)).toEqual([20, 0, 0, 0]);
    expect(tpsSeries([])).toEqual([]);
    expect(() => tpsSeries([], 0)).toThrow(RangeError);
  });

  it('summarizes total, average, peak and last', () => {
    expect(tpsSummary(tpsSeries([{ timeMs: 100, transactions: 50 }, { timeMs: 2_500, transactions: 30 }]))).toBe(
      '80 transactions committed over 3 s: 26.7 per second on average, peak 50 per second at 0 s, last second 30 per second.',
    );
    expect(tpsSummary([])).toBe('No commits yet.');
  });
});

describe('latencyHistogram', () => {
  it('counts every sample once and computes percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    const histogram = latencyHistogram(samples, 10);
    expect(histogram.bins.reduce((n, b) => n + b.count, 0)).toBe(100);
    expect(histogram.p50).toBeCloseTo(50.5);
    expect(histogram.p90).toBeCloseTo(90.1);
    expect(histogram.p99).toBeCloseTo(99.01);
    expect(histogram.bins[0]!.x0).toBeLessThanOrEqual(1);
    expect(histogram.bins[histogram.bins.length - 1]!.x1).toBeGreaterThanOrEqual(100);
    expect(latencySummary(histogram)).toBe('100 finality latencies: median 51 ms, 90th percentile 90 ms, 99th percentile 99 ms.');
  });

  it('ignores invalid samples and handles none', () => {
    const histogram = latencyHistogram([Number.NaN, -1, 5]);
    expect(histogram.samples).toBe(1);
    expect(latencyHistogram([]).p50).toBeNaN();
    expect(latencySummary(latencyHistogram([]))).toMatch(/^No finality/);
    expect(() => latencyHistogram([1], 0)).toThrow(RangeError);
  });
});

describe('view changes and bytes', () => {
  it('steps the cumulative count of view changes', () => {
    const steps = cumulativeSteps([3_000, 1_000], 5_000);
    expect(steps).toEqual([{ timeMs: 0, count: 0 }, { timeMs: 1_000, count: 1 }, { timeMs: 3_000, count: 2 }, { timeMs: 5_000, count: 2 }]);
    expect(viewChangeSummary(steps)).toBe('2 view changes (skipped leaders), the last at 3 s.');
    expect(viewChangeSummary(cumulativeSteps([]))).toMatch(/^No view changes/);
  });

  it('formats bytes and names the busiest and quietest validators', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(bytesSummary([1_000, 5_000, 200])).toBe('6.2 KB sent by 3 validators; most by v1 (5 KB), least by v2 (200 B).');
  });
});
