import { describe, expect, it } from 'vitest';
import { assignRegions, PRESETS, presetLatency, regionCounts } from './presets.ts';

describe('geographic presets', () => {
  it('carries the stated one-way medians, symmetric, 1 ms inside a region', () => {
    const geo = PRESETS.geo;
    expect(geo.regions).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(geo.medianOneWayMs).toEqual([
      [1, 32, 38],
      [32, 1, 68],
      [38, 68, 1],
    ]);
    const world = PRESETS.world;
    expect(world.regions).toHaveLength(6);
    world.medianOneWayMs.forEach((row, a) =>
      row.forEach((ms, b) => {
        expect(ms).toBe(world.medianOneWayMs[b]?.[a]);
        expect(ms).toBeGreaterThanOrEqual(a === b ? 1 : 30);
        expect(ms).toBeLessThanOrEqual(200);
      }),
    );
  });

  it('splits validators 70/20/10 exactly by largest remainder', () => {
    expect(regionCounts([70, 20, 10], 10)).toEqual([7, 2, 1]);
    expect(regionCounts([70, 20, 10], 100)).toEqual([70, 20, 10]);
    expect(regionCounts([70, 20, 10], 4)).toEqual([3, 1, 0]);
    expect(regionCounts([70, 20, 10], 0)).toEqual([0, 0, 0]);
    for (let n = 1; n <= 200; n++) expect(regionCounts(PRESETS.world.weights, n).reduce((a, b) => a + b, 0)).toBe(n);
    expect(() => regionCounts([0, 0], 3)).toThrow(RangeError);
  });

  it('assigns regions deterministically, interleaved, with the exact counts', () => {
    const ten = assignRegions(PRESETS.geo, 10);
    expect(ten).toEqual(assignRegions(PRESETS.geo, 10));
    expect([0, 1, 2].map((r) => ten.filter((x) => x === r).length)).toEqual([7, 2, 1]);
    expect(new Set(ten.slice(0, 4)).size).toBeGreaterThan(1);
    const thousand = assignRegions(PRESETS.world, 1000);
    expect([0, 1, 2, 3, 4, 5].map((r) => thousand.filter((x) => x === r).length)).toEqual([250, 150, 250, 100, 100, 150]);
  });

  it('gives each pair a log-normal around its region pair median', () => {
    const latency = presetLatency(PRESETS.geo, 10);
    const regions = assignRegions(PRESETS.geo, 10);
    const useIdx = regions.indexOf(0);
    const euwIdx = regions.indexOf(2);
    const d = latency(useIdx, euwIdx);
    expect(d.kind).toBe('lognormal');
    if (d.kind !== 'lognormal') return;
    const medianMs = d.meanMs / Math.sqrt(1 + (d.stddevMs / d.meanMs) ** 2);
    expect(medianMs).toBeCloseTo(38, 6);
    expect(latency(useIdx, regions.lastIndexOf(0))).toMatchObject({ kind: 'lognormal' });
    expect(() => latency(0, 10)).toThrow(RangeError);
  });
});
