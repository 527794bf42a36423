/**
 * The scenario parser: text in, a frozen complete `Scenario` or every error found out.
 *
 * Two passes. The first reads each line on its own (syntax, value ranges, node-set shape); if
 * any line is wrong, those errors are returned. The second checks what needs the whole file:
 * `validators` present, node indices below it, action times before `duration` (an expectation's
 * `by` at or before it), one stake per validator, one drift per node, and a crash/restart
 * script that makes sense (restart only a crashed node, crash only a running one).
 * Never throws on user text: every problem is a `ScenarioError` with line, column, token and
 * what was expected (HOUSE-RULES 8).
 */
import { err, ok, type Result } from '../../core/result.ts';
import type { ReorderSpec } from '../network/links.ts';
import { createCursor, type Cursor, type Parsed } from './_cursor.ts';
import { deepFreeze } from './_freeze.ts';
import { tokenize, type Token } from './_lexer.ts';
import * as settings from './_settings.ts';
import { parseAt, parseExpect, type ParsedAction, type ParsedExpectation } from './_timeline.ts';
import { SCENARIO_DEFAULTS, SCENARIO_LIMITS, type DriftSpec, type Scenario, type ScenarioError } from './types.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Draft = Mutable<Partial<Scenario>>;

type Collected = {
  readonly draft: Draft;
  stakeToken: Token | undefined;
  readonly drifts: { readonly drift: DriftSpec; readonly nodeToken: Token }[];
  readonly actions: { readonly parsed: ParsedAction }[];
  readonly expectations: ParsedExpectation[];
};

type Setter = (c: Cursor, into: Collected) => Parsed<undefined>;
const set = <T>(parse: (c: Cursor) => Parsed<T>, apply: (into: Collected, value: T) => void): Setter => (c, into) => {
  const value = parse(c);
  if (!value.ok) return value;
  apply(into, value.value);
  return ok(undefined);
};

/** Directives that may appear once each. */
const SETTINGS: Readonly<Record<string, Setter>> = {
  validators: set(settings.parseValidators, (i, v) => (i.draft.validators = v)),
  seed: set(settings.parseSeed, (i, v) => (i.draft.seed = v)),
  stake: set(settings.parseStake, (i, v) => {
    i.draft.stake = v.value;
    i.stakeToken = v.token;
  }),
  latency: set(settings.parseLatencySpec, (i, v) => (i.draft.latency = v)),
  bandwidth: set(settings.parseBandwidth, (i, v) => (i.draft.bandwidthBitsPerSecond = v)),
  loss: set(settings.parseProbabilityArgument, (i, v) => (i.draft.loss = v)),
  duplicate: set(settings.parseProbabilityArgument, (i, v) => (i.draft.duplicate = v)),
  reorder: set(settings.parseReorder, (i, v: ReorderSpec) => (i.draft.reorder = v)),
  crypto: set(settings.parseCrypto, (i, v) => (i.draft.crypto = v)),
  tps: set(settings.parseTps, (i, v) => (i.draft.tps = v)),
  duration: set(settings.parseDuration, (i, v) => (i.draft.durationMs = v)),
};
/** Directives that may repeat. */
const REPEATABLE: Readonly<Record<string, Setter>> = {
  drift: set(settings.parseDrift, (i, v) => i.drifts.push(v)),
  expect: set(parseExpect, (i, v) => i.expectations.push(v)),
};
const DIRECTIVES = [...Object.keys(SETTINGS), ...Object.keys(REPEATABLE), 'at'].join(', ');

function readLines(text: string): Result<Collected, ScenarioError[]> {
  const into: Collected = { draft: {}, stakeToken: undefined, drifts: [], actions: [], expectations: [] };
  const errors: ScenarioError[] = [];
  const seen = new Set<string>();
  for (const tokenLine of tokenize(text)) {
    const keyword = tokenLine.tokens[0];
    if (keyword === undefined) continue;
    const c = createCursor(tokenLine, 1);
    const name = keyword.text;
    let result: Parsed<undefined>;
    if (name === 'at') {
      const parsed = parseAt(c);
      result = parsed.ok ? ok(undefined) : parsed;
      if (parsed.ok) into.actions.push({ parsed: parsed.value });
    } else if (Object.hasOwn(SETTINGS, name)) {
      if (seen.has(name)) {
        errors.push(c.errorAt('DUPLICATE_DIRECTIVE', keyword, `one \`${name}\` line`));
        continue;
      }
      seen.add(name);
      result = (SETTINGS[name] as Setter)(c, into);
    } else if (Object.hasOwn(REPEATABLE, name)) {
      result = (REPEATABLE[name] as Setter)(c, into);
    } else {
      errors.push(c.errorAt('UNKNOWN_DIRECTIVE', keyword, `a directive: ${DIRECTIVES}`));
      continue;
    }
    const ended = result.ok ? c.end() : result;
    if (!ended.ok) errors.push(ended.error);
  }
  return errors.length > 0 ? err(errors) : ok(into);
}

const positioned = (code: ScenarioError['code'], token: Token, expected: string): ScenarioError => ({ code, line: token.line, column: token.column, token: token.text, expected });

