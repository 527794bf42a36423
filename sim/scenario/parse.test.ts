import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse.ts';
import { formatScenarioError } from './print.ts';
import { SCENARIO_DEFAULTS, type ScenarioError, type ScenarioErrorCode } from './types.ts';

const parsed = (text: string) => {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(r.error.map(formatScenarioError).join('\n'));
  return r.value;
};
const errorsOf = (text: string): readonly ScenarioError[] => {
  const r = parseScenario(text);
  if (r.ok) throw new Error(`expected errors for:\n${text}`);
  return r.error;
};

describe('parseScenario: directives', () => {
  it('fills every default from a one-line scenario, frozen', () => {
    const s = parsed('validators 4');
    expect(s).toEqual({
      validators: 4,
      stake: SCENARIO_DEFAULTS.stake,
      latency: SCENARIO_DEFAULTS.latency,
      loss: 0,
      duplicate: 0,
      drifts: [],
      crypto: 'real',
      tps: 0,
      durationMs: 10_000,
      actions: [],
      expectations: [],
    });
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.actions)).toBe(true);
  });

  it('reads every setting, with comments, blank lines and CRLF', () => {
    const s = parsed(
      [
        '# a comment line',
        'validators 10   # trailing comment',
        '',
        'seed 42',
        'stake zipf 1.2',
        'latency lognormal 50ms 20ms',
        'bandwidth 10mbps',
        'loss 0.01',
        'duplicate 0.02',
        'reorder 0.05 30ms',
        'drift 3 +200ms',
        'drift 1 -5ms +50ppm',
        'crypto modeled',
        'tps 100',
        'duration 10s',
      ].join('\r\n'),
    );
    expect(s).toMatchObject({
      validators: 10,
      seed: 42,
      stake: { kind: 'zipf', exponent: 1.2 },
      latency: { kind: 'distribution', distribution: { kind: 'lognormal', meanMs: 50, stddevMs: 20 } },
      bandwidthBitsPerSecond: 10_000_000,
      loss: 0.01,
      duplicate: 0.02,
      reorder: { probability: 0.05, maxExtraMs: 30 },
      drifts: [
        { node: 1, offsetMs: -5, ratePpm: 50 },
        { node: 3, offsetMs: 200, ratePpm: 0 },
      ],
      crypto: 'modeled',
      tps: 100,
      durationMs: 10_000,
    });
  });

  it('reads stake kinds and latency presets', () => {
    expect(parsed('validators 3\nstake list 1,2,3').stake).toEqual({ kind: 'list', stakes: [1, 2, 3] });
    expect(parsed('validators 3\nstake list 1, 2, 3').stake).toEqual({ kind: 'list', stakes: [1, 2, 3] });
    expect(parsed('validators 3\nstake equal').stake).toEqual({ kind: 'equal' });
    expect(parsed('validators 3\nlatency preset geo').latency).toEqual({ kind: 'preset', preset: 'geo' });
    expect(parsed('validators 3\nlatency preset world').latency).toEqual({ kind: 'preset', preset: 'world' });
    expect(parsed('validators 3\nlatency bimodal 40ms 400ms 0.05').latency).toEqual({
      kind: 'distribution',
      distribution: { kind: 'bimodal', fastMs: 40, slowMs: 400, slowProbability: 0.05 },
    });
  });

  it('reads every timed action, sorted by time with ties in text order', () => {
    const s = parsed(
      [
        'validators 10',
        'at 5s heal',
        'at 2s partition 0-3 | 4-9',
        'at 2s partition 0-3 -> 4-9',
        'at 1s crash 3',
        'at 4s restart 3 keep',
        'at 4.5s crash 3',
        'at 6s restart 3 wipe',
        'at 1s byzantine 7 equivocate',
        'at 1s byzantine 6 withhold 0-3',
        'at 1s byzantine 5 forge',
        'at 1s byzantine 4 delay 200ms',
        'at 1s byzantine 8 spam',
        'at 3s loss 0.2',
        'at 0ms partition 0,2|1',
        'at 7s partition 0,1<->2-3',
      ].join('\n'),
    );
    expect(s.actions.map((a) => a.atMs)).toEqual([0, 1000, 1000, 1000, 1000, 1000, 1000, 2000, 2000, 3000, 4000, 4500, 5000, 6000, 7000]);
    expect(s.actions.map((a) => a.action)).toEqual([
      { kind: 'partition', spec: { kind: 'groups', groups: [[0, 2], [1]] } },
      { kind: 'crash', node: 3 },
      { kind: 'byzantine', node: 7, behaviour: { kind: 'equivocate' } },
      { kind: 'byzantine', node: 6, behaviour: { kind: 'withhold', from: [0, 1, 2, 3] } },
      { kind: 'byzantine', node: 5, behaviour: { kind: 'forge' } },
      { kind: 'byzantine', node: 4, behaviour: { kind: 'delay', delayMs: 200 } },
      { kind: 'byzantine', node: 8, behaviour: { kind: 'spam' } },
      { kind: 'partition', spec: { kind: 'groups', groups: [[0, 1, 2, 3], [4, 5, 6, 7, 8, 9]] } },
      { kind: 'partition', spec: { kind: 'oneWay', from: [0, 1, 2, 3], to: [4, 5, 6, 7, 8, 9] } },
      { kind: 'loss', probability: 0.2 },
      { kind: 'restart', node: 3, store: 'keep' },
      { kind: 'crash', node: 3 },
      { kind: 'heal' },
      { kind: 'restart', node: 3, store: 'wipe' },
      { kind: 'partition', spec: { kind: 'between', a: [0, 1], b: [2, 3] } },
    ]);
  });

  it('reads every expectation; commits without `by` take the duration', () => {
    const s = parsed(
      ['validators 4', 'duration 20s', 'expect safety', 'expect liveness', 'expect commits >= 20 by 10s', 'expect commits == 3', 'expect verdict no-progress', 'expect verdict diverged', 'expect verdict pass', 'expect evidence >= 1', 'expect evidence <= 0'].join('\n'),
    );
    expect(s.expectations).toEqual([
      { kind: 'safety' },
      { kind: 'liveness' },
      { kind: 'commits', op: '>=', count: 20, byMs: 10_000 },
      { kind: 'commits', op: '==', count: 3, byMs: 20_000 },
      { kind: 'verdict', verdict: 'no-progress' },
      { kind: 'verdict', verdict: 'diverged' },
      { kind: 'verdict', verdict: 'pass' },
      { kind: 'evidence', op: '>=', count: 1 },
      { kind: 'evidence', op: '<=', count: 0 },
    ]);
  });

  it('normalizes node sets: sorted, ranges expanded', () => {
    const s = parsed('validators 10\nat 1s byzantine 0 withhold 9,3-5,1');
    expect(s.actions[0]?.action).toEqual({ kind: 'byzantine', node: 0, behaviour: { kind: 'withhold', from: [1, 3, 4, 5, 9] } });
  });
});

