import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LatencyDistribution } from '../network/latency.ts';
import { parseScenario } from './parse.ts';
import { formatScenarioError, printScenario } from './print.ts';
import { formatNodeSet } from './_values.ts';
import { SCENARIO_LIMITS, type Expectation, type NodeSet, type Scenario, type ScenarioAction, type TimedAction } from './types.ts';

const plus0 = (x: number): number => (Object.is(x, -0) ? 0 : x);
/** Durations as people write them and as arithmetic produces them. */
const ms = (max: number): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min: 0, max: Math.floor(max) }), fc.double({ min: 0, max, noNaN: true }).map(plus0));
const probability = fc.double({ min: 0, max: 1, noNaN: true }).map(plus0);
const positive = (max: number): fc.Arbitrary<number> => fc.oneof(fc.integer({ min: 1, max }), fc.double({ min: 1e-3, max, noNaN: true }));

const latencyDistribution: fc.Arbitrary<LatencyDistribution> = fc.oneof(
  ms(1e4).map((valueMs) => ({ kind: 'constant', valueMs }) as const),
  fc.tuple(ms(1e4), ms(1e4)).map(([a, b]) => ({ kind: 'uniform', minMs: Math.min(a, b), maxMs: Math.max(a, b) }) as const),
  fc.tuple(ms(1e4), ms(1e4)).map(([meanMs, stddevMs]) => ({ kind: 'lognormal', meanMs, stddevMs }) as const),
  fc.tuple(ms(1e4), ms(1e4), probability).map(([fastMs, slowMs, slowProbability]) => ({ kind: 'bimodal', fastMs, slowMs, slowProbability }) as const),
);

/** `k` disjoint non-empty node sets drawn from 0..n−1 (or fewer when n is small). */
const disjointSets = (n: number, k: number): fc.Arbitrary<NodeSet[]> =>
  fc.array(fc.integer({ min: -1, max: k - 1 }), { minLength: n, maxLength: n }).map((owner) =>
    Array.from({ length: k }, (_, g) => owner.flatMap((o, node) => (o === g ? [node] : []))).filter((set) => set.length > 0),
  );

const nonEmptySubset = (n: number): fc.Arbitrary<NodeSet> =>
  fc.subarray(Array.from({ length: n }, (_, i) => i), { minLength: 1 });

function simpleAction(n: number): fc.Arbitrary<ScenarioAction> {
  const node = fc.integer({ min: 0, max: n - 1 });
  return fc.oneof(
    fc.integer({ min: 1, max: 4 }).chain((k) => disjointSets(n, k)).filter((g) => g.length > 0).map((groups) => ({ kind: 'partition', spec: { kind: 'groups', groups } }) as const),
    disjointSets(n, 2).filter((g) => g.length === 2).map(([from, to]) => ({ kind: 'partition', spec: { kind: 'oneWay', from: from as NodeSet, to: to as NodeSet } }) as const),
    disjointSets(n, 2).filter((g) => g.length === 2).map(([a, b]) => ({ kind: 'partition', spec: { kind: 'between', a: a as NodeSet, b: b as NodeSet } }) as const),
    fc.constant({ kind: 'heal' } as const),
    fc.tuple(node, probability).map(([, p]) => ({ kind: 'loss', probability: p }) as const),
    fc.tuple(
      node,
      fc.oneof(
        fc.constantFrom({ kind: 'equivocate' } as const, { kind: 'forge' } as const, { kind: 'spam' } as const),
        nonEmptySubset(n).map((from) => ({ kind: 'withhold', from }) as const),
        ms(5000).map((delayMs) => ({ kind: 'delay', delayMs }) as const),
      ),
    ).map(([v, behaviour]) => ({ kind: 'byzantine', node: v, behaviour }) as const),
  );
}

/** Crash/restart pairs, one per chosen node, restart strictly after crash: always a valid script. */
function crashes(n: number, durationMs: number): fc.Arbitrary<TimedAction[]> {
  return fc
    .array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), ms(durationMs), ms(durationMs), fc.constantFrom('keep', 'wipe', 'none')), { maxLength: 3 })
    .map((rows) => {
      const seen = new Set<number>();
      const out: TimedAction[] = [];
      for (const [node, a, b, store] of rows) {
        const [t1, t2] = [Math.min(a, b), Math.max(a, b)];
        if (seen.has(node) || t1 >= durationMs) continue;
        seen.add(node);
        out.push({ atMs: t1, action: { kind: 'crash', node } });
        if (store !== 'none' && t2 > t1 && t2 < durationMs) out.push({ atMs: t2, action: { kind: 'restart', node, store } });
      }
      return out;
    });
}

