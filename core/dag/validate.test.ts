import { describe, expect, it } from 'vitest';
import { verifySignature } from '../crypto/index.ts';
import { createCommittee } from '../consensus/committee.ts';
import { backend, CHAIN, fakeSigned, limits, makeCommittee, realSigned, vertex } from './test/fixtures.ts';
import type { VertexRef } from './types.ts';
import { checkParentTimestamps, validateVertex, VERTEX_REJECT_CODES, type ValidateContext, type VertexRejectCode } from './validate.ts';
import { vertexDigest, type SignedVertex, type Vertex } from './vertex.ts';

const { committee, keys } = makeCommittee(4);
const ctx: ValidateContext = { chainId: CHAIN, committee, limits, highestKnownRound: 10, gcRound: 2, nowMs: 10_000 };
const d = (fill: number): Uint8Array => new Uint8Array(32).fill(fill);
const ref = (round: number, author: number, fill = author + 1): VertexRef => ({ round, author, digest: d(fill) });
const quorumParents = [ref(4, 0), ref(4, 1), ref(4, 2)];
const good = vertex({ round: 5, author: 0, parents: quorumParents, timestampMs: 5_000, transactions: [Uint8Array.of(1)] });

function code(v: Vertex | SignedVertex, over: Partial<ValidateContext> = {}): VertexRejectCode | 'OK' {
  const signed = 'vertex' in v ? v : fakeSigned(v);
  const r = validateVertex(signed, { ...ctx, ...over });
  return r.ok ? 'OK' : r.error.code;
}

