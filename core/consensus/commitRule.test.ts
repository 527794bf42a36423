import { describe, expect, it } from 'vitest';
import type { VertexRef } from '../dag/types.ts';
import {
  CommitRuleInvariantError,
  countDecisions,
  isBlame,
  isCommitVertex,
  isVote,
  type LeaderDecision,
  tryDecide,
  ZERO_COMMIT_COUNTERS,
} from './commitRule.ts';
import { createDagBuilder, fixedLeaders, formatRef, roundRobin, testCommittee, testRef } from './test/dagBuilder.ts';

/** Compact form of decisions: `r1 commit r1/1 direct`, `r2 skip L2 direct`. */
function show(decisions: readonly LeaderDecision[]): string[] {
  return decisions.map((d) =>
    d.status === 'commit' ? `r${d.round} commit ${formatRef(d.vertex)} ${d.how}` : `r${d.round} skip L${d.leader} ${d.how}`,
  );
}

describe('commit rule: direct decisions', () => {
  it('4 validators fully connected: every leader with two rounds above it commits directly', () => {
    const b = createDagBuilder(4);
    b.fullyConnected(1, 5);
    const decisions = tryDecide(b.dag, testCommittee(4), roundRobin(4), 0);
    expect(show(decisions)).toEqual(['r1 commit r1/1 direct', 'r2 commit r2/2 direct', 'r3 commit r3/3 direct']);
    // Slot 4 has votes (round 5) but no certificates yet: undecided, so nothing past it.
    expect(tryDecide(b.dag, testCommittee(4), roundRobin(4), 3)).toEqual([]);
  });

  it('a dead leader is skipped directly: the view change', () => {
    const b = createDagBuilder(4);
    b.round(1);
    b.withoutLeader(2, 2);
    b.fullyConnected(3, 5);
    const decisions = tryDecide(b.dag, testCommittee(4), roundRobin(4), 0);
    expect(show(decisions)).toEqual(['r1 commit r1/1 direct', 'r2 skip L2 direct', 'r3 commit r3/3 direct']);
    const counters = countDecisions(ZERO_COMMIT_COUNTERS, decisions);
    expect(counters).toEqual({ committedLeaders: 2, skippedLeaders: 1, directCommits: 2, indirectCommits: 0, directSkips: 1, indirectSkips: 0 });
  });

  it('a skip needs blame from a quorum: one blaming vertex short of it leaves the slot open', () => {
    const b = createDagBuilder(4);
    b.round(1);
    // Leader of round 1 is 1; authors 2 and 3 blame it (2 < quorum 3), 0 and 1 vote (2 < 3).
    b.round(2, [0, 1]);
    b.round(2, [2, 3], [0, 2, 3]);
    const decisions = tryDecide(b.dag, testCommittee(4), roundRobin(4), 0);
    expect(decisions).toEqual([]);
    expect(isBlame(b.dag.get(testRef(2, 2))!, 1, 1)).toBe(true);
    expect(isVote(b.dag.get(testRef(2, 0))!, testRef(1, 1))).toBe(true);
  });
});

