import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createDagModel, type DagModel } from './model.ts';
import { committed, roundRobinLeader, shuffled, skipped, syntheticDag, syntheticRef, type SyntheticDagOptions } from './test/syntheticDag.ts';

const EQUAL4 = [1, 1, 1, 1];

function modelOf(options: SyntheticDagOptions, stakes: readonly number[] = EQUAL4, maxRounds?: number): DagModel {
  const model = createDagModel({ stakes, leaderOf: roundRobinLeader(stakes.length), ...(maxRounds === undefined ? {} : { maxRounds }) });
  model.ingestAll(syntheticDag(options));
  return model;
}

const authors = (vs: readonly { readonly author: number }[]): number[] => vs.map((v) => v.author);

describe('leader phases', () => {
  it('a fully linked DAG gives the leader a quorum of prepares and of commits', () => {
    const model = modelOf({ validators: 4, rounds: 5 });
    const phases = model.phases(1);
    expect(phases?.leader).toBe(1);
    const candidate = phases?.candidates[0];
    expect(candidate?.vertex.key).toBe(model.slot(1, 1)[0]?.key);
    expect(authors(candidate?.prepares ?? [])).toEqual([0, 1, 2, 3]);
    expect(candidate?.prepareStake).toBe(4);
    expect(candidate?.hasQuorumPrepare).toBe(true);
    expect(authors(candidate?.commits ?? [])).toEqual([0, 1, 2, 3]);
    expect(candidate?.hasQuorumCommit).toBe(true);
    expect(phases?.blame).toEqual([]);
    expect(phases?.hasQuorumBlame).toBe(false);
  });

  it('without a quorum of prepares no round r+2 vertex certifies the leader', () => {
    // Authors 2 and 3 do not link to round 1's leader (author 1): 2 of 4 prepare, quorum is 3.
    const model = modelOf({ validators: 4, rounds: 4, links: (child, parent) => !(child.round === 2 && child.author >= 2 && parent.round === 1 && parent.author === 1) });
    const phases = model.phases(1);
    const candidate = phases?.candidates[0];
    expect(authors(candidate?.prepares ?? [])).toEqual([0, 1]);
    expect(candidate?.prepareStake).toBe(2);
    expect(candidate?.hasQuorumPrepare).toBe(false);
    expect(candidate?.commits).toEqual([]);
    expect(candidate?.hasQuorumCommit).toBe(false);
    expect(authors(phases?.blame ?? [])).toEqual([2, 3]);
    expect(phases?.hasQuorumBlame).toBe(false);
  });

  it('a quorum of blame marks the slot for a direct skip', () => {
    const model = modelOf({ validators: 4, rounds: 4, links: (child, parent) => !(child.round === 3 && parent.author === 2) });
    const phases = model.phases(2);
    expect(phases?.leader).toBe(2);
    expect(phases?.blameStake).toBe(4);
    expect(phases?.hasQuorumBlame).toBe(true);
    expect(phases?.candidates[0]?.prepares).toEqual([]);
  });

  it('a commit-vertex needs a quorum among its own r+1 parents that vote', () => {
    // Round 3 author 0 links to only two of round 2's voters: it is no certificate; the others are.
    const model = modelOf({ validators: 4, rounds: 3, links: (child, parent) => !(child.round === 3 && child.author === 0 && parent.author >= 2) });
    const candidate = model.phases(1)?.candidates[0];
    expect(candidate?.hasQuorumPrepare).toBe(true);
    expect(authors(candidate?.commits ?? [])).toEqual([1, 2, 3]);
    expect(candidate?.commitStake).toBe(3);
    expect(candidate?.hasQuorumCommit).toBe(true);
  });

  it('counts stake, not vertices', () => {
    // Stakes 10,1,1,1: total 13, quorum 9 — validator 0 alone is a quorum, the other three are not.
    const stakes = [10, 1, 1, 1];
    const onlyHeavy = modelOf({ validators: 4, rounds: 3, links: (child, parent) => !(child.round === 2 && child.author !== 0 && parent.author === 1) }, stakes);
    expect(onlyHeavy.stake.quorumStake).toBe(9);
    expect(onlyHeavy.phases(1)?.candidates[0]?.prepareStake).toBe(10);
    expect(onlyHeavy.phases(1)?.candidates[0]?.hasQuorumPrepare).toBe(true);
    const allLight = modelOf({ validators: 4, rounds: 3, links: (child, parent) => !(child.round === 2 && child.author === 0 && parent.author === 1) }, stakes);
    expect(allLight.phases(1)?.candidates[0]?.prepareStake).toBe(3);
    expect(allLight.phases(1)?.candidates[0]?.hasQuorumPrepare).toBe(false);
  });

  it('is undefined while the leader of a round is unknown, and learns it from a decision', () => {
    const model = createDagModel({ stakes: EQUAL4 });
    model.ingestAll(syntheticDag({ validators: 4, rounds: 4 }));
    expect(model.phases(2)).toBeUndefined();
    model.ingest(skipped(1, 2, 3));
    expect(model.leaderOf(2)).toBe(3);
    expect(model.phases(2)?.leader).toBe(3);
  });

  it('recomputes cached phases when a late vertex arrives', () => {
    const events = syntheticDag({ validators: 4, rounds: 3 });
    const late = events.filter((e) => e.round === 3 && e.author === 3);
    const model = createDagModel({ stakes: EQUAL4, leaderOf: roundRobinLeader(4) });
    model.ingestAll(events.filter((e) => !late.includes(e)));
    expect(model.phases(1)?.candidates[0]?.commits).toHaveLength(3);
    model.ingestAll(late);
    expect(model.phases(1)?.candidates[0]?.commits).toHaveLength(4);
  });
});

