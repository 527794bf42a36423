/**
 * Parsers of the setting directives: validators, seed, stake, latency, bandwidth, loss,
 * duplicate, reorder, drift, crypto, tps, duration. Each reads the tokens after the directive
 * word and returns a value, or a positioned error.
 */
import { err, ok } from '../../core/result.ts';
import { parseLatencyTokens } from '../network/latency.ts';
import { PRESET_NAMES, type PresetName } from '../network/presets.ts';
import { parseBandwidthBitsPerSecond, parseDurationMs, parseNumber, parseProbability } from '../network/units.ts';
import type { ReorderSpec } from '../network/links.ts';
import { takeInteger, takeKeyword, takeValue, type Cursor, type Parsed } from './_cursor.ts';
import type { Token } from './_lexer.ts';
import { parsePpm, parseSignedDurationMs } from './_values.ts';
import { CRYPTO_MODES, SCENARIO_LIMITS as L, type CryptoMode, type DriftSpec, type LatencySpec, type StakeSpec } from './types.ts';

/** A value with the token to blame if a later cross-check fails. */
export type Located<T> = { readonly value: T; readonly token: Token };

/** A units value that must also lie in [min, max] (`range` says so in words; default `min..max`). */
function takeBounded(cursor: Cursor, expected: string, convert: Parameters<typeof takeValue<number>>[2], min: number, max: number, range = `${min}..${max}`): Parsed<number> {
  const token = cursor.peek();
  const value = takeValue(cursor, expected, convert);
  if (!value.ok || token === undefined) return value;
  return value.value >= min && value.value <= max ? value : err(cursor.errorAt('OUT_OF_RANGE', token, `${expected} in ${range}`));
}

export function parseValidators(c: Cursor): Parsed<number> {
  const n = takeInteger(c, 'a validator count', 1, L.maxValidators);
  return n.ok ? ok(n.value.value) : n;
}

export function parseSeed(c: Cursor): Parsed<number> {
  const n = takeInteger(c, 'a seed (unsigned 32-bit integer)', 0, 0xffff_ffff);
  return n.ok ? ok(n.value.value) : n;
}

export function parseStake(c: Cursor): Parsed<Located<StakeSpec>> {
  const at = c.peek() as Token; // defined whenever takeKeyword succeeds
  const kind = takeKeyword(c, ['equal', 'zipf', 'list'] as const);
  if (!kind.ok) return kind;
  if (kind.value === 'equal') return ok({ value: { kind: 'equal' }, token: at });
  if (kind.value === 'zipf') {
    const exponent = takeBounded(c, 'a zipf exponent', parseNumber, Number.MIN_VALUE, L.maxZipfExponent, `(0, ${L.maxZipfExponent}]`);
    return exponent.ok ? ok({ value: { kind: 'zipf', exponent: exponent.value }, token: at }) : exponent;
  }
  const tokens = c.takeUntil([]);
  const first = tokens[0];
  const expected = 'positive integer stakes such as 1,2,3';
  if (first === undefined) return err(c.missing(expected));
  const anchor: Token = { text: tokens.map((t) => t.text).join(''), line: first.line, column: first.column };
  const stakes = anchor.text.split(',').map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  if (!stakes.every((s) => Number.isSafeInteger(s) && s > 0) || stakes.length > L.maxValidators) return err(c.errorAt('BAD_INTEGER', anchor, expected));
  return ok({ value: { kind: 'list', stakes: Object.freeze(stakes) }, token: anchor });
}

export function parseLatencySpec(c: Cursor): Parsed<LatencySpec> {
  const tokens = c.takeUntil([]);
  const first = tokens[0];
  if (first === undefined) return err(c.missing('preset geo|world, or a distribution such as lognormal 50ms 20ms'));
  if (first.text === 'preset') {
    const sub = tokens.slice(1);
    const name = sub[0];
    if (name === undefined) return err(c.missing(`one of ${PRESET_NAMES.join(', ')}`));
    if (!(PRESET_NAMES as readonly string[]).includes(name.text)) return err(c.errorAt('UNKNOWN_KEYWORD', name, `one of ${PRESET_NAMES.join(', ')}`));
    const extra = sub[1];
    if (extra !== undefined) return err(c.errorAt('TRAILING_TOKEN', extra, 'the end of the line'));
    return ok({ kind: 'preset', preset: name.text as PresetName });
  }
  const parsed = parseLatencyTokens(tokens.map((t) => t.text));
  if (parsed.ok) return ok({ kind: 'distribution', distribution: parsed.value });
  const token = tokens[parsed.error.tokenIndex];
  const expected = parsed.error.code === 'UNKNOWN_LATENCY_KIND' ? `preset, or ${parsed.error.expected}` : parsed.error.expected;
  return err(token === undefined ? c.missing(expected) : c.errorAt(parsed.error.code, token, expected));
}

export function parseBandwidth(c: Cursor): Parsed<number> {
  return takeBounded(c, 'a bandwidth such as 10mbps', parseBandwidthBitsPerSecond, 1, L.maxBandwidthBitsPerSecond, '1bps..1000gbps');
}

export function parseProbabilityArgument(c: Cursor): Parsed<number> {
  return takeValue(c, 'a probability between 0 and 1', parseProbability);
}

export function parseReorder(c: Cursor): Parsed<ReorderSpec> {
  const probability = takeValue(c, 'a probability between 0 and 1', parseProbability);
  if (!probability.ok) return probability;
  const maxExtraMs = takeBounded(c, 'the largest extra delay, such as 30ms', parseDurationMs, 0, L.maxDurationMs);
  return maxExtraMs.ok ? ok({ probability: probability.value, maxExtraMs: maxExtraMs.value }) : maxExtraMs;
}

export function parseDrift(c: Cursor): Parsed<{ readonly drift: DriftSpec; readonly nodeToken: Token }> {
  const node = takeInteger(c, 'a validator index', 0, L.maxValidators - 1);
  if (!node.ok) return node;
  const offsetMs = takeBounded(c, 'a clock offset such as +200ms', parseSignedDurationMs, -L.maxDurationMs, L.maxDurationMs);
  if (!offsetMs.ok) return offsetMs;
  let ratePpm = 0;
  if (c.peek() !== undefined) {
    const rate = takeBounded(c, 'a clock rate such as +50ppm', parsePpm, -L.maxDriftPpm, L.maxDriftPpm);
    if (!rate.ok) return rate;
    ratePpm = rate.value;
  }
  return ok({ drift: { node: node.value.value, offsetMs: offsetMs.value, ratePpm }, nodeToken: node.value.token });
}

export function parseCrypto(c: Cursor): Parsed<CryptoMode> {
  return takeKeyword(c, CRYPTO_MODES);
}

export function parseTps(c: Cursor): Parsed<number> {
  return takeBounded(c, 'transactions per second', parseNumber, 0, L.maxTps);
}

export function parseDuration(c: Cursor): Parsed<number> {
  return takeBounded(c, 'a run duration such as 10s', parseDurationMs, Number.MIN_VALUE, L.maxDurationMs, `(0, ${L.maxDurationMs / 3_600_000} h]`);
}
