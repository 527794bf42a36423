import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDagStore, type DagStore, type EquivocationPair, type InsertOutcome } from './store.ts';
import { CHAIN, fakeSigned, limits, makeCommittee, prng, randomDag, shuffle, vertex } from './test/fixtures.ts';
import { refKey } from './_ref.ts';
import type { VertexRef } from './types.ts';
import { validateVertex } from './validate.ts';
import { vertexRef, type SignedVertex, type Vertex } from './vertex.ts';

const { committee } = makeCommittee(4);
const committee7 = makeCommittee(7).committee;

const keyOf = (s: SignedVertex): string => refKey(vertexRef(s.vertex));
const refsOf = (round: number, vs: readonly Vertex[]): VertexRef[] => vs.filter((v) => v.round === round).map(vertexRef);

function ok<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

/** Round 1 by all four, round 2 by all four naming all of round 1. */
function twoRounds(): { r1: Vertex[]; r2: Vertex[] } {
  const r1 = [0, 1, 2, 3].map((author) => vertex({ round: 1, author, timestampMs: 1_000 + author }));
  const r2 = [0, 1, 2, 3].map((author) => vertex({ round: 2, author, parents: refsOf(1, r1), timestampMs: 2_000 }));
  return { r1, r2 };
}

function insertAll(store: DagStore, signed: readonly SignedVertex[]): { accepted: string[]; pairs: EquivocationPair[]; outcomes: InsertOutcome[] } {
  const accepted: string[] = [];
  const pairs: EquivocationPair[] = [];
  const outcomes: InsertOutcome[] = [];
  for (const s of signed) {
    const out = ok(store.insert(s));
    outcomes.push(out);
    if (out.status === 'accepted') {
      accepted.push(...out.accepted.map((v) => refKey(v.ref)));
      pairs.push(...out.equivocations);
      expect(out.rejected).toEqual([]);
    }
  }
  return { accepted, pairs, outcomes };
}

