/**
 * Scenario values beyond the shared units: node sets (`0-3,7`), signed durations (`+200ms`)
 * and clock rates (`-50ppm`), with their canonical printers.
 */
import { err, ok, type Result } from '../../core/result.ts';
import { formatDurationMs, formatNumber, parseDurationMs, parseNumber, type UnitError } from '../network/units.ts';
import type { Cursor, Parsed } from './_cursor.ts';
import type { Token } from './_lexer.ts';
import { SCENARIO_LIMITS, type NodeSet } from './types.ts';

const NODE_SET_EXPECTED = 'a node set such as 3, 0-3 or 0-3,7';
const NODE_ITEM = /^(\d+)(?:-(\d+))?$/;

/** A node set spelled over `tokens` (joined, so `0, 1` works); sorted, duplicates refused. */
export function parseNodeSet(cursor: Cursor, tokens: readonly Token[]): Parsed<NodeSet> {
  const first = tokens[0];
  if (first === undefined) {
    // Nothing before a `|` or `->`: point at it; nothing at all: the line ended early.
    const next = cursor.peek();
    return err(next === undefined ? cursor.missing(NODE_SET_EXPECTED) : cursor.errorAt('BAD_NODE_SET', next, NODE_SET_EXPECTED));
  }
  const text = tokens.map((t) => t.text).join('');
  const anchor: Token = { text, line: first.line, column: first.column };
  const nodes: number[] = [];
  for (const item of text.split(',')) {
    const m = NODE_ITEM.exec(item);
    const lo = m === null ? NaN : Number(m[1]);
    const hi = m === null ? NaN : m[2] === undefined ? lo : Number(m[2]);
    // Bound the expansion: no valid node exceeds the validator limit.
    if (!(lo <= hi) || hi >= SCENARIO_LIMITS.maxValidators) return err(cursor.errorAt('BAD_NODE_SET', anchor, NODE_SET_EXPECTED));
    for (let n = lo; n <= hi; n++) nodes.push(n);
  }
  nodes.sort((a, b) => a - b);
  for (let i = 1; i < nodes.length; i++) {
    if (nodes[i] === nodes[i - 1]) return err(cursor.errorAt('DUPLICATE_NODE', anchor, `each node once (node ${nodes[i] as number} is repeated)`));
  }
  return ok(Object.freeze(nodes));
}

/** Canonical text of a node set: runs of 3 or more as `a-b`, else single numbers, comma-joined. */
export function formatNodeSet(nodes: NodeSet): string {
  const parts: string[] = [];
  for (let i = 0; i < nodes.length; ) {
    let j = i;
    while (j + 1 < nodes.length && nodes[j + 1] === (nodes[j] as number) + 1) j++;
    if (j - i >= 2) parts.push(`${nodes[i] as number}-${nodes[j] as number}`);
    else for (let k = i; k <= j; k++) parts.push(String(nodes[k]));
    i = j + 1;
  }
  return parts.join(',');
}

const signed = (text: string): { negative: boolean; rest: string } =>
  text.startsWith('-') || text.startsWith('+') ? { negative: text.startsWith('-'), rest: text.slice(1) } : { negative: false, rest: text };

/** `+200ms`, `-1.5s`, `200ms`; −0 becomes 0. */
export function parseSignedDurationMs(text: string): Result<number, UnitError> {
  const { negative, rest } = signed(text);
  const value = parseDurationMs(rest);
  if (!value.ok) return err({ ...value.error, token: text, expected: 'a signed duration such as +200ms or -1s' });
  return ok(negative && value.value !== 0 ? -value.value : value.value);
}

/** `+50ppm`, `-20ppm`, `10ppm`; −0 becomes 0. */
export function parsePpm(text: string): Result<number, UnitError> {
  const { negative, rest } = signed(text);
  const value = rest.endsWith('ppm') ? parseNumber(rest.slice(0, -3)) : undefined;
  if (value === undefined || !value.ok) return err({ code: 'BAD_NUMBER', token: text, expected: 'a clock rate such as +50ppm' });
  return ok(negative && value.value !== 0 ? -value.value : value.value);
}

export const formatSignedDurationMs = (ms: number): string => (ms < 0 ? `-${formatDurationMs(-ms)}` : `+${formatDurationMs(ms)}`);
export const formatPpm = (ppm: number): string => (ppm < 0 ? `-${formatNumber(-ppm)}ppm` : `+${formatNumber(ppm)}ppm`);
