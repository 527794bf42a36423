/**
 * The commit rule's one-pass tally and its quorum-size shortcut against the per-question
 * functions they stand in for: same blame stake, same voters, on random DAGs with equivocators
 * and missing vertices (so the parent-position guess both hits and misses).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DagVertex } from '../dag/types.ts';
import { isQuorum } from './committee.ts';
import { createDagBuilder, createTestDag, testCommittee, testRef } from './test/dagBuilder.ts';
import { randomDag } from './test/randomDag.ts';
import { refKey } from './_vertexRefs.ts';
import { hasQuorumBlame, isBlame, minQuorumMembers, tallySlot, votersFor, type Voters } from './_votes.ts';

const votersText = (v: Voters): string =>
  `${v.stake}|${[...v.byAuthor].map(([a, refs]) => `${a}:${refs.map(refKey).join(',')}`).join(';')}`;

describe('tallySlot', () => {
  it('agrees with isBlame / hasQuorumBlame / votersFor on random DAGs', () => {
    let checkedVoters = 0;
    let blamed = 0;
    fc.assert(
      fc.property(fc.record({ n: fc.constantFrom(4, 7, 10), rounds: fc.constant(6), seed: fc.integer(), weighted: fc.boolean() }), (p) => {
        const g = randomDag(p);
        const dag = createTestDag();
        for (const v of g.vertices) dag.insert(v);
        for (let round = 1; round <= 5; round++) {
          for (let author = 0; author < p.n; author++) {
            const tally = tallySlot(dag, g.committee, round, author);
            const blamers = dag.round(round + 1).filter((v: DagVertex) => isBlame(v, round, author));
            if (blamers.length > 0) blamed++;
            expect(isQuorum(g.committee, tally.blameStake)).toBe(hasQuorumBlame(dag, g.committee, round, author));
            for (const leader of dag.slot(round, author)) {
              expect(votersText(tally.votersOf(leader.ref))).toBe(votersText(votersFor(dag, g.committee, leader.ref)));
              checkedVoters++;
            }
          }
        }
      }),
      { seed: 11, numRuns: 25 },
    );
    expect(checkedVoters).toBeGreaterThan(100);
    expect(blamed).toBeGreaterThan(0);
  });

  it('finds the slot parent by the guess or by the search: several, one, none', () => {
    const b = createDagBuilder(6);
    b.round(1, [0, 2, 3, 4, 5]);
    const [v0, v1] = b.equivocate(1, 1, [], []);
    const others = [2, 3, 4, 5].map((a) => testRef(1, a));
    // Every author named: the guess lands on the pair.
    b.vertex(2, 0, [testRef(1, 0), v0, v1, ...others]);
    // Authors 2–4 missing: the guess falls outside the list and the search finds the pair.
    b.vertex(2, 2, [v0, v1, testRef(1, 5)]);
    // The same shape with one of the pair: a vote found by the search.
    b.vertex(2, 3, [testRef(1, 0), v0, testRef(1, 5)]);
    // No vertex of the slot: a blame.
    b.vertex(2, 4, [testRef(1, 0), ...others]);
    const committee = testCommittee(6);
    const tally = tallySlot(b.dag, committee, 1, 1);
    expect(tally.blameStake).toBe(1n); // author 4 alone (stakes of 1)
    expect([...tally.votersOf(v0).byAuthor.keys()]).toEqual([3]);
    expect(tally.votersOf(v1).byAuthor.size).toBe(0);
  });
});

describe('minQuorumMembers', () => {
  it('is the fewest members whose stake makes a quorum, largest stakes first', () => {
    expect(minQuorumMembers(testCommittee(4))).toBe(3);
    expect(minQuorumMembers(testCommittee(100))).toBe(67);
    // Total 10, quorum 7: the 5 and the 3 make 8.
    expect(minQuorumMembers(testCommittee([1n, 5n, 1n, 3n]))).toBe(2);
    // Total 4, quorum 3: 2 + 1 is needed; 2 alone is not.
    expect(minQuorumMembers(testCommittee([1n, 2n, 1n]))).toBe(2);
  });
});