describe('DagStore basics', () => {
  it('accepts vertices whose parents are present and answers the DagView questions', () => {
    const store = createDagStore(committee);
    const { r1, r2 } = twoRounds();
    insertAll(store, [...r1, ...r2.slice(0, 2)].map(fakeSigned));
    expect(store.highestRound()).toBe(2);
    expect(store.lowestRound()).toBe(0);
    expect(store.round(1).map((v) => v.ref.author)).toEqual([0, 1, 2, 3]);
    expect(store.slot(2, 1)).toHaveLength(1);
    expect(store.slot(2, 3)).toHaveLength(0);
    expect(store.get(vertexRef(r2[0]!))?.signed.vertex).toBe(r2[0]);
    expect(store.has(vertexRef(r2[3]!))).toBe(false);
    expect(store.roundStake(1)).toBe(400n);
    expect(store.roundHasQuorum(1)).toBe(true);
    expect(store.roundHasQuorum(2)).toBe(false); // 2 of 4: 200 < 267
    insertAll(store, [fakeSigned(r2[2]!)]);
    expect(store.roundHasQuorum(2)).toBe(true);
  });

  it('a re-sent vertex is a duplicate, accepted or pending', () => {
    const store = createDagStore(committee);
    const { r1, r2 } = twoRounds();
    ok(store.insert(fakeSigned(r1[0]!)));
    expect(ok(store.insert(fakeSigned(r1[0]!)))).toEqual({ status: 'duplicate' });
    expect(ok(store.insert(fakeSigned(r2[0]!))).status).toBe('pending');
    expect(ok(store.insert(fakeSigned(r2[0]!)))).toEqual({ status: 'duplicate' });
  });

  it('buffers a vertex with missing parents, reports them, and releases children in causal order', () => {
    const store = createDagStore(committee);
    const { r1, r2 } = twoRounds();
    const r3 = vertex({ round: 3, author: 0, parents: refsOf(2, r2).slice(0, 3), timestampMs: 3_000 });
    const first = ok(store.insert(fakeSigned(r3)));
    expect(first.status === 'pending' && first.missing.map(refKey).sort()).toEqual(refsOf(2, r2).slice(0, 3).map(refKey).sort());
    for (const v of r2.slice(0, 3)) expect(ok(store.insert(fakeSigned(v))).status).toBe('pending');
    expect(store.pendingCount()).toBe(4);
    // The round-2 vertices wait on round 1: those are what is left to fetch.
    expect(store.missingRefs().map(refKey).sort()).toEqual(refsOf(1, r1).map(refKey).sort());
    insertAll(store, r1.slice(0, 3).map(fakeSigned));
    const last = ok(store.insert(fakeSigned(r1[3]!)));
    if (last.status !== 'accepted') throw new Error(last.status);
    expect(last.accepted.map((v) => v.ref.round)).toEqual([1, 2, 2, 2, 3]);
    expect(store.pendingCount()).toBe(0);
    expect(store.missingRefs()).toEqual([]);
  });

  it('accept() asserts its precondition: parents present, above gc, not yet accepted', () => {
    const store = createDagStore(committee);
    const { r1, r2 } = twoRounds();
    expect(() => store.accept(fakeSigned(r2[0]!))).toThrow(/parent is missing/);
    ok(store.accept(fakeSigned(r1[0]!)));
    expect(() => store.accept(fakeSigned(r1[0]!))).toThrow(/already accepted/);
    expect(() => store.insert(fakeSigned(vertex({ author: 9 })))).toThrow(RangeError);
  });

  it('refuses a timestamp before a parent, and drops the buffered descendants of the refused vertex', () => {
    const store = createDagStore(committee);
    const { r1 } = twoRounds();
    const early = vertex({ round: 2, author: 0, parents: refsOf(1, r1), timestampMs: 1_002 });
    const child = vertex({ round: 3, author: 1, parents: [vertexRef(early)], timestampMs: 5_000 });
    expect(ok(store.insert(fakeSigned(early))).status).toBe('pending');
    expect(ok(store.insert(fakeSigned(child))).status).toBe('pending');
    insertAll(store, r1.slice(0, 3).map(fakeSigned));
    const out = ok(store.insert(fakeSigned(r1[3]!)));
    if (out.status !== 'accepted') throw new Error(out.status);
    expect(out.rejected.map((r) => r.reject.code)).toEqual(['TIMESTAMP_BEFORE_PARENTS']);
    expect(out.droppedPending).toBe(1);
    expect(store.pendingCount()).toBe(0);
    const direct = store.insert(fakeSigned({ ...early, transactions: [Uint8Array.of(1)] }));
    expect(direct.ok ? direct.value.status : direct.error.code).toBe('TIMESTAMP_BEFORE_PARENTS');
  });

  it('tips and isReferenced: a vertex stops being a tip at its first accepted child; gc drops both', () => {
    const store = createDagStore(committee);
    const { r1, r2 } = twoRounds();
    const tipKeys = (): string[] => [...store.tips()].map((t) => refKey(t.ref)).sort();
    insertAll(store, r1.map(fakeSigned));
    expect(tipKeys()).toEqual(refsOf(1, r1).map(refKey).sort());
    expect(store.isReferenced(vertexRef(r1[0]!))).toBe(false);
    insertAll(store, [fakeSigned(r2[0]!)]);
    expect(tipKeys()).toEqual([refKey(vertexRef(r2[0]!))]);
    expect(r1.every((v) => store.isReferenced(vertexRef(v)))).toBe(true);
    insertAll(store, [fakeSigned(r2[1]!)]);
    expect(tipKeys()).toEqual([r2[0]!, r2[1]!].map((v) => refKey(vertexRef(v))).sort());
    expect(store.isReferenced(vertexRef(r2[1]!))).toBe(false);
    store.gc(2);
    expect(store.slot(1, 0)).toEqual([]);
    expect(store.isReferenced(vertexRef(r1[0]!))).toBe(false); // no longer held
    expect(tipKeys()).toHaveLength(2);
    store.gc(3);
    expect(tipKeys()).toEqual([]);
    expect(store.slot(2, 0)).toEqual([]);
    expect(store.roundStake(2)).toBe(0n);
  });

  it('ancestors: breadth first, bounded, strict', () => {
    const store = createDagStore(committee);
    const { r1, r2 } = twoRounds();
    insertAll(store, [...r1, ...r2].map(fakeSigned));
    const all = [...store.ancestors(vertexRef(r2[0]!), 100)];
    expect(all.map((v) => v.ref.round)).toEqual([1, 1, 1, 1]);
    expect([...store.ancestors(vertexRef(r2[0]!), 2)]).toHaveLength(2);
    expect([...store.ancestors(vertexRef(r1[0]!), 100)]).toEqual([]);
  });
});

