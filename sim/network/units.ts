/**
 * Text units of the simulator's configuration: durations (`50ms`, `1.5s`), bandwidths
 * (`10mbps`), plain decimals and probabilities, with canonical printers.
 *
 * Numbers are unsigned decimals, optionally with an exponent (`1e-7`), which is exactly what
 * `String(n)` prints for a non-negative finite number, so `parse(format(x)) === x` for every
 * value the printers accept. Seconds convert to milliseconds in decimal (`1.1s` is 1100 ms,
 * not 1100.0000000000002), by shifting the exponent before the one rounding to a double.
 * Bandwidths are bits per second with SI prefixes (k = 1,000), the way links are sold.
 */
import { err, ok, type Result } from '../../core/result.ts';

export type UnitError = {
  readonly code: 'BAD_NUMBER' | 'BAD_DURATION' | 'BAD_BANDWIDTH' | 'BAD_PROBABILITY';
  readonly token: string;
  /** What was expected instead, in words. */
  readonly expected: string;
};

const NUMBER = /^(\d+(?:\.\d+)?)(?:e([+-]?\d+))?$/;
const DURATION = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(ms|s)$/;
const BANDWIDTH = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(bps|kbps|mbps|gbps)$/i;

const BITS_PER_UNIT = { bps: 1, kbps: 1e3, mbps: 1e6, gbps: 1e9 } as const;
type BandwidthUnit = keyof typeof BITS_PER_UNIT;

/** Parses an unsigned decimal, scaled by 10^shift before rounding (shift 3: seconds to ms). */
function decimal(text: string, shift = 0): number | undefined {
  const m = NUMBER.exec(text);
  if (m === null) return undefined;
  const value = Number(`${m[1] as string}e${Number(m[2] ?? '0') + shift}`);
  return Number.isFinite(value) ? value : undefined;
}

/** A non-negative finite number written as an unsigned decimal. */
export function parseNumber(token: string): Result<number, UnitError> {
  const value = decimal(token);
  return value === undefined ? err({ code: 'BAD_NUMBER', token, expected: 'a non-negative decimal number' }) : ok(value);
}

export function parseProbability(token: string): Result<number, UnitError> {
  const value = decimal(token);
  if (value === undefined || value > 1) return err({ code: 'BAD_PROBABILITY', token, expected: 'a probability between 0 and 1' });
  return ok(value);
}

export function parseDurationMs(token: string): Result<number, UnitError> {
  const m = DURATION.exec(token);
  const value = m === null ? undefined : decimal(m[1] as string, m[2] === 's' ? 3 : 0);
  return value === undefined ? err({ code: 'BAD_DURATION', token, expected: 'a duration such as 50ms or 2s' }) : ok(value);
}

/** Bits per second from `10mbps`, `512kbps`, `1gbps`, `800bps`. */
export function parseBandwidthBitsPerSecond(token: string): Result<number, UnitError> {
  const m = BANDWIDTH.exec(token);
  const value = m === null ? undefined : decimal(m[1] as string);
  if (m === null || value === undefined || value === 0) return err({ code: 'BAD_BANDWIDTH', token, expected: 'a positive bandwidth such as 10mbps' });
  return ok(value * BITS_PER_UNIT[(m[2] as string).toLowerCase() as BandwidthUnit]);
}

const checkNumber = (value: number, what: string): void => {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what}: expected a non-negative finite number, got ${value}`);
};

/** Canonical text of a number (`-0` prints as `0`). */
export function formatNumber(value: number): string {
  checkNumber(value, 'formatNumber');
  return String(value);
}

/** Canonical text of a duration: whole seconds as `Ns`, anything else as `Nms`. */
export function formatDurationMs(ms: number): string {
  checkNumber(ms, 'formatDurationMs');
  return ms !== 0 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Canonical text of a bandwidth: the largest SI unit that divides it exactly. */
export function formatBandwidth(bitsPerSecond: number): string {
  checkNumber(bitsPerSecond, 'formatBandwidth');
  for (const unit of ['gbps', 'mbps', 'kbps'] as const) {
    const scaled = bitsPerSecond / BITS_PER_UNIT[unit];
    if (Number.isInteger(scaled) && scaled > 0) return `${scaled}${unit}`;
  }
  return `${bitsPerSecond}bps`;
}
