import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual as sameBytes, contextBytes, CONTEXTS, verifySignature } from '../crypto/index.ts';
import { addressFromPublicKey, schemeInfo } from '../crypto/index.ts';
import { decodeSlotHeader, EVIDENCE_MESSAGE_MAX_BYTES, evidenceCodec, verifyEvidence } from '../state/index.ts';
import { backend, CHAIN, EPOCH, fakeSigned, makeCommittee, realSigned, vertex } from './test/fixtures.ts';
import {
  decodeSignedVertex,
  decodeVertex,
  encodeSignedVertex,
  encodeVertex,
  signVertex,
  vertexDigest,
  vertexEquivocationEvidence,
  vertexSigningMessage,
  vertexVerifyItem,
  type Vertex,
} from './vertex.ts';
import { createLocalSigner } from '../crypto/index.ts';

const { committee, keys } = makeCommittee(4);
const key0 = keys[0]!;
const member0 = committee.members[0]!;

const refArb = fc.record({
  round: fc.nat({ max: 2 ** 40 }),
  author: fc.nat({ max: 0xffff }),
  digest: fc.uint8Array({ minLength: 32, maxLength: 32 }),
});
const vertexArb: fc.Arbitrary<Vertex> = fc.record({
  chainId: fc.string({ minLength: 1, maxLength: 10 }).filter((s) => new TextEncoder().encode(s).length <= 32),
  epoch: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  round: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  author: fc.nat({ max: 0xffff }),
  parents: fc.array(refArb, { maxLength: 5 }),
  timestampMs: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  transactions: fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 4 }),
  checkpointSignature: fc.option(
    fc.record({
      sequence: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      checkpointHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      signature: fc.constant({ scheme: 'ml-dsa-44' as const, bytes: new Uint8Array(2420).fill(7) }),
    }),
    { nil: undefined },
  ),
  evidence: fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 2 }),
});

describe('vertex codec', () => {
  it('round-trips every vertex, signed or not, and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(vertexArb, (v) => {
        const bytes = encodeVertex(v);
        const decoded = decodeVertex(bytes);
        if (!decoded.ok) throw new Error(decoded.error.code);
        expect(sameBytes(encodeVertex(decoded.value), bytes)).toBe(true);
        expect(decoded.value.round).toBe(v.round);
        expect(decoded.value.epoch).toBe(v.epoch);
        expect(sameBytes(vertexDigest(decoded.value), vertexDigest(v))).toBe(true);
        const signed = encodeSignedVertex(fakeSigned(v));
        const back = decodeSignedVertex(signed);
        if (!back.ok) throw new Error(back.error.code);
        expect(sameBytes(encodeSignedVertex(back.value), signed)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('decoded vertices are frozen, their byte fields fresh copies', () => {
    const bytes = encodeSignedVertex(fakeSigned(vertex({ round: 2, parents: [{ round: 1, author: 0, digest: new Uint8Array(32).fill(1) }], transactions: [Uint8Array.of(1, 2)] })));
    const r = decodeSignedVertex(bytes);
    if (!r.ok) throw new Error(r.error.code);
    expect(Object.isFrozen(r.value)).toBe(true);
    expect(Object.isFrozen(r.value.vertex)).toBe(true);
    expect(Object.isFrozen(r.value.vertex.parents)).toBe(true);
    expect(Object.isFrozen(r.value.vertex.parents[0])).toBe(true);
    bytes.fill(0);
    expect(r.value.vertex.transactions[0]).toEqual(Uint8Array.of(1, 2));
  });

  it('random bytes never throw: a value or a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = decodeSignedVertex(bytes);
        if (r.ok) expect(sameBytes(encodeSignedVertex(r.value), bytes)).toBe(true);
        else expect(typeof r.error.code).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('mutating one byte of a valid encoding gives an error or a different, canonical vertex', () => {
    const bytes = encodeVertex(vertex({ round: 2, parents: [{ round: 1, author: 1, digest: new Uint8Array(32).fill(9) }], transactions: [Uint8Array.of(5)] }));
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const mutated = bytes.slice();
        mutated[at] = ((mutated[at] as number) + delta) & 0xff;
        const r = decodeVertex(mutated);
        if (r.ok) expect(sameBytes(encodeVertex(r.value), mutated)).toBe(true);
      }),
    );
  });

  it('refuses an oversized input before parsing, and a timestamp above 2^53 - 1', () => {
    const bytes = encodeSignedVertex(fakeSigned(vertex()));
    const tooLarge = decodeSignedVertex(bytes, bytes.length - 1);
    expect(tooLarge.ok ? undefined : tooLarge.error.code).toBe('TOO_LARGE');
    const plain = encodeVertex(vertex({ timestampMs: 0 }));
    // The u64 timestamp sits right before the empty transaction list, option and evidence list.
    plain.set([0x00, 0x20, 0, 0, 0, 0, 0, 0], plain.length - 11);
    const r = decodeVertex(plain);
    expect(r.ok ? undefined : r.error.code).toBe('INVALID_VALUE');
  });
});