describe('DagStore: delivery order does not matter', () => {
  it('random permutations of a random valid DAG (with equivocations) give the same store', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 4, max: 7 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed, n, orderSeed) => {
        const c = n === 4 ? committee : committee7.members.length === n ? committee7 : makeCommitteeCached(n);
        const dag = randomDag(seed, n, 6, true);
        const inOrder = createDagStore(c);
        const base = insertAll(inOrder, dag);
        const shuffled = createDagStore(c);
        const got = insertAll(shuffled, shuffle([...dag], prng(orderSeed)));
        expect(shuffled.pendingCount()).toBe(0);
        expect(new Set(got.accepted)).toEqual(new Set(dag.map(keyOf)));
        expect(got.accepted).toHaveLength(dag.length); // each accepted exactly once
        for (let r = 1; r <= 6; r++) expect(shuffled.round(r).map((v) => refKey(v.ref))).toEqual(inOrder.round(r).map((v) => refKey(v.ref)));
        // Causal order: every vertex is reported after all of its parents.
        const position = new Map(got.accepted.map((k, i) => [k, i]));
        for (const s of dag) for (const p of s.vertex.parents) expect(position.get(refKey(p))!).toBeLessThan(position.get(keyOf(s))!);
        // Equivocation pairs: the same unordered pairs, each exactly once.
        const pairKey = (p: EquivocationPair): string => [keyOf(p.first), keyOf(p.second)].sort().join('|');
        expect(got.pairs.map(pairKey).sort()).toEqual(base.pairs.map(pairKey).sort());
        expect(new Set(got.pairs.map(pairKey)).size).toBe(got.pairs.length);
      }),
      { numRuns: 60 },
    );
  });
});

const committees = new Map<number, ReturnType<typeof makeCommittee>['committee']>();
function makeCommitteeCached(n: number): ReturnType<typeof makeCommittee>['committee'] {
  const c = committees.get(n) ?? makeCommittee(n).committee;
  committees.set(n, c);
  return c;
}

describe('DagStore: equivocation', () => {
  it('keeps both vertices of a slot and reports each pair once', () => {
    const store = createDagStore(committee);
    const a = vertex({ round: 1, author: 2, transactions: [Uint8Array.of(1)] });
    const b = vertex({ round: 1, author: 2, transactions: [Uint8Array.of(2)] });
    const c = vertex({ round: 1, author: 2, transactions: [Uint8Array.of(3)] });
    expect(insertAll(store, [fakeSigned(a)]).pairs).toEqual([]);
    const second = insertAll(store, [fakeSigned(b), fakeSigned(b)]).pairs;
    expect(second.map((p) => [p.first.vertex, p.second.vertex])).toEqual([[a, b]]);
    const third = insertAll(store, [fakeSigned(c)]).pairs;
    expect(third.map((p) => p.second.vertex)).toEqual([c, c]);
    expect(new Set(third.map((p) => p.first.vertex))).toEqual(new Set([a, b]));
    expect(store.slot(1, 2)).toHaveLength(3);
    expect(store.roundStake(1)).toBe(100n); // one author, counted once
  });

  it('caps a slot, unless a buffered vertex references the extra equivocation', () => {
    const store = createDagStore(committee, { maxVerticesPerSlot: 2 });
    const twins = [1, 2, 3].map((t) => vertex({ round: 1, author: 0, transactions: [Uint8Array.of(t)] }));
    insertAll(store, twins.slice(0, 2).map(fakeSigned));
    const refused = store.insert(fakeSigned(twins[2]!));
    expect(refused.ok ? refused.value.status : refused.error).toEqual({ code: 'SLOT_FULL', round: 1, author: 0, max: 2 });
    const others = [1, 2].map((author) => vertex({ round: 1, author }));
    insertAll(store, others.map(fakeSigned));
    const builder = vertex({ round: 2, author: 1, parents: [vertexRef(twins[2]!), ...refsOf(1, others)], timestampMs: 2_000 });
    expect(ok(store.insert(fakeSigned(builder))).status).toBe('pending');
    const now = ok(store.insert(fakeSigned(twins[2]!)));
    if (now.status !== 'accepted') throw new Error(now.status);
    expect(now.accepted.map((v) => v.ref.round)).toEqual([1, 2]);
    expect(now.equivocations).toHaveLength(2);
  });
});