/** [text, code, line, column, token] — one row per error kind (the record below forces completeness). */
const ERROR_CASES: Readonly<Record<ScenarioErrorCode, readonly [string, number, number, string]>> = {
  TEXT_TOO_LARGE: ['#'.repeat(1_000_001), 1, 1, ''],
  UNKNOWN_DIRECTIVE: ['validators 4\nvalidator 5', 2, 1, 'validator'],
  UNKNOWN_KEYWORD: ['validators 4\ncrypto fast', 2, 8, 'fast'],
  MISSING_ARGUMENT: ['validators 4\nat 1s crash', 2, 13, ''],
  TRAILING_TOKEN: ['validators 4 5', 1, 14, '5'],
  BAD_INTEGER: ['validators four', 1, 12, 'four'],
  BAD_NODE_SET: ['validators 4\nat 1s partition 3-1 | 0', 2, 17, '3-1'],
  DUPLICATE_NODE: ['validators 4\nat 1s byzantine 0 withhold 1,1', 2, 28, '1,1'],
  OUT_OF_RANGE: ['validators 0', 1, 12, '0'],
  DUPLICATE_DIRECTIVE: ['validators 4\nseed 1\nseed 2', 3, 1, 'seed'],
  MISSING_DIRECTIVE: ['seed 1', 1, 1, ''],
  NODE_OUT_OF_RANGE: ['validators 4\nat 1s crash 4', 2, 13, '4'],
  TIME_OUT_OF_RANGE: ['validators 4\nduration 5s\nat 5s heal', 3, 4, '5s'],
  STAKE_COUNT_MISMATCH: ['validators 4\nstake list 1,2,3', 2, 12, '1,2,3'],
  OVERLAPPING_GROUPS: ['validators 4\nat 1s partition 0-1 | 1-3', 2, 23, '1-3'],
  BAD_SEQUENCE: ['validators 4\nat 1s restart 2 keep', 2, 15, '2'],
  BAD_NUMBER: ['validators 4\nstake zipf x', 2, 12, 'x'],
  BAD_DURATION: ['validators 4\nduration 10', 2, 10, '10'],
  BAD_BANDWIDTH: ['validators 4\nbandwidth 10MB', 2, 11, '10MB'],
  BAD_PROBABILITY: ['validators 4\nloss 2', 2, 6, '2'],
  UNKNOWN_LATENCY_KIND: ['validators 4\nlatency normal 5ms', 2, 9, 'normal'],
  LATENCY_ARITY: ['validators 4\nlatency constant 5ms 6ms', 2, 22, '6ms'],
  LATENCY_RANGE: ['validators 4\nlatency uniform 8ms 2ms', 2, 21, '2ms'],
};

