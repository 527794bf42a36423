import { describe, expect, it } from 'vitest';
import { LONG_FRAME_MS, percentile, summarizeFrames } from './frameStats.ts';

describe('summarizeFrames', () => {
  it('gives 60 fps and 16.7 ms frames for a steady 60 Hz run', () => {
    const stamps = Array.from({ length: 61 }, (_, i) => 1_000 + (i * 1000) / 60);
    const s = summarizeFrames(stamps);
    expect(s.frames).toBe(60);
    expect(s.seconds).toBeCloseTo(1, 9);
    expect(s.fps).toBeCloseTo(60, 9);
    expect(s.p50FrameMs).toBeCloseTo(16.667, 2);
    expect(s.p95FrameMs).toBeCloseTo(16.667, 2);
    expect(s.longFrames).toBe(0);
  });

  it('shows one long stall in p95, max and the long-frame count, not only in the mean', () => {
    // 19 frames of 10 ms, then one of 200 ms: 20 intervals over 390 ms.
    const intervals = [...Array.from({ length: 19 }, () => 10), 200];
    const stamps = intervals.reduce((acc, ms) => [...acc, (acc[acc.length - 1] as number) + ms], [0]);
    const s = summarizeFrames(stamps);
    expect(s.frames).toBe(20);
    expect(s.fps).toBeCloseTo((20 * 1000) / 390, 9);
    expect(s.p50FrameMs).toBe(10);
    expect(s.p95FrameMs).toBe(10);
    expect(s.maxFrameMs).toBe(200);
    expect(s.longFrames).toBe(1);
    expect(200).toBeGreaterThan(LONG_FRAME_MS);
  });

  it('refuses fewer than two timestamps and timestamps going backwards', () => {
    expect(() => summarizeFrames([5])).toThrow(RangeError);
    expect(() => summarizeFrames([0, 10, 5])).toThrow(/not ascending at index 2/);
  });
});

describe('percentile', () => {
  it('is the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});
