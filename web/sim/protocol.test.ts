// The worker boundary: malformed or out-of-range messages become typed errors, never exceptions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_RUN_CONFIG } from './config.ts';
import { checkLiveFault, checkPageMessage, checkRunConfig, checkWorkerMessage } from './protocol.ts';

describe('page → worker messages', () => {
  it('accepts every well-formed message and returns exactly its fields', () => {
    const configure = { type: 'configure', config: DEFAULT_RUN_CONFIG, script: [{ atMs: 100, action: { kind: 'crash', node: 1 } }], untilMs: 2_000 };
    expect(checkPageMessage(configure)).toEqual({ ok: true, value: configure });
    for (const type of ['play', 'pause', 'step', 'branch']) expect(checkPageMessage({ type, junk: 1 })).toEqual({ ok: true, value: { type } });
    expect(checkPageMessage({ type: 'speed', virtualMsPerSecond: 4_000 })).toEqual({ ok: true, value: { type: 'speed', virtualMsPerSecond: 4_000 } });
    expect(checkPageMessage({ type: 'seek', timeMs: 1234.6 })).toEqual({ ok: true, value: { type: 'seek', timeMs: 1235 } });
    const partition = { kind: 'partition', spec: { kind: 'groups', groups: [[0, 1], [2, 3]] } };
    expect(checkPageMessage({ type: 'fault', fault: partition })).toEqual({ ok: true, value: { type: 'fault', fault: partition } });
  });

  it('rejects malformed messages with a typed error code', () => {
    const cases: [unknown, string][] = [
      [null, 'MALFORMED_MESSAGE'],
      ['play', 'MALFORMED_MESSAGE'],
      [{ type: 'launch' }, 'MALFORMED_MESSAGE'],
      [{ type: 'speed', virtualMsPerSecond: 0 }, 'MALFORMED_MESSAGE'],
      [{ type: 'speed', virtualMsPerSecond: Number.NaN }, 'MALFORMED_MESSAGE'],
      [{ type: 'seek', timeMs: -1 }, 'MALFORMED_MESSAGE'],
      [{ type: 'configure', config: { ...DEFAULT_RUN_CONFIG, validators: 0 } }, 'BAD_CONFIG'],
      [{ type: 'configure', config: { ...DEFAULT_RUN_CONFIG, seed: 2 ** 32 } }, 'BAD_CONFIG'],
      [{ type: 'configure', config: { ...DEFAULT_RUN_CONFIG, latency: 'moon' } }, 'BAD_CONFIG'],
      [{ type: 'configure', config: { ...DEFAULT_RUN_CONFIG, loss: 0.9 } }, 'BAD_CONFIG'],
      [{ type: 'configure', config: DEFAULT_RUN_CONFIG, script: [{ atMs: 5, action: { kind: 'crash', node: 0 } }, { atMs: 4, action: { kind: 'heal' } }] }, 'BAD_FAULT'],
      [{ type: 'configure', config: DEFAULT_RUN_CONFIG, untilMs: 1.5 }, 'MALFORMED_MESSAGE'],
      [{ type: 'fault', fault: { kind: 'crash', node: -1 } }, 'BAD_FAULT'],
      [{ type: 'fault', fault: { kind: 'restart', node: 1, store: 'maybe' } }, 'BAD_FAULT'],
      [{ type: 'fault', fault: { kind: 'byzantine', node: 1, behaviour: { kind: 'spam' } } }, 'BAD_FAULT'],
      [{ type: 'fault', fault: { kind: 'partition', spec: { kind: 'groups', groups: [[0, 1], [1, 2]] } } }, 'BAD_FAULT'],
      [{ type: 'fault', fault: { kind: 'loss', probability: 0.1 } }, 'BAD_FAULT'],
    ];
    for (const [message, code] of cases) {
      const checked = checkPageMessage(message);
      expect(checked.ok, JSON.stringify(message)).toBe(false);
      if (!checked.ok) expect(checked.error.code, JSON.stringify(message)).toBe(code);
    }
  });

  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom('configure', 'fault', 'seek', 'speed', 'play'), (payload, type) => {
        for (const value of [payload, { type, config: payload, fault: payload, timeMs: payload, virtualMsPerSecond: payload, script: payload }]) {
          const checked = checkPageMessage(value);
          expect(typeof checked.ok).toBe('boolean');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('checks faults and configurations on their own', () => {
    expect(checkLiveFault({ kind: 'byzantine', node: 2, behaviour: { kind: 'withhold', from: [0, 1] } }).ok).toBe(true);
    expect(checkLiveFault({ kind: 'byzantine', node: 2, behaviour: { kind: 'withhold', from: [] } }).ok).toBe(false);
    expect(checkRunConfig({ ...DEFAULT_RUN_CONFIG, extra: true })).toEqual({ ok: true, value: DEFAULT_RUN_CONFIG });
  });
});

describe('worker → page messages', () => {
  it('accepts known types with their payload and refuses the rest', () => {
    expect(checkWorkerMessage({ type: 'events', events: [] }).ok).toBe(true);
    expect(checkWorkerMessage({ type: 'error', error: { code: 'SIMULATION_FAILED', message: 'x' } }).ok).toBe(true);
    expect(checkWorkerMessage({ type: 'ready', config: DEFAULT_RUN_CONFIG, stakes: [1, 1] }).ok).toBe(true);
    expect(checkWorkerMessage({ type: 'ready', config: DEFAULT_RUN_CONFIG })).toMatchObject({ ok: false, error: { code: 'MALFORMED_MESSAGE' } });
    expect(checkWorkerMessage({ type: 'events', events: 'many' })).toMatchObject({ ok: false });
    expect(checkWorkerMessage({ type: 'hello' })).toMatchObject({ ok: false, error: { code: 'MALFORMED_MESSAGE' } });
  });
});