describe('commit rule: indirect decisions', () => {
  // Leader of round r is r mod 4: round 1 → 1, round 4 → 0. Rounds 1-3 only.
  function weaklyVotedLeader(withCertificate: boolean) {
    const b = createDagBuilder(4);
    b.round(1);
    if (withCertificate) {
      // Authors 0,1,2 vote for r1/1, 3 blames; only r3/0 collects a quorum of votes.
      b.round(2, [0, 1, 2]);
      b.round(2, [3], [0, 2, 3]);
      b.round(3, [0], [0, 1, 2]);
      b.round(3, [1, 2, 3], [1, 2, 3]);
    } else {
      // Two votes, two blames: no certificate can exist.
      b.round(2, [0, 1]);
      b.round(2, [2, 3], [0, 2, 3]);
      b.round(3);
    }
    return b;
  }

  it('undecided until an anchor commits, then committed through a certificate in its history', () => {
    const b = weaklyVotedLeader(true);
    b.fullyConnected(4, 5);
    const c = testCommittee(4);
    expect(isCommitVertex(b.dag, c, b.dag.get(testRef(3, 0))!, testRef(1, 1))).toBe(true);
    expect(isCommitVertex(b.dag, c, b.dag.get(testRef(3, 1))!, testRef(1, 1))).toBe(false);
    // Slots 2 and 3 are decided, but slot 1 is not: leaders come out in order, so none yet.
    expect(tryDecide(b.dag, c, roundRobin(4), 0)).toEqual([]);
    b.round(6);
    expect(show(tryDecide(b.dag, c, roundRobin(4), 0))).toEqual([
      'r1 commit r1/1 indirect',
      'r2 commit r2/2 direct',
      'r3 commit r3/3 direct',
      'r4 commit r4/0 direct',
    ]);
  });

  it('undecided until an anchor commits, then skipped when its history holds no certificate', () => {
    const b = weaklyVotedLeader(false);
    b.fullyConnected(4, 6);
    expect(show(tryDecide(b.dag, testCommittee(4), roundRobin(4), 0))).toEqual([
      'r1 skip L1 indirect',
      'r2 commit r2/2 direct',
      'r3 commit r3/3 direct',
      'r4 commit r4/0 direct',
    ]);
  });

  it('a skipped leader is passed over when looking for the anchor', () => {
    const b = weaklyVotedLeader(true);
    // Round 4's leader (0) is dead; round 5's leader (1) becomes the anchor of slot 1.
    b.withoutLeader(4, 0);
    b.fullyConnected(5, 7);
    expect(show(tryDecide(b.dag, testCommittee(4), roundRobin(4), 0))).toEqual([
      'r1 commit r1/1 indirect',
      'r2 commit r2/2 direct',
      'r3 commit r3/3 direct',
      'r4 skip L0 direct',
      'r5 commit r5/1 direct',
    ]);
  });

  it('an undecided anchor candidate keeps the slot open', () => {
    const b = weaklyVotedLeader(true);
    // Round 4's leader gets two votes and two blames: undecided, so slot 1 cannot look past it.
    b.round(4, [0, 1, 2, 3]);
    b.round(5, [0, 1], [0, 1, 2]);
    b.round(5, [2, 3], [1, 2, 3]);
    b.fullyConnected(6, 8);
    // Slot 4 (no certificate possible) waits for an anchor at round ≥ 7, and slot 7 has no
    // certificates yet: slot 4 is undecided, so slot 1 cannot look past it.
    expect(tryDecide(b.dag, testCommittee(4), roundRobin(4), 0)).toEqual([]);
    b.round(9);
    expect(show(tryDecide(b.dag, testCommittee(4), roundRobin(4), 0))).toEqual([
      'r1 commit r1/1 indirect',
      'r2 commit r2/2 direct',
      'r3 commit r3/3 direct',
      'r4 skip L0 indirect',
      'r5 commit r5/1 direct',
      'r6 commit r6/2 direct',
      'r7 commit r7/3 direct',
    ]);
  });
});

describe('commit rule: equivocation and stake', () => {
  it('an equivocating leader: only the vertex with a quorum of votes can commit', () => {
    const b = createDagBuilder(4);
    b.round(1, [0, 2, 3]);
    const [honestLooking, twin] = b.equivocate(1, 1, [], []);
    b.vertex(2, 0, [testRef(1, 0), honestLooking, testRef(1, 2)]);
    b.vertex(2, 1, [honestLooking, testRef(1, 2), testRef(1, 3)]);
    b.vertex(2, 2, [testRef(1, 0), honestLooking, testRef(1, 3)]);
    b.vertex(2, 3, [testRef(1, 0), twin, testRef(1, 3)]);
    b.fullyConnected(3, 4);
    const c = testCommittee(4);
    const decisions = tryDecide(b.dag, c, roundRobin(4), 0);
    expect(show(decisions)[0]).toBe("r1 commit r1/1 direct");
    expect(isVote(b.dag.get(testRef(2, 3))!, twin)).toBe(true);
    expect(isCommitVertex(b.dag, c, b.dag.get(testRef(3, 0))!, twin)).toBe(false);
  });

  it('more than f equivocators can certify two vertices of a slot: the rule refuses to commit either', () => {
    const b = createDagBuilder(4);
    b.round(1, [0, 2, 3]);
    const [v0, v1] = b.equivocate(1, 1, [], []);
    const r1 = (leader: VertexRef) => [testRef(1, 0), leader, testRef(1, 3)];
    // Authors 1 and 2 equivocate at round 2 too (two Byzantine of four: more than f = 1).
    const votes0 = [b.vertex(2, 0, r1(v0)), b.vertex(2, 1, r1(v0)), b.vertex(2, 2, r1(v0))];
    const votes1 = [b.vertex(2, 1, r1(v1), 1), b.vertex(2, 2, r1(v1), 1), b.vertex(2, 3, r1(v1))];
    for (const a of [0, 1, 2]) b.vertex(3, a, votes0);
    for (const a of [1, 2]) b.vertex(3, a, votes1, 1);
    b.vertex(3, 3, votes1);
    expect(() => tryDecide(b.dag, testCommittee(4), roundRobin(4), 0)).toThrow(CommitRuleInvariantError);
  });

  it('weighted stakes: three of four authors are not a quorum without the 50% validator', () => {
    const build = () => {
      const b = createDagBuilder(4);
      b.round(1);
      b.round(2, [0, 1, 2], [0, 1, 3]); // vote for r1/0
      b.round(2, [3], [1, 2, 3]); // blames r1/0
      b.fullyConnected(3, 3);
      return b;
    };
    const leaders = fixedLeaders(() => 0);
    // Equal stakes: 3 votes of 4 are a quorum, every round-3 vertex is a certificate.
    expect(show(tryDecide(build().dag, testCommittee(4), leaders, 0))).toEqual(['r1 commit r1/0 direct']);
    // Stakes 1,1,1,3 (quorum 5 of 6): the same votes hold 3 — the slot stays open.
    expect(tryDecide(build().dag, testCommittee([1n, 1n, 1n, 3n]), leaders, 0)).toEqual([]);
  });

  it('weighted stakes: a heavy minority of authors can skip a leader that one author voted for', () => {
    const b = createDagBuilder(4);
    b.round(1);
    b.round(2, [0], [0, 1, 3]);
    b.round(2, [1, 2, 3], [1, 2, 3]);
    const decisions = tryDecide(b.dag, testCommittee([1n, 1n, 1n, 3n]), fixedLeaders(() => 0), 0);
    expect(show(decisions)).toEqual(['r1 skip L0 direct']);
    // Make the lone voter the heavy one: the same three blamers now hold 3 of 6, short of 5.
    expect(tryDecide(b.dag, testCommittee([3n, 1n, 1n, 1n]), fixedLeaders(() => 0), 0)).toEqual([]);
  });
});

