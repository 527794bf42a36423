import { describe, expect, it } from 'vitest';
import { hashDomain } from '../crypto/index.ts';
import { createLeaderSchedule, epochLeaderSeed, leaderOf } from './leaderSchedule.ts';
import { testCommittee } from './test/dagBuilder.ts';

const seedA = hashDomain('kaldrix/test/v1', Uint8Array.of(1));
const seedB = hashDomain('kaldrix/test/v1', Uint8Array.of(2));

describe('leader schedule', () => {
  it('is deterministic: the same committee, seed and round name the same leader', () => {
    const c = testCommittee(7);
    const s1 = createLeaderSchedule(c, seedA);
    const s2 = createLeaderSchedule(c, Uint8Array.from(seedA));
    for (let r = 0; r < 200; r++) {
      expect(s1.leaderOf(r)).toBe(s2.leaderOf(r));
      expect(leaderOf(c, r, seedA)).toBe(s1.leaderOf(r));
    }
  });

  it('another seed gives another schedule', () => {
    const c = testCommittee(7);
    const a = Array.from({ length: 64 }, (_, r) => leaderOf(c, r, seedA));
    const b = Array.from({ length: 64 }, (_, r) => leaderOf(c, r, seedB));
    expect(a).not.toEqual(b);
  });

  it('pins the schedule of a 4-member committee (regression vector)', () => {
    const c = testCommittee(4);
    const leaders = Array.from({ length: 16 }, (_, r) => leaderOf(c, r, new Uint8Array(32)));
    expect(leaders.every((l) => l >= 0 && l < 4)).toBe(true);
    expect(leaders.join('')).toBe('1130110211013333');
  });

  it('leader frequencies track stake (20,000 rounds, within 4.5 standard deviations)', () => {
    const stakes = [1n, 2n, 3n, 4n, 10n, 5n];
    const c = testCommittee(stakes);
    const s = createLeaderSchedule(c, seedA);
    const rounds = 20_000;
    const counts = new Array<number>(stakes.length).fill(0);
    for (let r = 1; r <= rounds; r++) counts[s.leaderOf(r)]! += 1;
    const total = Number(c.totalStake);
    stakes.forEach((stake, i) => {
      const p = Number(stake) / total;
      const sigma = Math.sqrt(rounds * p * (1 - p));
      expect(Math.abs((counts[i] as number) - rounds * p)).toBeLessThan(4.5 * sigma);
    });
  });

  it('huge stakes work in bigint: a member with almost all stake leads almost always', () => {
    const c = testCommittee([1n, 10n ** 30n, 1n]);
    const s = createLeaderSchedule(c, seedB);
    const leaders = Array.from({ length: 500 }, (_, r) => s.leaderOf(r));
    expect(leaders.every((l) => l === 1)).toBe(true);
  });

  it('a one-member committee always leads', () => {
    const s = createLeaderSchedule(testCommittee([5n]), seedA);
    expect([0, 1, 2, 1e9].map((r) => s.leaderOf(r))).toEqual([0, 0, 0, 0]);
  });

  it('rejects bad rounds and seeds', () => {
    const c = testCommittee(4);
    expect(() => leaderOf(c, -1, seedA)).toThrow(RangeError);
    expect(() => leaderOf(c, 1.5, seedA)).toThrow(RangeError);
    expect(() => leaderOf(c, 1, new Uint8Array(31))).toThrow(TypeError);
  });

  it('epoch seeds bind the epoch and the agreed digest', () => {
    const a = epochLeaderSeed(1n, seedA);
    expect(a).toHaveLength(32);
    expect(epochLeaderSeed(2n, seedA)).not.toEqual(a);
    expect(epochLeaderSeed(1n, seedB)).not.toEqual(a);
    expect(epochLeaderSeed(1n, seedA)).toEqual(a);
  });
});
