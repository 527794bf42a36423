import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCommittee, isQuorum, isValidity, stakeOf } from './committee.ts';

const member = (i: number, stake: bigint) => ({
  address: Uint8Array.of(0, 255 - i),
  key: { scheme: 'ml-dsa-44' as const, publicKey: new Uint8Array(1312) },
  stake,
});

describe('committee', () => {
  it('orders members by address and indexes them', () => {
    const c = createCommittee(0n, [member(0, 1n), member(1, 2n), member(2, 3n)]);
    expect(c.members.map((m) => m.stake)).toEqual([3n, 2n, 1n]);
    expect(c.members.map((m) => m.index)).toEqual([0, 1, 2]);
  });

  it('n = 4 equal stakes: quorum is 3 members, validity 2', () => {
    const c = createCommittee(0n, [0, 1, 2, 3].map((i) => member(i, 10n)));
    expect(isQuorum(c, stakeOf(c, [0, 1, 2]))).toBe(true);
    expect(isQuorum(c, stakeOf(c, [0, 1]))).toBe(false);
    expect(isValidity(c, stakeOf(c, [0, 1]))).toBe(true);
    expect(isValidity(c, stakeOf(c, [0]))).toBe(false);
  });

  it('counts a repeated index once', () => {
    const c = createCommittee(0n, [0, 1, 2, 3].map((i) => member(i, 10n)));
    expect(stakeOf(c, [0, 0, 0, 1])).toBe(20n);
  });

  it('rejects empty, duplicate and zero-stake committees', () => {
    expect(() => createCommittee(0n, [])).toThrow(RangeError);
    expect(() => createCommittee(0n, [member(1, 1n), member(1, 2n)])).toThrow(/duplicate/);
    expect(() => createCommittee(0n, [member(1, 0n)])).toThrow(/stake/);
  });

  it('quorum is more than 2/3 and two quorums always share more than 1/3 of the stake', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 1_000_000n }), { minLength: 1, maxLength: 40 }), (stakes) => {
        const c = createCommittee(0n, stakes.map((s, i) => member(i, s)));
        expect(3n * c.quorumStake > 2n * c.totalStake).toBe(true);
        expect(3n * (c.quorumStake - 1n) > 2n * c.totalStake).toBe(false);
        // Quorum intersection: q + q - total ≥ validity (the BFT safety argument).
        expect(2n * c.quorumStake - c.totalStake >= c.validityStake).toBe(true);
      }),
    );
  });
});