describe('DagStore: bounded under flooding', () => {
  const orphan = (round: number, author: number, tag: number): Vertex =>
    vertex({ round, author, parents: [0, 1, 2].map((a) => ({ round: round - 1, author: a, digest: new Uint8Array(32).fill(tag) })), timestampMs: 1 });

  it('far-future rounds are refused before they reach the buffer', () => {
    const store = createDagStore(committee);
    const ctx = { chainId: CHAIN, committee, limits, highestKnownRound: store.highestRound(), gcRound: store.lowestRound(), nowMs: 10_000 };
    const r = validateVertex(fakeSigned(orphan(limits.maxFutureRounds + 1, 0, 1)), ctx);
    expect(r.ok ? 'OK' : r.error.code).toBe('ROUND_TOO_FAR_AHEAD');
    expect(validateVertex(fakeSigned(orphan(limits.maxFutureRounds, 0, 1)), ctx).ok).toBe(true);
  });

  it('per-author cap: a flooding author fills only its own share, which keeps its lowest rounds', () => {
    const store = createDagStore(committee, { maxPendingPerAuthor: 5, maxPendingVertices: 100 });
    let refused = 0;
    // Rounds 21 down to 2, then 21 down to 2 again with other digests: each lower one evicts a higher one.
    for (let i = 0; i < 40; i++) {
      const r = store.insert(fakeSigned(orphan(21 - (i % 20), 3, i)));
      if (!r.ok) {
        expect(r.error).toEqual({ code: 'PENDING_FULL', scope: 'author', author: 3 });
        refused++;
      }
    }
    // Every insert found a higher round to evict except those at or above the share's highest (rounds 6 and up, second pass).
    expect(refused).toBe(16);
    expect(store.pendingCount()).toBe(5);
    expect(store.missingRefs().every((ref) => ref.round <= 5)).toBe(true);
    // A higher round than everything held is refused, not swapped in.
    const high = store.insert(fakeSigned(orphan(30, 3, 77)));
    expect(high.ok ? high.value.status : high.error.code).toBe('PENDING_FULL');
    expect(ok(store.insert(fakeSigned(orphan(2, 1, 99)))).status).toBe('pending');
  });

  it('a catching-up chain longer than the share completes from the bottom: evicted vertices are missing again and fetched later', () => {
    const store = createDagStore(committee, { maxPendingPerAuthor: 3, maxPendingVertices: 100 });
    // Rounds 1..8 of author 0 and 1..8 of authors 1, 2, each round's parents all three authors of the round below.
    const chain = (round: number, author: number): Vertex =>
      vertex({ round, author, parents: round === 1 ? [] : [0, 1, 2].map((a) => ({ round: round - 1, author: a, digest: digestOf(round - 1, a) })), timestampMs: round });
    const digestOf = (round: number, author: number): Uint8Array => vertexRef(chain(round, author)).digest;
    // Arrive top-down, as fetches of missing parents do: the share is 3 rounds per author.
    for (let round = 8; round >= 2; round--) for (const a of [0, 1, 2]) store.insert(fakeSigned(chain(round, a)));
    expect(store.pendingCount()).toBe(9);
    for (const a of [0, 1, 2]) ok(store.insert(fakeSigned(chain(1, a))));
    // Rounds 2..4 were held and are accepted now; 5..8 were evicted and are what is missing.
    expect(store.highestRound()).toBe(4);
    expect(store.missingRefs().map((r) => r.round).sort()).toEqual([]);
    for (let round = 5; round <= 8; round++) for (const a of [0, 1, 2]) expect(ok(store.insert(fakeSigned(chain(round, a)))).status).toBe('accepted');
    expect(store.highestRound()).toBe(8);
  });

  it('total and byte caps hold whatever the mix of authors', () => {
    const store = createDagStore(committee, { maxPendingPerAuthor: 100, maxPendingVertices: 7 });
    const codes = Array.from({ length: 40 }, (_, i) => store.insert(fakeSigned(orphan(3, i % 4, i)))).map((r) => (r.ok ? r.value.status : r.error.code));
    expect(codes.filter((c) => c === 'pending')).toHaveLength(7);
    expect(store.pendingCount()).toBe(7);
    const small = createDagStore(committee, { maxPendingBytes: 13_000 });
    const big = (i: number): Vertex => ({ ...orphan(3, 0, i), transactions: [new Uint8Array(3_000)] });
    const results = [0, 1, 2, 3].map((i) => small.insert(fakeSigned(big(i))));
    expect(results.map((r) => (r.ok ? r.value.status : r.error.code))).toEqual(['pending', 'pending', 'PENDING_FULL', 'PENDING_FULL']);
  });
});

