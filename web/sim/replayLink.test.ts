// Replay links: encode then decode gives back the run; damaged links are typed errors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TimedAction } from '../../sim/scenario/index.ts';
import { BANDWIDTH_CHOICES, LATENCY_PRESETS, RUN_LIMITS, type RunConfig } from './config.ts';
import { decodeReplayFragment, encodeReplayFragment } from './replayLink.ts';

const configArb: fc.Arbitrary<RunConfig> = fc.record({
  validators: fc.integer({ min: 2, max: RUN_LIMITS.maxValidators }),
  stake: fc.constantFrom('equal' as const, 'zipf' as const),
  latency: fc.constantFrom(...LATENCY_PRESETS),
  loss: fc.constantFrom(0, 0.01, 0.05, 0.25, 0.5),
  bandwidthBitsPerSecond: fc.constantFrom(...BANDWIDTH_CHOICES.map((c) => c.bitsPerSecond)),
  tps: fc.integer({ min: 0, max: RUN_LIMITS.maxTps }),
  crypto: fc.constantFrom('real' as const, 'modeled' as const),
  seed: fc.integer({ min: 0, max: RUN_LIMITS.maxSeed }),
});

/** A script the scenario language accepts: crash then restart of one node, Byzantine others, partitions and heals. */
const scriptArb = (validators: number): fc.Arbitrary<TimedAction[]> =>
  fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 6 }).map((times) => {
    const sorted = [...times].sort((a, b) => a - b);
    return sorted.map((atMs, i): TimedAction => {
      const node = i % validators;
      switch (i % 4) {
        case 0:
          return { atMs, action: { kind: 'partition', spec: { kind: 'groups', groups: [[0], Array.from({ length: validators - 1 }, (_, k) => k + 1)] } } };
        case 1:
          return { atMs, action: { kind: 'heal' } };
        case 2:
          return { atMs, action: { kind: 'byzantine', node, behaviour: i % 8 === 2 ? { kind: 'equivocate' } : { kind: 'delay', delayMs: 300 } } };
        default:
          return { atMs, action: { kind: 'crash', node: validators - 1 } };
      }
    }).filter((a, i, all) => a.action.kind !== 'crash' || all.findIndex((b) => b.action.kind === 'crash') === i);
  });

describe('replay links', () => {
  it('round-trip: decode(encode(run)) is the run', () => {
    fc.assert(
      fc.property(configArb.chain((config) => fc.tuple(fc.constant(config), scriptArb(config.validators), fc.integer({ min: 0, max: 120_000 }))), ([config, script, atMs]) => {
        const fragment = encodeReplayFragment({ config, script, atMs });
        expect(fragment).toMatch(/^run=[A-Za-z0-9_-]+&t=\d+$/);
        const decoded = decodeReplayFragment(`#${fragment}`);
        expect(decoded).toEqual({ ok: true, value: { config, script, atMs } });
      }),
      { numRuns: 150 },
    );
  });

  it('refuses fragments that are not replay links or are damaged, with typed codes', () => {
    const good = encodeReplayFragment({ config: { validators: 4, stake: 'equal', latency: 'reference', loss: 0, bandwidthBitsPerSecond: 0, tps: 20, crypto: 'modeled', seed: 1 }, script: [], atMs: 5_000 });
    expect(decodeReplayFragment('#selftest')).toMatchObject({ ok: false, error: { code: 'NOT_A_REPLAY_LINK' } });
    expect(decodeReplayFragment('')).toMatchObject({ ok: false, error: { code: 'NOT_A_REPLAY_LINK' } });
    expect(decodeReplayFragment(good.replace('run=', 'run=%%'))).toMatchObject({ ok: false, error: { code: 'BAD_ENCODING' } });
    expect(decodeReplayFragment(good.replace(/t=\d+/, 't=-5'))).toMatchObject({ ok: false, error: { code: 'BAD_ENCODING' } });
    const text = (s: string): string => `run=${Buffer.from(s).toString('base64url')}&t=0`;
    expect(decodeReplayFragment(text('validators 4\nseed 1\nlatency warp 9\n'))).toMatchObject({ ok: false, error: { code: 'BAD_SCENARIO' } });
    expect(decodeReplayFragment(text('validators 4\n'))).toMatchObject({ ok: false, error: { code: 'BAD_SCENARIO' } });
    expect(decodeReplayFragment(text('validators 4\nseed 1\nlatency uniform 10ms 20ms\n'))).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    expect(decodeReplayFragment(text('validators 4\nseed 1\nat 1s loss 0.5\n'))).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
  });
});
