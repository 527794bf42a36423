import { describe, expect, it } from 'vitest';
import { createDagModel } from '../dag/model.ts';
import { benchLeaderOf, benchRef, benchRoundEvents } from './_rounds.ts';

describe('benchRoundEvents', () => {
  it('builds rounds whose vertices name every vertex of the round below, and commits each leader two rounds later', () => {
    const validators = 7;
    const model = createDagModel({ stakes: Array.from({ length: validators }, () => 1), leaderOf: benchLeaderOf(validators), maxRounds: 4 });
    for (let round = 1; round <= 6; round++) {
      const events = benchRoundEvents(validators, round);
      expect(events.filter((e) => e.type === 'vertexProposed')).toHaveLength(validators);
      expect(model.ingestAll(events)).toBe(events.length);
    }
    // The window keeps the 4 newest rounds: 28 vertices, each with 7 parents (round 3 names round 2, which was dropped).
    expect(model.roundRange()).toEqual({ lowest: 3, highest: 6 });
    expect(model.verticesInRounds(1, 6)).toHaveLength(4 * validators);
    expect(model.vertex(benchRef(6, 3))?.parents).toHaveLength(validators);
    expect(model.decision(4)).toMatchObject({ status: 'committed', leader: 4 % validators });
    expect(model.finalizedRound()).toBe(4);
    // Every vote of the leader at round 4 is in place: all 7 prepares and all 7 commits.
    const phases = model.phases(4);
    expect(phases?.candidates[0]?.prepares).toHaveLength(validators);
    expect(phases?.candidates[0]?.commits).toHaveLength(validators);
  });

  it('is deterministic and gives distinct digests to distinct slots', () => {
    expect(benchRoundEvents(5, 3)).toEqual(benchRoundEvents(5, 3));
    const digests = new Set([1, 2, 3].flatMap((round) => Array.from({ length: 5 }, (_, author) => benchRef(round, author).digest)));
    expect(digests.size).toBe(15);
    expect(() => benchRoundEvents(5, 0)).toThrow(RangeError);
  });
});