describe('equivocation', () => {
  const options: SyntheticDagOptions = { validators: 4, rounds: 4, equivocations: [{ round: 3, author: 3 }] };

  it('keeps both vertices of a slot side by side, in digest order whatever the arrival order', () => {
    for (const seed of [1, 2, 3]) {
      const model = createDagModel({ stakes: EQUAL4, leaderOf: roundRobinLeader(4) });
      model.ingestAll(shuffled(syntheticDag(options), seed));
      const slot = model.slot(3, 3);
      expect(slot.map((v) => v.ref.digest)).toEqual([syntheticRef(3, 3, 0).digest, syntheticRef(3, 3, 1).digest]);
      const places: [number, number, number][] = [];
      model.forEachVertexInRounds(3, 3, (v, slotIndex, slotSize) => places.push([v.author, slotIndex, slotSize]));
      expect(places).toEqual([[0, 0, 1], [1, 0, 1], [2, 0, 1], [3, 0, 2], [3, 1, 2]]);
      expect(model.equivocators(3)).toEqual([3]);
      expect(model.details(slot[1]!.ref)?.equivocation).toBe(true);
      expect(model.details(syntheticRef(3, 2))?.equivocation).toBe(false);
    }
  });

  it('gives an equivocating leader one candidate per vertex, splitting the votes', () => {
    const model = modelOf(options);
    const phases = model.phases(3);
    expect(phases?.leader).toBe(3);
    expect(phases?.candidates.map((c) => authors(c.prepares))).toEqual([[0, 2], [1, 3]]);
    expect(phases?.candidates.every((c) => !c.hasQuorumPrepare && c.commits.length === 0)).toBe(true);
  });

  it('records evidence of equivocation even when the second vertex never arrived', () => {
    const model = modelOf({ validators: 4, rounds: 3 });
    model.ingest({ type: 'evidence', timeMs: 0, by: 0, offender: 2, round: 2 });
    expect(model.equivocators(2)).toEqual([2]);
    expect(model.stats(0).evidenceReported).toBe(1);
  });
});

