// Explanations: the counts behind each decision, de-duplication, and the words for faults and violations.
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../sim/run/index.ts';
import { createExplainer, faultText, verdictText, violationText } from './explain.ts';

const digest = (round: number, author: number, twin = false): string => `${twin ? 'b' : 'a'}${round.toString(16).padStart(3, '0')}${author}`;
const ref = (round: number, author: number) => ({ round, author, digest: digest(round, author) });

/** A vertex of `author` at `round` whose parents are the round-1 vertices of `parents`. */
function proposed(round: number, author: number, parents: readonly number[]): SimEvent {
  return { type: 'vertexProposed', time: round * 100, author, instance: 'primary', round, digest: digest(round, author), parents: parents.map((p) => ref(round - 1, p)), txs: 0, bytes: 3_000 };
}

describe('explainer', () => {
  it('counts commit-vertices for a direct commit and says it once', () => {
    const x = createExplainer({ stakes: [1, 1, 1, 1] });
    // Leader v1 at round 5; round 6: v0, v1, v2 reference it, v3 does not; round 7: v0, v1 reference three supporters, v2 only two.
    for (const a of [0, 1, 2, 3]) x.explain(proposed(5, a, [0, 1, 2, 3]));
    for (const a of [0, 1, 2]) x.explain(proposed(6, a, [0, 1, 2, 3]));
    x.explain(proposed(6, 3, [0, 2, 3]));
    x.explain(proposed(7, 0, [0, 1, 2]));
    x.explain(proposed(7, 1, [0, 1, 2, 3]));
    x.explain(proposed(7, 2, [0, 3]));
    const commit: SimEvent = { type: 'committed', time: 700, by: 2, index: 4, leader: ref(5, 1), vertices: 9, txs: 3, how: 'direct' };
    expect(x.explain(commit).map((l) => l.text)).toEqual(['round 5 leader v1 committed directly: 2 of 4 commit-vertices (commit 4, 3 transactions)']);
    expect(x.explain({ ...commit, by: 3 })).toEqual([]);
  });

  it('says why a leader was skipped: how many referenced it, or that it never arrived', () => {
    const x = createExplainer({ stakes: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] });
    for (let a = 0; a < 10; a++) x.explain(proposed(12, a, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    for (let a = 0; a < 10; a++) x.explain(proposed(13, a, a < 5 ? [0, 1, 2, 3, 4, 5, 6] : [0, 1, 2, 4, 5, 6, 7]));
    const skip: SimEvent = { type: 'skipped', time: 1_300, by: 0, round: 12, leader: 3 };
    expect(x.explain(skip).map((l) => l.text)).toEqual(['leader v3 at round 12 skipped: only 5 of 10 validators referenced it in time (a view change)']);
    expect(x.explain({ ...skip, by: 1 })).toEqual([]);
    expect(x.explain({ type: 'skipped', time: 1_400, by: 0, round: 13, leader: 42 })[0]?.text).toBe('leader v42 at round 13 skipped: no vertex from v42 for that round reached the network in time (a view change)');
  });

  it('names equivocators once per slot, and reports faults, violations and verdicts', () => {
    const x = createExplainer({ stakes: [1, 1, 1, 1] });
    const evidence: SimEvent = { type: 'evidence', time: 900, by: 2, offender: 3, slot: 'round 9' };
    expect(x.explain(evidence).map((l) => l.text)).toEqual(['v3 equivocated at round 9: evidence produced by v2']);
    expect(x.explain({ ...evidence, by: 0 })).toEqual([]);
    expect(x.explain({ type: 'fault', time: 4_000, fault: { kind: 'heal' } })[0]?.text).toBe('partition healed at 4.0 s');
    expect(x.explain({ type: 'verdict', time: 5_000, verdict: 'no-progress' })[0]?.tone).toBe('warn');
  });

  it('words every fault, violation and verdict', () => {
    expect(faultText({ kind: 'partition', spec: { kind: 'groups', groups: [[0, 1], [2, 3]] } }, 1_500)).toBe('network partitioned at 1.5 s: {v0, v1} | {v2, v3}');
    expect(faultText({ kind: 'restart', node: 2, store: 'keep' }, 0)).toBe('v2 restarted at 0.0 s with its store kept');
    expect(faultText({ kind: 'byzantine', node: 7, behaviour: { kind: 'withhold', from: [1, 2] } }, 2_000)).toBe('v7 turned Byzantine at 2.0 s: it withholds its vertices from {v1, v2}');
    const witness = (by: number, author: number, d: string) => ({ by, commitDigest: d, leader: { round: 30, author, digest: d }, stateRoot: '00' });
    expect(violationText({ kind: 'commit-divergence', index: 12, first: witness(1, 0, 'aa'), second: witness(4, 3, 'bb') })).toBe('safety violated at commit 12: v1 and v4 committed different leaders (v0 at round 30 vs v3 at round 30)');
    expect(violationText({ kind: 'commit-divergence', index: 12, first: witness(1, 0, 'aa'), second: witness(4, 0, 'aa') })).toMatch(/same leader with different histories/);
    expect(verdictText('diverged', 3_000)).toMatchObject({ tone: 'bad', text: expect.stringMatching(/^verdict diverged at 3.0 s/) });
  });
});