describe('validateVertex', () => {
  it('accepts a well-formed vertex and returns its signature job, which verifies with the author key', () => {
    const signed = realSigned(good, keys[0]!);
    const r = validateVertex(signed, ctx);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.ref).toEqual({ round: 5, author: 0, digest: vertexDigest(good) });
    expect(verifySignature(backend, r.value.verifyItem)).toBe(true);
    // Validation never verifies inline: a bad signature still validates, the pool refuses it.
    const forged = { ...signed, signature: { ...signed.signature, bytes: signed.signature.bytes.map((b, i) => (i === 0 ? b ^ 1 : b)) } };
    const f = validateVertex(forged, ctx);
    expect(f.ok && verifySignature(backend, f.value.verifyItem)).toBe(false);
  });

  it('genesis rule: round 0 never exists, round 1 has no parents, round 2 needs a round-1 quorum', () => {
    expect(code(vertex({ round: 0 }), { gcRound: 0 })).toBe('GENESIS_ROUND');
    expect(code(vertex({ round: 1 }), { gcRound: 0 })).toBe('OK');
    expect(code(vertex({ round: 1, parents: [ref(0, 1)] }), { gcRound: 0 })).toBe('GENESIS_WITH_PARENTS');
    expect(code(vertex({ round: 2, parents: [ref(1, 0), ref(1, 1), ref(1, 2)] }), { gcRound: 0 })).toBe('OK');
  });

  const cases: readonly [VertexRejectCode, Vertex | SignedVertex, Partial<ValidateContext>?][] = [
    ['WRONG_CHAIN', { ...good, chainId: 'other-chain' }],
    ['WRONG_EPOCH', { ...good, epoch: 4n }],
    ['UNKNOWN_AUTHOR', { ...good, author: 4 }],
    ['BELOW_GC', good, { gcRound: 6 }],
    ['ROUND_TOO_FAR_AHEAD', { ...good, round: 10 + limits.maxFutureRounds + 1, parents: [] }],
    ['TIMESTAMP_TOO_FAR_AHEAD', { ...good, timestampMs: 10_000 + limits.maxForwardDriftMs + 1 }],
    ['SCHEME_MISMATCH', { vertex: good, signature: { scheme: 'ml-dsa-65', bytes: new Uint8Array(3309) } }],
    ['CHECKPOINT_SCHEME_MISMATCH', { ...good, checkpointSignature: { sequence: 1n, checkpointHash: new Uint8Array(32), signature: { scheme: 'falcon-512', bytes: new Uint8Array(600) } } }],
    ['TOO_MANY_PARENTS', { ...good, parents: quorumParents }, { limits: { ...limits, maxParents: 2 } }],
    ['PARENTS_NOT_SORTED', { ...good, parents: [ref(4, 1), ref(4, 0), ref(4, 2)] }],
    ['DUPLICATE_PARENT', { ...good, parents: [ref(4, 0), ref(4, 0), ref(4, 1), ref(4, 2)] }],
    ['PARENT_ROUND_NOT_BELOW', { ...good, parents: [...quorumParents, ref(5, 3)] }],
    ['UNKNOWN_PARENT_AUTHOR', { ...good, parents: [...quorumParents, ref(4, 9)] }],
    ['MULTIPLE_PARENTS_PER_AUTHOR', { ...good, parents: [ref(4, 0), ref(4, 1, 7), ref(4, 1, 8), ref(4, 2)] }],
    ['TOO_MANY_WEAK_LINKS', { ...good, parents: [ref(2, 3), ref(3, 3), ...quorumParents] }, { limits: { ...limits, maxWeakLinks: 1 } }],
    ['PARENTS_NO_QUORUM', { ...good, parents: [ref(3, 2), ref(4, 0), ref(4, 1)] }],
    ['TOO_MANY_TRANSACTIONS', { ...good, transactions: [Uint8Array.of(1), Uint8Array.of(2)] }, { limits: { ...limits, maxTransactionsPerVertex: 1 } }],
    ['TRANSACTION_TOO_LARGE', { ...good, transactions: [new Uint8Array(limits.maxTransactionBytes + 1)] }],
    ['TRANSACTIONS_TOO_LARGE', { ...good, transactions: [new Uint8Array(60), new Uint8Array(60)] }, { limits: { ...limits, maxVertexTransactionBytes: 100 } }],
    ['TOO_MANY_EVIDENCE', { ...good, evidence: [Uint8Array.of(1), Uint8Array.of(2)] }, { limits: { ...limits, maxEvidencePerVertex: 1 } }],
  ];
  for (const [expected, v, over] of cases) {
    it(`rejects ${expected}`, () => {
      expect(code(good)).toBe('OK');
      expect(code(v, over)).toBe(expected);
    });
  }

  it('accepts a weak link below the gc round (ignored: below every commit\'s gc round too)', () => {
    expect(code({ ...good, parents: [ref(1, 3), ...quorumParents] })).toBe('OK');
    // Still counted against the weak-link bound.
    expect(code({ ...good, parents: [ref(1, 3), ref(3, 3), ...quorumParents] }, { limits: { ...limits, maxWeakLinks: 1 } })).toBe('TOO_MANY_WEAK_LINKS');
  });

  it('every reject code is reached by a case above', () => {
    const reached = new Set<string>([...cases.map(([c]) => c), 'GENESIS_ROUND', 'GENESIS_WITH_PARENTS']);
    expect([...VERTEX_REJECT_CODES].filter((c) => !reached.has(c))).toEqual([]);
  });

  it('reports the cheapest failing rule first', () => {
    // Wrong chain AND no quorum AND too many transactions: the chain is named.
    expect(code({ ...good, chainId: 'x', parents: [ref(4, 0)], transactions: new Array(2000).fill(Uint8Array.of(1)) })).toBe('WRONG_CHAIN');
    expect(code({ ...good, parents: [ref(4, 0)], transactions: new Array(2000).fill(Uint8Array.of(1)) })).toBe('PARENTS_NO_QUORUM');
  });

  it('a weak link at the gc round, and timestamps up to exactly the drift, are fine', () => {
    expect(code({ ...good, parents: [ref(2, 3), ...quorumParents] })).toBe('OK');
    expect(code({ ...good, timestampMs: 10_000 + limits.maxForwardDriftMs })).toBe('OK');
    expect(code({ ...good, round: 10 + limits.maxFutureRounds, parents: [ref(39, 0), ref(39, 1), ref(39, 2)] })).toBe('OK');
  });

  it('quorum is by stake, not by count', () => {
    const heavy = makeCommittee(4, [1000n, 1n, 1n, 1n]);
    const c = { ...ctx, committee: createCommittee(heavy.committee.epoch, heavy.committee.members) };
    const heavyIndex = c.committee.members.findIndex((m) => m.stake === 1000n);
    expect(code({ ...good, parents: [ref(4, heavyIndex)] }, c)).toBe('OK');
    const light = [0, 1, 2, 3].filter((i) => i !== heavyIndex).map((i) => ref(4, i));
    expect(code({ ...good, parents: light }, c)).toBe('PARENTS_NO_QUORUM');
  });
});

describe('checkParentTimestamps', () => {
  const lookup = (r: VertexRef): number | undefined => (r.author === 3 ? undefined : 4_000 + r.author * 100);
  it('accepts equal or later timestamps and skips unknown parents', () => {
    expect(checkParentTimestamps({ ...good, timestampMs: 4_200 }, lookup).ok).toBe(true);
    expect(checkParentTimestamps({ ...good, parents: [ref(4, 3)], timestampMs: 0 }, lookup).ok).toBe(true);
  });
  it('rejects a timestamp before a parent with TIMESTAMP_BEFORE_PARENTS', () => {
    expect(checkParentTimestamps({ ...good, timestampMs: 4_199 }, lookup)).toEqual({
      ok: false,
      error: { code: 'TIMESTAMP_BEFORE_PARENTS', timestampMs: 4_199, parentTimestampMs: 4_200 },
    });
  });
});
