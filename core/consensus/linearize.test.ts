import { describe, expect, it } from 'vitest';
import { toHex } from '../crypto/index.ts';
import { tryDecide } from './commitRule.ts';
import { createLinearizer, gcRoundAfter } from './linearize.ts';
import { createDagBuilder, formatRef, roundRobin, testCommittee, testRef } from './test/dagBuilder.ts';

const names = (refs: readonly { round: number; author: number; digest: Uint8Array }[]) => refs.map(formatRef).join(' ');

describe('linearize', () => {
  it('orders each leader’s new history by (round, author), leader last, nothing twice', () => {
    const b = createDagBuilder(4);
    b.fullyConnected(1, 5);
    const decisions = tryDecide(b.dag, testCommittee(4), roundRobin(4), 0);
    const lin = createLinearizer({ gcDepthRounds: 60 });
    const subDags = decisions.map((d) => {
      if (d.status !== 'commit') throw new Error('expected commits');
      return lin.commit(b.dag, d.vertex);
    });
    expect(subDags.map((s) => names(s.vertices))).toEqual([
      'r1/1',
      'r1/0 r1/2 r1/3 r2/2',
      'r2/0 r2/1 r2/3 r3/3',
    ]);
    expect(lin.lastCommittedLeaderRound()).toBe(3);
  });

  it('orders equivocating twins by digest and commits what the leader reached', () => {
    const b = createDagBuilder(4);
    b.round(1, [0, 2, 3]);
    const [a, bTwin] = b.equivocate(1, 1, [], []);
    b.vertex(2, 0, [testRef(1, 0), a, testRef(1, 2)]);
    b.vertex(2, 2, [testRef(1, 0), bTwin, testRef(1, 2)]);
    b.vertex(3, 3, [testRef(2, 0), testRef(2, 2), testRef(1, 3)]);
    const lin = createLinearizer({ gcDepthRounds: 60 });
    const sub = lin.commit(b.dag, testRef(3, 3));
    const twins = sub.vertices.filter((r) => r.round === 1 && r.author === 1);
    expect(twins).toHaveLength(2);
    expect(sub.vertices.at(-1)).toEqual(testRef(3, 3));
    // Sorted: digests of the two twins ascend.
    const [x, y] = twins.map((t) => toHex(t.digest));
    expect(x! < y!).toBe(true);
  });

  it('leaves out vertices below the gc round of the previous leader', () => {
    const build = () => {
      const b = createDagBuilder(4);
      b.round(1);
      // Author 3's round-1 vertex is ignored by everyone until a late weak link at round 5.
      b.round(2, [0, 1, 2], [0, 1, 2]);
      b.fullyConnected(3, 4);
      b.vertex(5, 0, [testRef(4, 0), testRef(4, 1), testRef(4, 2), testRef(1, 3)]);
      b.round(5, [1, 2, 3]);
      b.vertex(6, 1, [testRef(5, 0), testRef(5, 1), testRef(5, 2)]);
      return b;
    };
    const run = (gcDepthRounds: number) => {
      const b = build();
      const lin = createLinearizer({ gcDepthRounds });
      for (const r of [2, 3, 4]) lin.commit(b.dag, testRef(r, r % 4));
      return lin.commit(b.dag, testRef(6, 1));
    };
    // gc round = 4 - 1 = 3: the late link to round 1 is not followed.
    expect(names(run(1).vertices)).not.toContain('r1/3');
    expect(names(run(10).vertices)).toContain('r1/3');
    expect(gcRoundAfter(4, 1)).toBe(3);
    expect(gcRoundAfter(4, 10)).toBe(0);
  });

  it('asserts leaders come at increasing rounds and are present', () => {
    const b = createDagBuilder(4);
    b.fullyConnected(1, 3);
    const lin = createLinearizer({ gcDepthRounds: 5 });
    lin.commit(b.dag, testRef(2, 2));
    expect(() => lin.commit(b.dag, testRef(2, 1))).toThrow(RangeError);
    expect(() => lin.commit(b.dag, testRef(3, 3, 1))).toThrow(/missing/);
    expect(() => createLinearizer({ gcDepthRounds: -1 })).toThrow(RangeError);
  });
});