describe('commit rule: vertex roles', () => {
  it('a vertex with two parents in the slot (invalid) neither votes nor blames', () => {
    const b = createDagBuilder(4);
    b.round(1, [0, 2, 3]);
    const [v0, v1] = b.equivocate(1, 1, [], []);
    const both = b.dag.get(b.vertex(2, 0, [testRef(1, 0), v0, v1, testRef(1, 2)]))!;
    expect(isVote(both, v0)).toBe(false);
    expect(isVote(both, v1)).toBe(false);
    expect(isBlame(both, 1, 1)).toBe(false);
  });

  it('roles are tied to rounds: a vote is at r+1 and a certificate at r+2 only', () => {
    const b = createDagBuilder(4);
    b.fullyConnected(1, 4);
    const c = testCommittee(4);
    expect(isVote(b.dag.get(testRef(3, 0))!, testRef(1, 1))).toBe(false);
    expect(isCommitVertex(b.dag, c, b.dag.get(testRef(3, 0))!, testRef(1, 1))).toBe(true);
    expect(isCommitVertex(b.dag, c, b.dag.get(testRef(4, 0))!, testRef(1, 1))).toBe(false);
    expect(isBlame(b.dag.get(testRef(3, 0))!, 1, 1)).toBe(false);
  });
});

describe('commit rule: arguments and garbage collection', () => {
  it('refuses to decide a slot that was garbage-collected', () => {
    const b = createDagBuilder(4);
    b.fullyConnected(1, 6);
    b.dag.collectBelow(3);
    expect(() => tryDecide(b.dag, testCommittee(4), roundRobin(4), 1)).toThrow(RangeError);
    expect(show(tryDecide(b.dag, testCommittee(4), roundRobin(4), 2))).toEqual(['r3 commit r3/3 direct', 'r4 commit r4/0 direct']);
  });

  it('rejects a bad lastDecidedRound and a schedule naming a non-member', () => {
    const b = createDagBuilder(4);
    b.fullyConnected(1, 3);
    expect(() => tryDecide(b.dag, testCommittee(4), roundRobin(4), -1)).toThrow(RangeError);
    expect(() => tryDecide(b.dag, testCommittee(4), fixedLeaders(() => 4), 0)).toThrow(RangeError);
  });

  it('an empty or one-round DAG decides nothing', () => {
    const b = createDagBuilder(4);
    expect(tryDecide(b.dag, testCommittee(4), roundRobin(4), 0)).toEqual([]);
    b.round(1);
    expect(tryDecide(b.dag, testCommittee(4), roundRobin(4), 0)).toEqual([]);
  });
});