describe('DagStore: garbage collection', () => {
  it('drops rounds below the gc round, refuses them afterwards, and releases buffered vertices whose parents fell below it', () => {
    const store = createDagStore(committee);
    const { r1, r2 } = twoRounds();
    insertAll(store, [...r1, ...r2].map(fakeSigned));
    const r3 = [0, 1, 2].map((author) => vertex({ round: 3, author, parents: refsOf(2, r2), timestampMs: 3_000 }));
    insertAll(store, r3.map(fakeSigned));
    // A round-4 vertex naming a round-3 vertex we never got: it waits.
    const ghost = vertex({ round: 3, author: 3, timestampMs: 3_000, parents: refsOf(2, r2), transactions: [Uint8Array.of(7)] });
    const waiting = vertex({ round: 4, author: 0, parents: [...refsOf(3, r3), vertexRef(ghost)].sort((a, b) => a.author - b.author), timestampMs: 4_000 });
    const stale = vertex({ round: 2, author: 3, parents: [{ round: 1, author: 0, digest: new Uint8Array(32) }, ...refsOf(1, r1).slice(1)], timestampMs: 2_000 });
    expect(ok(store.insert(fakeSigned(waiting))).status).toBe('pending');
    expect(ok(store.insert(fakeSigned(stale))).status).toBe('pending');
    const out = store.gc(4);
    expect(out.dropped).toHaveLength(4 + 4 + 3);
    expect(out.droppedPending).toBe(1);
    expect(out.released.accepted.map((v) => v.ref.round)).toEqual([4]);
    expect(store.lowestRound()).toBe(4);
    expect(store.round(2)).toEqual([]);
    expect(store.has(vertexRef(r1[0]!))).toBe(false);
    expect(store.roundStake(3)).toBe(0n);
    expect(store.highestRound()).toBe(4);
    const again = store.insert(fakeSigned(r3[0]!));
    expect(again.ok ? again.value.status : again.error).toEqual({ code: 'BELOW_GC', round: 3, gcRound: 4 });
    expect(store.gc(2).dropped).toEqual([]); // never moves back
    expect(store.lowestRound()).toBe(4);
  });
});