/** Cross-line checks; returns the errors found (none: the scenario is consistent). */
function crossCheck(into: Collected, validators: number, durationMs: number): ScenarioError[] {
  const errors: ScenarioError[] = [];
  const node = (n: number, token: Token): void => {
    if (n >= validators) errors.push(positioned('NODE_OUT_OF_RANGE', token, `a validator index below ${validators}`));
  };
  const stake = into.draft.stake;
  if (stake?.kind === 'list' && stake.stakes.length !== validators && into.stakeToken !== undefined) {
    errors.push(positioned('STAKE_COUNT_MISMATCH', into.stakeToken, `${validators} stakes, one per validator (got ${stake.stakes.length})`));
  }
  const drifted = new Set<number>();
  for (const { drift, nodeToken } of into.drifts) {
    node(drift.node, nodeToken);
    if (drifted.has(drift.node)) errors.push(positioned('DUPLICATE_DIRECTIVE', nodeToken, `one drift line per validator (validator ${drift.node} has two)`));
    drifted.add(drift.node);
  }
  for (const { parsed } of into.actions) {
    for (const n of parsed.nodes) node(n.value, n.token);
    if (parsed.atMs.value >= durationMs) errors.push(positioned('TIME_OUT_OF_RANGE', parsed.atMs.token, `a time before the duration (${durationMs} ms)`));
  }
  for (const { byMs } of into.expectations) {
    if (byMs !== undefined && byMs.value > durationMs) errors.push(positioned('TIME_OUT_OF_RANGE', byMs.token, `a time at or before the duration (${durationMs} ms)`));
  }
  return errors;
}

/** Crash and restart in time order: restart only a crashed validator, crash only a running one. */
function sequenceCheck(actions: Collected['actions']): ScenarioError[] {
  const errors: ScenarioError[] = [];
  const crashed = new Set<number>();
  for (const { parsed } of actions) {
    const { action } = parsed;
    const token = parsed.nodes[0]?.token;
    if (token === undefined || (action.kind !== 'crash' && action.kind !== 'restart')) continue;
    if (action.kind === 'crash' && crashed.has(action.node)) errors.push(positioned('BAD_SEQUENCE', token, `a running validator (${action.node} is already crashed)`));
    if (action.kind === 'restart' && !crashed.has(action.node)) errors.push(positioned('BAD_SEQUENCE', token, `a crashed validator (${action.node} is running)`));
    if (action.kind === 'crash') crashed.add(action.node);
    else crashed.delete(action.node);
  }
  return errors;
}

/** The complete scenario: written values, else the defaults; actions already in time order. */
function build(into: Collected, validators: number, durationMs: number): Scenario {
  const d = into.draft;
  return {
    validators,
    ...(d.seed === undefined ? {} : { seed: d.seed }),
    stake: d.stake ?? SCENARIO_DEFAULTS.stake,
    latency: d.latency ?? SCENARIO_DEFAULTS.latency,
    ...(d.bandwidthBitsPerSecond === undefined ? {} : { bandwidthBitsPerSecond: d.bandwidthBitsPerSecond }),
    loss: d.loss ?? SCENARIO_DEFAULTS.loss,
    duplicate: d.duplicate ?? SCENARIO_DEFAULTS.duplicate,
    ...(d.reorder === undefined ? {} : { reorder: d.reorder }),
    drifts: into.drifts.map((x) => x.drift).sort((a, b) => a.node - b.node),
    crypto: d.crypto ?? SCENARIO_DEFAULTS.crypto,
    tps: d.tps ?? SCENARIO_DEFAULTS.tps,
    durationMs,
    actions: into.actions.map(({ parsed }) => ({ atMs: parsed.atMs.value, action: parsed.action })),
    expectations: into.expectations.map(({ expectation, byMs }) => (expectation.kind === 'commits' && byMs === undefined ? { ...expectation, byMs: durationMs } : expectation)),
  };
}

/** Parses scenario text; see types.ts for the language and its defaults. */
export function parseScenario(text: string): Result<Scenario, readonly ScenarioError[]> {
  if (typeof text !== 'string') throw new TypeError('parseScenario: text must be a string');
  const tooLarge = (expected: string): Result<Scenario, readonly ScenarioError[]> => err([{ code: 'TEXT_TOO_LARGE', line: 1, column: 1, token: '', expected }]);
  if (text.length > SCENARIO_LIMITS.maxTextChars) return tooLarge(`at most ${SCENARIO_LIMITS.maxTextChars} characters`);
  if (text.split('\n').length > SCENARIO_LIMITS.maxLines) return tooLarge(`at most ${SCENARIO_LIMITS.maxLines} lines`);
  const read = readLines(text);
  if (!read.ok) return read;
  const into = read.value;
  const { validators } = into.draft;
  if (validators === undefined) return err([{ code: 'MISSING_DIRECTIVE', line: 1, column: 1, token: '', expected: 'a `validators N` line' }]);
  const durationMs = into.draft.durationMs ?? SCENARIO_DEFAULTS.durationMs;
  // Stable sort by time: ties keep the order of the text.
  into.actions.sort((a, b) => a.parsed.atMs.value - b.parsed.atMs.value);
  const errors = [...crossCheck(into, validators, durationMs), ...sequenceCheck(into.actions)];
  if (errors.length > 0) return err(errors);
  return ok(deepFreeze(build(into, validators, durationMs)));
}
