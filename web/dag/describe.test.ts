import { describe, expect, it } from 'vitest';
import { decisionText, roleText, shortDigest, vertexSentence } from './describe.ts';
import { createDagModel } from './model.ts';
import { committed, roundRobinLeader, skipped, syntheticDag, syntheticRef } from './test/syntheticDag.ts';

describe('plain-words descriptions', () => {
  const model = createDagModel({ stakes: [1, 1, 1, 1], leaderOf: roundRobinLeader(4) });
  model.ingestAll(syntheticDag({ validators: 4, rounds: 5, equivocations: [{ round: 4, author: 1 }] }));
  model.ingest(committed(0, 1, syntheticRef(1, 1)));
  model.ingest(skipped(0, 2, 2));

  it('names each phase with its leader', () => {
    const details = model.details(syntheticRef(3, 0));
    expect(details?.roles.map(roleText)).toEqual(['prepare: votes for the leader v2 at round 2', 'commit: certifies the leader v1 at round 1 (its votes for it hold a quorum)']);
    expect(roleText(model.details(syntheticRef(1, 1))!.roles[0]!)).toBe("pre-prepare: it is the leader v1 at round 1's proposal, committed directly as commit 1");
  });

  it('says how a slot was decided', () => {
    expect(decisionText(model.decision(2))).toBe('skipped directly (a view change)');
    expect(decisionText(undefined)).toBe('not decided yet');
  });

  it('mentions equivocation and shortens digests', () => {
    expect(vertexSentence(model.details(syntheticRef(4, 1))!)).toMatch(/^Vertex of v1 at round 4, 10 transactions, 4 parents: .*equivocated/);
    expect(shortDigest('0123456789abcdef0123')).toBe('01234567…0123');
    expect(shortDigest('abc')).toBe('abc');
  });
});