function expectation(durationMs: number): fc.Arbitrary<Expectation> {
  const op = fc.constantFrom('>=', '<=', '==') as fc.Arbitrary<'>=' | '<=' | '=='>;
  const count = fc.integer({ min: 0, max: SCENARIO_LIMITS.maxExpectedCount });
  return fc.oneof(
    fc.constantFrom({ kind: 'safety' } as const, { kind: 'liveness' } as const),
    fc.constantFrom('pass', 'no-progress', 'diverged').map((verdict) => ({ kind: 'verdict', verdict }) as const),
    fc.tuple(op, count).map(([o, c]) => ({ kind: 'evidence', op: o, count: c }) as const),
    fc.tuple(op, count, ms(durationMs)).map(([o, c, byMs]) => ({ kind: 'commits', op: o, count: c, byMs: Math.min(byMs, durationMs) }) as const),
  );
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({ validators: fc.integer({ min: 2, max: 12 }), durationMs: positive(SCENARIO_LIMITS.maxDurationMs) })
  .chain(({ validators: n, durationMs }) =>
    fc
      .record(
        {
          seed: fc.integer({ min: 0, max: 0xffff_ffff }),
          stake: fc.oneof(
            fc.constant({ kind: 'equal' } as const),
            fc.double({ min: 1e-3, max: SCENARIO_LIMITS.maxZipfExponent, noNaN: true }).map((exponent) => ({ kind: 'zipf', exponent }) as const),
            fc.array(fc.integer({ min: 1, max: 1e9 }), { minLength: n, maxLength: n }).map((stakes) => ({ kind: 'list', stakes }) as const),
          ),
          latency: fc.oneof(
            fc.constantFrom('geo', 'world').map((preset) => ({ kind: 'preset', preset }) as const),
            latencyDistribution.map((distribution) => ({ kind: 'distribution', distribution }) as const),
          ),
          bandwidthBitsPerSecond: fc.oneof(fc.integer({ min: 1, max: 1e9 }).map((mbps) => mbps * 1000), fc.double({ min: 1, max: SCENARIO_LIMITS.maxBandwidthBitsPerSecond, noNaN: true })),
          loss: probability,
          duplicate: probability,
          reorder: fc.record({ probability, maxExtraMs: ms(1000) }),
          drifts: fc.uniqueArray(
            fc.record({
              node: fc.integer({ min: 0, max: n - 1 }),
              offsetMs: fc.double({ min: -1e5, max: 1e5, noNaN: true }).map(plus0),
              ratePpm: fc.oneof(fc.constant(0), fc.integer({ min: -SCENARIO_LIMITS.maxDriftPpm, max: SCENARIO_LIMITS.maxDriftPpm }).map(plus0)),
            }),
            { selector: (d) => d.node, maxLength: 3 },
          ),
          crypto: fc.constantFrom('real', 'modeled'),
          tps: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: SCENARIO_LIMITS.maxTps, noNaN: true }).map(plus0)),
          simple: fc.array(fc.tuple(ms(durationMs), simpleAction(n)), { maxLength: 6 }),
          crashes: crashes(n, durationMs),
          expectations: fc.array(expectation(durationMs), { maxLength: 5 }),
        },
        { requiredKeys: ['stake', 'latency', 'loss', 'duplicate', 'drifts', 'crypto', 'tps', 'simple', 'crashes', 'expectations'] },
      )
      .map(({ simple, crashes: crashActions, drifts, ...rest }) => ({
        validators: n,
        durationMs,
        ...rest,
        drifts: [...drifts].sort((a, b) => a.node - b.node),
        actions: [...simple.filter(([t]) => t < durationMs).map(([atMs, action]) => ({ atMs, action })), ...crashActions].sort((a, b) => a.atMs - b.atMs),
        expectations: rest.expectations,
      })),
  );

describe('printScenario', () => {
  it('round-trips: parse(print(s)) equals s (property)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const text = printScenario(s);
        const back = parseScenario(text);
        if (!back.ok) throw new Error(`${text}\n${back.error.map(formatScenarioError).join('\n')}`);
        expect(back.value).toEqual(s);
        expect(printScenario(back.value)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('prints the canonical form', () => {
    const r = parseScenario('validators 4\nat 1.5s partition 0-1|2,3\nseed 7\nexpect commits >= 2\ndrift 2 -0ms');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(printScenario(r.value)).toBe(
      [
        'validators 4',
        'seed 7',
        'stake equal',
        'latency constant 50ms',
        'loss 0',
        'duplicate 0',
        'drift 2 +0ms',
        'crypto real',
        'tps 0',
        'duration 10s',
        'at 1500ms partition 0,1 | 2,3',
        'expect commits >= 2 by 10s',
        '',
      ].join('\n'),
    );
  });

  it('formats node sets with ranges for runs of three or more', () => {
    expect(formatNodeSet([0, 1, 2, 3, 5, 7, 8])).toBe('0-3,5,7,8');
    expect(formatNodeSet([4])).toBe('4');
  });

  it('formats errors for people', () => {
    const r = parseScenario('validators 4\nloss 2');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatScenarioError(r.error[0] as never)).toBe('line 2, column 6: expected a probability between 0 and 1, got "2" (BAD_PROBABILITY)');
  });
});