describe('observer decisions and the finalized region', () => {
  it('marks committed and skipped leaders as the chosen observer reported them', () => {
    const model = modelOf({ validators: 4, rounds: 8 });
    model.ingest(committed(0, 1, syntheticRef(1, 1)));
    model.ingest(skipped(0, 2, 2));
    model.ingest(committed(0, 2, syntheticRef(4, 0)));
    model.ingest(committed(1, 1, syntheticRef(1, 1)));
    expect(model.decision(1)?.status).toBe('committed');
    expect(model.decision(2)?.status).toBe('skipped');
    expect(model.decision(3)).toBeUndefined();
    expect(model.finalizedRound()).toBe(4);
    expect(model.stats()).toMatchObject({ committedLeaders: 2, skippedLeaders: 1, lastCommittedRound: 4, lastCommitIndex: 2 });
    expect(model.details(syntheticRef(4, 3))?.finalized).toBe(true);
    expect(model.details(syntheticRef(5, 0))?.finalized).toBe(false);

    const before = model.version();
    model.setObserver(1);
    expect(model.version()).toBeGreaterThan(before);
    expect(model.decision(2)).toBeUndefined();
    expect(model.finalizedRound()).toBe(1);
    expect(model.finalizedRound(0)).toBe(4);
  });

  it('ignores a repeated decision', () => {
    const model = modelOf({ validators: 4, rounds: 3 });
    expect(model.ingest(skipped(2, 1, 1))).toBe('applied');
    const version = model.version();
    expect(model.ingest(skipped(2, 1, 1))).toBe('duplicate');
    expect(model.version()).toBe(version);
    expect(model.stats(2).skippedLeaders).toBe(1);
  });

  it('tracks certificates and accepted-by counts', () => {
    const model = modelOf({ validators: 4, rounds: 2 });
    const ref = syntheticRef(2, 1);
    model.ingest({ type: 'vertexAccepted', timeMs: 0, by: 0, ref });
    model.ingest({ type: 'vertexAccepted', timeMs: 0, by: 3, ref });
    expect(model.ingest({ type: 'vertexAccepted', timeMs: 0, by: 3, ref })).toBe('duplicate');
    expect(model.details(ref)).toMatchObject({ acceptedByCount: 2, acceptedByObserver: true });
    model.setObserver(2);
    expect(model.details(ref)?.acceptedByObserver).toBe(false);
    model.ingest({ type: 'certified', timeMs: 0, by: 2, sequence: 7, lastCommitIndex: 3 });
    expect(model.stats().lastCertifiedSequence).toBe(7);
  });
});

describe('vertex details', () => {
  it('names the phase a vertex plays for each leader', () => {
    const model = modelOf({ validators: 4, rounds: 5 });
    model.ingest(committed(0, 1, syntheticRef(3, 3)));
    const details = model.details(syntheticRef(3, 0));
    expect(details?.roles).toEqual([
      { phase: 'prepare', leaderRound: 2, leader: 2, leaderVertex: syntheticRef(2, 2) },
      { phase: 'commit', leaderRound: 1, leader: 1, leaderVertex: syntheticRef(1, 1) },
    ]);
    expect(details?.parents.map((p) => p.known)).toEqual([true, true, true, true]);
    const leader = model.details(syntheticRef(3, 3));
    expect(leader?.roles[0]).toMatchObject({ phase: 'pre-prepare', leaderRound: 3, leader: 3, decision: { status: 'committed', index: 1 } });
  });

  it('names blame for a vertex that omits the previous leader', () => {
    const model = modelOf({ validators: 4, rounds: 3, links: (child, parent) => !(child.author === 0 && parent.author === 1) });
    expect(model.details(syntheticRef(2, 0))?.roles).toContainEqual({ phase: 'blame', leaderRound: 1, leader: 1 });
  });

  it('reports unknown parents and unknown vertices', () => {
    const model = createDagModel({ stakes: EQUAL4 });
    model.ingestAll(syntheticDag({ validators: 4, rounds: 3 }).filter((e) => e.round !== 2));
    expect(model.details(syntheticRef(3, 1))?.parents.every((p) => !p.known)).toBe(true);
    expect(model.details(syntheticRef(2, 1))).toBeUndefined();
  });
});

describe('queries for the renderer', () => {
  it('returns the vertices and edges of a round window only', () => {
    const model = modelOf({ validators: 4, rounds: 10 });
    expect(model.verticesInRounds(4, 6)).toHaveLength(12);
    expect(model.verticesInRounds(9, 40)).toHaveLength(8);
    let edges = 0;
    let missing = 0;
    model.forEachEdgeInRounds(4, 6, (child, parentRef, parent) => {
      edges++;
      expect(child.round).toBeGreaterThanOrEqual(4);
      expect(parent?.key ?? 'none').toBe(model.vertex(parentRef)?.key ?? 'none');
      if (parent === undefined) missing++;
    });
    expect(edges).toBe(48);
    expect(missing).toBe(0);
    expect(model.roundRange()).toEqual({ lowest: 1, highest: 10 });
  });

  it('picks the newest leader with round r+2 present for highlighting', () => {
    const model = modelOf({ validators: 4, rounds: 10 });
    expect(model.latestLeaderRound()).toBe(8);
    const young = modelOf({ validators: 4, rounds: 1 });
    expect(young.latestLeaderRound()).toBe(1);
  });
});

