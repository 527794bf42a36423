import { describe, expect, it } from 'vitest';
import { createClockDrift } from './clockDrift.ts';

describe('createClockDrift', () => {
  it('adds the offset and the accumulated rate error', () => {
    const clock = createClockDrift({ offsetMs: 200, ratePpm: 100 });
    expect(clock.localMs(0)).toBe(200);
    expect(clock.localMs(1_000_000)).toBeCloseTo(1_000_000 + 200 + 100, 6);
    expect(createClockDrift().localMs(1234)).toBe(1234);
    const behind = createClockDrift({ offsetMs: -50, ratePpm: -1000, epochMs: 1000 });
    expect(behind.localMs(1000)).toBe(950);
    expect(behind.localMs(11_000)).toBeCloseTo(11_000 - 50 - 10, 6);
  });

  it('inverts: virtualAtMs(localMs(v)) ≈ v', () => {
    const clock = createClockDrift({ offsetMs: -123.5, ratePpm: 250, epochMs: 10 });
    for (const v of [0, 1, 999.5, 12_345, 1e7]) expect(clock.virtualAtMs(clock.localMs(v))).toBeCloseTo(v, 6);
  });

  it('refuses a clock that would stop or run backwards', () => {
    expect(() => createClockDrift({ ratePpm: -1e6 })).toThrow(RangeError);
    expect(() => createClockDrift({ offsetMs: Number.NaN })).toThrow(RangeError);
  });
});
