import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRefs, refKey } from './_ref.ts';
import { selectParents } from './parents.ts';
import { createDagStore } from './store.ts';
import { CHAIN, fakeSigned, limits, makeCommittee, randomDag, vertex } from './test/fixtures.ts';
import { validateVertex } from './validate.ts';
import { vertexRef, type Vertex } from './vertex.ts';

const { committee } = makeCommittee(4);
const room = { maxParents: 256, maxWeakLinks: 16 };

function storeWith(vs: readonly Vertex[]) {
  const store = createDagStore(committee);
  for (const v of vs) {
    const r = store.insert(fakeSigned(v));
    if (!r.ok || r.value.status !== 'accepted') throw new Error(`setup: ${r.ok ? r.value.status : r.error.code}`);
  }
  return store;
}

const r1 = [0, 1, 2, 3].map((author) => vertex({ round: 1, author }));
const r1Refs = r1.map(vertexRef);

describe('selectParents', () => {
  it('round 1 has no parents; round 0 is a caller bug', () => {
    expect(selectParents(storeWith([]), committee, 1, room)).toEqual({ ok: true, value: [] });
    expect(() => selectParents(storeWith([]), committee, 0, room)).toThrow(RangeError);
  });

  it('takes every author of round r - 1, in canonical order, once it has a quorum', () => {
    const store = storeWith(r1.slice(0, 2));
    const none = selectParents(store, committee, 2, room);
    expect(none.ok ? 'OK' : none.error).toEqual({ code: 'NO_QUORUM', round: 1, stake: 200n, quorumStake: 267n });
    const full = storeWith(r1);
    const r = selectParents(full, committee, 2, room);
    expect(r.ok && r.value.map(refKey)).toEqual([...r1Refs].sort(compareRefs).map(refKey));
  });

  it('for an equivocating author, the lowest digest', () => {
    const twin = vertex({ round: 1, author: 2, transactions: [Uint8Array.of(9)] });
    const store = storeWith([...r1, twin]);
    const r = selectParents(store, committee, 2, room);
    const chosen = r.ok ? r.value.filter((p) => p.author === 2) : [];
    expect(chosen).toHaveLength(1);
    const lowest = [vertexRef(r1[2]!), vertexRef(twin)].sort(compareRefs)[0]!;
    expect(refKey(chosen[0]!)).toBe(refKey(lowest));
  });

  it('weak-links a straggler nobody referenced, not one already in the history, within the bounds', () => {
    // Round 2 built by 0, 1, 2 on round-1 vertices of 0, 1, 2 only: author 3's round-1 vertex is a straggler.
    const r2 = [0, 1, 2].map((author) => vertex({ round: 2, author, parents: r1Refs.slice(0, 3), timestampMs: 2_000 }));
    const store = storeWith([...r1, ...r2]);
    const r = selectParents(store, committee, 3, room);
    expect(r.ok && r.value.map(refKey)).toEqual([r1Refs[3]!, ...r2.map(vertexRef)].map(refKey));
    const noWeak = selectParents(store, committee, 3, { maxParents: 256, maxWeakLinks: 0 });
    expect(noWeak.ok && noWeak.value).toHaveLength(3);
    const tight = selectParents(store, committee, 3, { maxParents: 3, maxWeakLinks: 16 });
    expect(tight.ok && tight.value).toHaveLength(3);
  });

  it('weak links come from tips: the newest straggler of a chain covers the older one, and a referenced twin\'s slot is skipped', () => {
    // Author 3 builds its own chain r1 -> r2 that nobody references; the others build on 0, 1, 2 only.
    const r2Straggler = vertex({ round: 2, author: 3, parents: r1Refs, timestampMs: 2_000 });
    const r2 = [0, 1, 2].map((author) => vertex({ round: 2, author, parents: r1Refs.slice(0, 3), timestampMs: 2_000 }));
    const r3 = [0, 1, 2].map((author) => vertex({ round: 3, author, parents: r2.map(vertexRef), timestampMs: 3_000 }));
    const store = storeWith([...r1, ...r2, r2Straggler, ...r3]);
    expect([...store.tips()].map((t) => refKey(t.ref)).sort()).toEqual([vertexRef(r2Straggler), ...r3.map(vertexRef)].map(refKey).sort());
    const r = selectParents(store, committee, 4, room);
    const weak = r.ok ? r.value.filter((p) => p.round < 3) : [];
    // Only the round-2 straggler: it covers author 3's round-1 vertex below it.
    expect(weak.map(refKey)).toEqual([refKey(vertexRef(r2Straggler))]);
    // A twin of a referenced slot is not linked: author 0 equivocates at round 1, the twin stays a tip.
    const twin = vertex({ round: 1, author: 0, transactions: [Uint8Array.of(7)] });
    const withTwin = storeWith([...r1, twin, ...r2, ...r3]);
    const t = selectParents(withTwin, committee, 4, room);
    expect(t.ok && t.value.some((p) => refKey(p) === refKey(vertexRef(twin)))).toBe(false);
    expect(t.ok && t.value.some((p) => refKey(p) === refKey(r1Refs[3]!))).toBe(true);
  });

  it('what it selects always passes validation (random DAGs, every round)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const store = createDagStore(committee);
        for (const s of randomDag(seed, 4, 5, true)) store.insert(fakeSigned(s.vertex));
        for (let round = 2; round <= 6; round++) {
          const parents = selectParents(store, committee, round, limits);
          if (!parents.ok) throw new Error(parents.error.code);
          const own = vertex({ round, author: 0, parents: parents.value, timestampMs: 10_000 });
          const ctx = { chainId: CHAIN, committee, limits, highestKnownRound: store.highestRound(), gcRound: store.lowestRound(), nowMs: 10_000 };
          const r = validateVertex(fakeSigned(own), ctx);
          expect(r.ok ? 'OK' : r.error.code).toBe('OK');
          expect(parents.value.every((p) => store.has(p))).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });
});