describe('bounded memory', () => {
  it('keeps at most maxRounds rounds and summarizes the dropped ones', () => {
    const model = modelOf({ validators: 4, rounds: 30 }, EQUAL4, 10);
    model.ingest(committed(0, 1, syntheticRef(5, 1)));
    expect(model.roundRange()).toEqual({ lowest: 21, highest: 30 });
    expect(model.verticesInRounds(1, 30)).toHaveLength(40);
    expect(model.vertex(syntheticRef(20, 0))).toBeUndefined();
    expect(model.vertex(syntheticRef(21, 0))).toBeDefined();
    expect(model.dropped()).toEqual({ rounds: 20, vertices: 80, transactions: 800 });
    expect(model.phases(5)).toBeUndefined();
    // Totals outlive their rounds: the finalized region is still known.
    expect(model.finalizedRound()).toBe(5);
    const stale = syntheticDag({ validators: 4, rounds: 2 })[5];
    expect(stale === undefined ? 'missing' : model.ingest(stale)).toBe('outside-window');
    // An edge into a dropped round has no parent vertex.
    let missing = 0;
    model.forEachEdgeInRounds(21, 21, (_c, _r, parent) => { if (parent === undefined) missing++; });
    expect(missing).toBe(16);
  });

  it('survives a jump far ahead without walking every skipped round', () => {
    const model = modelOf({ validators: 4, rounds: 5 }, EQUAL4, 10);
    model.ingest({ type: 'vertexProposed', timeMs: 0, epoch: 0, author: 0, round: 1_000_000_000, digest: 'ab', parents: [], transactions: 0, bytes: 1 });
    expect(model.roundRange()).toEqual({ lowest: 1_000_000_000 - 9, highest: 1_000_000_000 });
    expect(model.dropped().vertices).toBe(20);
  });
});

describe('input checks', () => {
  it('throws on out-of-shape events (a bug of the adapter)', () => {
    const model = createDagModel({ stakes: EQUAL4 });
    const good = syntheticDag({ validators: 4, rounds: 2 })[4]!;
    expect(() => model.ingest({ ...good, author: 4 })).toThrow(RangeError);
    expect(() => model.ingest({ ...good, digest: 'XYZ' })).toThrow(RangeError);
    expect(() => model.ingest({ ...good, parents: [syntheticRef(2, 0)] })).toThrow(/not below/);
    expect(() => createDagModel({ stakes: [] })).toThrow(RangeError);
    expect(() => createDagModel({ stakes: [1, 0] })).toThrow(RangeError);
    expect(() => createDagModel({ stakes: EQUAL4, maxRounds: 2 })).toThrow(RangeError);
    expect(() => model.setObserver(9)).toThrow(RangeError);
    expect(model.ingest(good)).toBe('applied');
    expect(model.ingest(good)).toBe('duplicate');
  });
});

describe('order independence (property)', () => {
  it('phases and slot order depend on the DAG, not on the arrival order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 7 }), fc.integer({ min: 1, max: 2 ** 31 }), fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), (validators, seed, dropLink) => {
        const options: SyntheticDagOptions = {
          validators,
          rounds: 5,
          equivocations: [{ round: 2, author: 2 }],
          links: (child, parent) => parent.round === 2 && parent.author === 2 ? child.author % 2 === parseInt(parent.digest, 16) % 10 : !dropLink[(child.round * 7 + child.author * 3 + parent.author) % 64],
        };
        const stakes = Array.from({ length: validators }, (_, i) => 1 + (i % 3));
        const inOrder = createDagModel({ stakes, leaderOf: roundRobinLeader(validators) });
        inOrder.ingestAll(syntheticDag(options));
        const shuffledModel = createDagModel({ stakes, leaderOf: roundRobinLeader(validators) });
        shuffledModel.ingestAll(shuffled(syntheticDag(options), seed));
        for (let round = 1; round <= 5; round++) {
          const a = inOrder.phases(round);
          const b = shuffledModel.phases(round);
          expect(b?.candidates.map((c) => [c.vertex.key, c.prepares.map((v) => v.key), c.commits.map((v) => v.key)])).toEqual(
            a?.candidates.map((c) => [c.vertex.key, c.prepares.map((v) => v.key), c.commits.map((v) => v.key)]),
          );
          // Commit implies the prepare quorum it was built on.
          for (const c of a?.candidates ?? []) if (c.commits.length > 0) expect(c.hasQuorumPrepare).toBe(true);
          expect(shuffledModel.verticesInRounds(round, round).map((v) => v.key)).toEqual(inOrder.verticesInRounds(round, round).map((v) => v.key));
        }
      }),
      { numRuns: 40 },
    );
  });
});
