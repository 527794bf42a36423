// The validator's small parts: backoff arithmetic, bounded verdicts, shell-bug guards.
import { describe, expect, it } from 'vitest';
import { leaderTimeoutMs } from './_propose.ts';
import { createVerdicts } from './_verdicts.ts';
import { createValidator } from './index.ts';
import { GENESIS_TIME_MS, makeChain } from './test/harness.ts';

describe('leader timeout backoff', () => {
  it('base for the first two timeouts in a row, then doubling, capped', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map((n) => leaderTimeoutMs(200, n, 1600))).toEqual([200, 200, 400, 800, 1600, 1600, 1600]);
  });
});

describe('verdicts', () => {
  const item = (fill: number) => ({ scheme: 'ml-dsa-44' as const, publicKey: new Uint8Array(4), message: Uint8Array.of(fill), signature: new Uint8Array(4), context: new Uint8Array(0) });
  it('remembers valid and invalid, forgets the oldest beyond the bound', () => {
    const v = createVerdicts(2);
    v.set(item(1), true);
    v.set(item(2), false);
    expect([v.get(item(1)), v.get(item(2)), v.get(item(3))]).toEqual([true, false, undefined]);
    v.set(item(3), true);
    expect([v.get(item(1)), v.get(item(3)), v.size()]).toEqual([undefined, true, 2]);
  });
  it('items differing only in where bytes fall apart are different keys', () => {
    const v = createVerdicts(4);
    v.set({ ...item(1), message: Uint8Array.of(1, 2), signature: Uint8Array.of(3) }, true);
    expect(v.get({ ...item(1), message: Uint8Array.of(1), signature: Uint8Array.of(2, 3) })).toBeUndefined();
  });
});

describe('shell bugs throw; bad arguments are RangeErrors', () => {
  const chain = makeChain(4, 0);
  const make = (selfIndex = 0) =>
    createValidator(
      { committee: chain.committee, ledger: chain.ledger, mempool: { select: () => [], onCommitted: () => undefined } },
      { selfIndex, params: chain.genesis.params, leaderSeed: chain.leaderSeed, genesisHash: chain.genesisHash, genesisTimeMs: GENESIS_TIME_MS },
    );
  it('unknown self index, time going backwards, unknown tokens, double start', () => {
    expect(() => make(9)).toThrow(RangeError);
    const v = make();
    v.step({ type: 'start', nowMs: GENESIS_TIME_MS + 10 });
    expect(() => v.step({ type: 'timer', nowMs: GENESIS_TIME_MS, timerId: 'delay/2' })).toThrow(RangeError);
    expect(() => v.step({ type: 'verified', nowMs: GENESIS_TIME_MS + 10, token: 99, results: [] })).toThrow(RangeError);
    expect(() => v.step({ type: 'start', nowMs: GENESIS_TIME_MS + 10 })).toThrow();
  });
  it('refuses max_parents below the quorum count of the committee', () => {
    const params = { ...chain.genesis.params, maxParents: 2 };
    expect(() =>
      createValidator(
        { committee: chain.committee, ledger: chain.ledger, mempool: { select: () => [], onCommitted: () => undefined } },
        { selfIndex: 0, params, leaderSeed: chain.leaderSeed, genesisHash: chain.genesisHash, genesisTimeMs: GENESIS_TIME_MS },
      ),
    ).toThrow(/maxParents \(2\) is below the committee's quorum count \(3\)/);
  });
  it('a stale or unknown timer changes nothing', () => {
    const v = make();
    v.step({ type: 'start', nowMs: GENESIS_TIME_MS });
    expect(v.step({ type: 'timer', nowMs: GENESIS_TIME_MS + 1, timerId: 'leader/77' })).toEqual([]);
    expect(v.status().leaderTimeouts).toBe(0);
  });
});
