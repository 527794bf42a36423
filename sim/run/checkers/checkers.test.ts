// The checkers on hand-made outputs: they report violations as values and never throw.
import { describe, expect, it } from 'vitest';
import type { CommittedOutput } from '../../../core/validator/index.ts';
import { createLivenessChecker } from './liveness.ts';
import { createSafetyChecker } from './safety.ts';

const bytes = (fill: number): Uint8Array => new Uint8Array(32).fill(fill);
function commit(index: number, digestFill: number, leaderAuthor = 0, rootFill = 7): CommittedOutput {
  // Only the fields the checker reads matter; the rest (the ledger) is left out.
  return {
    type: 'committed', commitIndex: BigInt(index), leader: { round: index, author: leaderAuthor, digest: bytes(leaderAuthor + 1) }, how: 'direct',
    vertices: [], commitDigest: bytes(digestFill), receipts: [], evidence: [], stateRoot: bytes(rootFill), timestampMs: 0,
  } as unknown as CommittedOutput;
}

describe('safety checker', () => {
  it('agrees with itself and reports the first divergence with both witnesses', () => {
    const safety = createSafetyChecker();
    expect(safety.onCommitted(0, commit(1, 1)).first).toBe(true);
    expect(safety.onCommitted(1, commit(1, 1))).toEqual({ first: false, violation: undefined });
    const { violation } = safety.onCommitted(2, commit(1, 9, 3));
    expect(violation).toMatchObject({ kind: 'commit-divergence', index: 1, first: { by: 0 }, second: { by: 2, leader: { author: 3 } } });
    expect(safety.violations()).toHaveLength(1);
    expect(safety.commits()).toBe(1);
  });

  it('a different state root at one index is a divergence too', () => {
    const safety = createSafetyChecker();
    safety.onCommitted(0, commit(4, 1, 0, 7));
    expect(safety.onCommitted(1, commit(4, 1, 0, 8)).violation?.kind).toBe('commit-divergence');
  });
});

describe('liveness checker', () => {
  it('stalls only after the bound without progress since the last fault', () => {
    const liveness = createLivenessChecker(4000);
    liveness.onProgress(1000);
    expect(liveness.check(4999)).toBeUndefined();
    expect(liveness.check(5001)).toEqual({ sinceMs: 1000, boundMs: 4000 });
    liveness.onFault(6000);
    expect(liveness.check(9000)).toBeUndefined();
    liveness.onProgress(9500);
    expect(liveness.check(13_000)).toBeUndefined();
    expect(liveness.check(13_501)).toBeDefined();
    expect(() => createLivenessChecker(0)).toThrow(RangeError);
  });
});