describe('parseScenario: errors', () => {
  for (const [code, [text, line, column, token]] of Object.entries(ERROR_CASES)) {
    it(`reports ${code} with its position and what was expected`, () => {
      const [first] = errorsOf(text);
      expect(first).toMatchObject({ code, line, column, token });
      expect(first?.expected.length).toBeGreaterThan(0);
    });
  }

  it('reports every bad line at once, never throwing', () => {
    const errors = errorsOf('validators 4\nat 1x heal\nfoo\nloss 7\n');
    expect(errors.map((e) => [e.code, e.line])).toEqual([
      ['BAD_DURATION', 2],
      ['UNKNOWN_DIRECTIVE', 3],
      ['BAD_PROBABILITY', 4],
    ]);
  });

  it('checks the script in time order and every cross-line rule', () => {
    expect(errorsOf('validators 4\nat 2s crash 1\nat 1s crash 1\nat 3s crash 1').map((e) => [e.code, e.line])).toEqual([
      ['BAD_SEQUENCE', 2],
      ['BAD_SEQUENCE', 4],
    ]);
    expect(errorsOf('validators 4\ndrift 1 +1ms\ndrift 1 -1ms').map((e) => [e.code, e.line])).toEqual([['DUPLICATE_DIRECTIVE', 3]]);
    expect(errorsOf('validators 4\nduration 5s\nexpect commits >= 1 by 6s').map((e) => e.code)).toEqual(['TIME_OUT_OF_RANGE']);
    expect(errorsOf('validators 4\nat 1s byzantine 0 withhold 0-4').map((e) => e.code)).toEqual(['NODE_OUT_OF_RANGE']);
    expect(errorsOf('validators 4\nat 1s partition 0 -> 0').map((e) => e.code)).toEqual(['OVERLAPPING_GROUPS']);
    expect(errorsOf('validators 4\nat 1s partition 0 | | 1').map((e) => [e.code, e.column])).toEqual([['BAD_NODE_SET', 21]]);
    expect(errorsOf('validators 4\nat 1s partition 0 -> 1 -> 2').map((e) => e.code)).toEqual(['TRAILING_TOKEN']);
    expect(errorsOf('validators 4\nat 1s partition 0 <-> 1 | 2').map((e) => e.code)).toEqual(['TRAILING_TOKEN']);
    expect(errorsOf('validators 4\nat 1s partition 0-1 <-> 1').map((e) => e.code)).toEqual(['OVERLAPPING_GROUPS']);
    expect(errorsOf('validators 4\nexpect commits >= 1 after 2s').map((e) => e.code)).toEqual(['UNKNOWN_KEYWORD']);
    expect(errorsOf('validators 4\ndrift 1 +1ms 5').map((e) => e.code)).toEqual(['BAD_NUMBER']);
    expect(errorsOf('validators 4\ndrift 1 +1ms +2000000ppm').map((e) => e.code)).toEqual(['OUT_OF_RANGE']);
    expect(errorsOf('validators 4\nduration 0s').map((e) => e.code)).toEqual(['OUT_OF_RANGE']);
    expect(errorsOf('validators 4\nseed 4294967296').map((e) => e.code)).toEqual(['OUT_OF_RANGE']);
    expect(errorsOf('validators 4\nat 1s partition 0-99999').map((e) => e.code)).toEqual(['BAD_NODE_SET']);
  });

  it('refuses a non-string as a bug', () => {
    expect(() => parseScenario(42 as unknown as string)).toThrow(TypeError);
  });
});