describe('vertex signature', () => {
  const v = vertex({ round: 7, author: 0, transactions: [Uint8Array.of(1)] });

  it('the signed message is slot header || chain id || author || digest, well under 1 KiB', () => {
    const message = vertexSigningMessage(v);
    const header = decodeSlotHeader(message);
    expect(header).toEqual({ epoch: EPOCH, roundOrSequence: 7n });
    const chain = new TextEncoder().encode(CHAIN);
    expect(message[16]).toBe(chain.length);
    expect(message.subarray(17, 17 + chain.length)).toEqual(chain);
    expect(message.subarray(17 + chain.length, 19 + chain.length)).toEqual(Uint8Array.of(0, 0));
    expect(message.subarray(19 + chain.length)).toEqual(vertexDigest(v));
    expect(message.length).toBe(16 + 1 + chain.length + 2 + 32);
    expect(message.length).toBeLessThanOrEqual(EVIDENCE_MESSAGE_MAX_BYTES);
  });

  it('verifies with real ML-DSA-44 under the vertex context, and not after tampering', async () => {
    const signed = await signVertex(createLocalSigner(backend, key0), v);
    expect(signed).toEqual(realSigned(v, key0)); // deterministic signing
    expect(verifySignature(backend, vertexVerifyItem(signed, member0.key))).toBe(true);
    const other = { ...signed, vertex: { ...v, timestampMs: v.timestampMs + 1 } };
    expect(verifySignature(backend, vertexVerifyItem(other, member0.key))).toBe(false);
    expect(verifySignature(backend, vertexVerifyItem(signed, committee.members[1]!.key))).toBe(false);
  });

  it('a vertex signature does not verify as a checkpoint message (context separation)', () => {
    const signed = realSigned(v, key0);
    const item = vertexVerifyItem(signed, member0.key);
    expect(verifySignature(backend, item)).toBe(true);
    expect(verifySignature(backend, { ...item, context: contextBytes(CONTEXTS.checkpoint) })).toBe(false);
  });

  it('two signed vertices of one slot make evidence the ledger accepts', () => {
    const a = realSigned(v, key0);
    const b = realSigned({ ...v, transactions: [Uint8Array.of(2)] }, key0);
    const offender = addressFromPublicKey(schemeInfo(key0.scheme).tag, key0.publicKey);
    const evidence = vertexEquivocationEvidence(a, b, offender);
    expect(verifyEvidence(evidence, member0.key, backend)).toEqual({ ok: true, value: undefined });
    expect(evidenceCodec.decode(evidenceCodec.encode(evidence)).ok).toBe(true);
    expect(() => vertexEquivocationEvidence(a, a, offender)).toThrow(RangeError);
    expect(() => vertexEquivocationEvidence(a, realSigned({ ...v, round: 8 }, key0), offender)).toThrow(RangeError);
  });
});
