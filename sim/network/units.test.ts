import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatBandwidth, formatDurationMs, formatNumber, parseBandwidthBitsPerSecond, parseDurationMs, parseNumber, parseProbability } from './units.ts';

describe('units', () => {
  it('parses durations in decimal, without binary rounding', () => {
    expect(parseDurationMs('50ms')).toEqual({ ok: true, value: 50 });
    expect(parseDurationMs('1.1s')).toEqual({ ok: true, value: 1100 });
    expect(parseDurationMs('0.001s')).toEqual({ ok: true, value: 1 });
    expect(parseDurationMs('2.5ms')).toEqual({ ok: true, value: 2.5 });
    expect(parseDurationMs('1e-7ms')).toEqual({ ok: true, value: 1e-7 });
    for (const bad of ['50', 'ms', '-1ms', '1.ms', '5 ms', '1h', '.5s', 'NaNms', 'Infinityms', '1e999s']) {
      expect(parseDurationMs(bad)).toMatchObject({ ok: false, error: { code: 'BAD_DURATION', token: bad } });
    }
  });

  it('parses bandwidths in bits per second, SI prefixes', () => {
    expect(parseBandwidthBitsPerSecond('10mbps')).toEqual({ ok: true, value: 10_000_000 });
    expect(parseBandwidthBitsPerSecond('1Gbps')).toEqual({ ok: true, value: 1e9 });
    expect(parseBandwidthBitsPerSecond('512kbps')).toEqual({ ok: true, value: 512_000 });
    expect(parseBandwidthBitsPerSecond('0mbps')).toMatchObject({ ok: false, error: { code: 'BAD_BANDWIDTH' } });
    expect(parseBandwidthBitsPerSecond('10MB/s')).toMatchObject({ ok: false, error: { code: 'BAD_BANDWIDTH' } });
  });

  it('parses numbers and probabilities', () => {
    expect(parseNumber('1.25')).toEqual({ ok: true, value: 1.25 });
    expect(parseNumber('-1')).toMatchObject({ ok: false, error: { code: 'BAD_NUMBER' } });
    expect(parseProbability('1')).toEqual({ ok: true, value: 1 });
    expect(parseProbability('1.01')).toMatchObject({ ok: false, error: { code: 'BAD_PROBABILITY' } });
  });

  it('formats canonically and round-trips every non-negative double (property)', () => {
    expect(formatDurationMs(2000)).toBe('2s');
    expect(formatDurationMs(0)).toBe('0ms');
    expect(formatDurationMs(1500)).toBe('1500ms');
    expect(formatBandwidth(10_000_000)).toBe('10mbps');
    expect(formatBandwidth(1_500_000)).toBe('1500kbps');
    expect(formatBandwidth(12.5)).toBe('12.5bps');
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e15, noNaN: true }), (x) => {
        const v = Object.is(x, -0) ? 0 : x;
        expect(parseDurationMs(formatDurationMs(v))).toEqual({ ok: true, value: v });
        expect(parseNumber(formatNumber(v))).toEqual({ ok: true, value: v });
        if (v > 0) expect(parseBandwidthBitsPerSecond(formatBandwidth(v))).toEqual({ ok: true, value: v });
      }),
      { numRuns: 500 },
    );
    expect(() => formatDurationMs(-1)).toThrow(RangeError);
  });
});
