import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNobleBackend } from './backends/noble.ts';
import { contextBytes } from './contexts.ts';
import type { SchemeName, SignatureBackend, VerifyItem } from './types.ts';
import {
  answerVerifyRequest,
  packVerifyItems,
  parseVerifyRequest,
  parseVerifyWorkerMessage,
  unpackVerifyItems,
} from './verifyProtocol.ts';

const arbItem: fc.Arbitrary<VerifyItem> = fc.record({
  scheme: fc.constantFrom<SchemeName>('ml-dsa-44', 'ml-dsa-65', 'falcon-512'),
  publicKey: fc.uint8Array({ maxLength: 40 }),
  message: fc.uint8Array({ maxLength: 40 }),
  signature: fc.uint8Array({ maxLength: 40 }),
  context: fc.uint8Array({ maxLength: 255 }),
});

describe('packVerifyItems / unpackVerifyItems', () => {
  it('round-trips any batch, byte for byte and in order', () => {
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 8 }), (items) => {
        const unpacked = unpackVerifyItems(packVerifyItems(items), items.map((i) => i.scheme));
        expect(unpacked.ok).toBe(true);
        if (!unpacked.ok) return;
        expect(unpacked.value).toHaveLength(items.length);
        unpacked.value.forEach((got, n) => {
          const want = items[n] as VerifyItem;
          expect(Object.isFrozen(got)).toBe(true);
          for (const field of ['scheme', 'publicKey', 'message', 'signature', 'context'] as const) expect(got[field]).toEqual(want[field]);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('rejects every truncation and any trailing byte, never throwing', () => {
    fc.assert(
      fc.property(fc.array(arbItem, { minLength: 1, maxLength: 4 }), fc.nat(), (items, cut) => {
        const full = new Uint8Array(packVerifyItems(items));
        const schemes = items.map((i) => i.scheme);
        const truncated = full.slice(0, cut % full.length).buffer;
        expect(unpackVerifyItems(truncated, schemes).ok).toBe(false);
        const extended = new Uint8Array(full.length + 1);
        extended.set(full);
        expect(unpackVerifyItems(extended.buffer, schemes).ok).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects a scheme list that does not match the count', () => {
    const packed = packVerifyItems([{ scheme: 'ml-dsa-44', publicKey: new Uint8Array(1), message: new Uint8Array(1), signature: new Uint8Array(1), context: new Uint8Array(0) }]);
    expect(unpackVerifyItems(packed, [])).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
  });

  it('refuses a context longer than FIPS 204 allows', () => {
    const long = new Uint8Array(256);
    expect(() => packVerifyItems([{ scheme: 'ml-dsa-44', publicKey: long, message: long, signature: long, context: long }])).toThrow(RangeError);
  });
});

describe('message parsing', () => {
  it('accepts well-formed requests and answers, rejects the rest', () => {
    const packed = packVerifyItems([]);
    expect(parseVerifyRequest({ type: 'verify', id: 3, schemes: [], packed }).ok).toBe(true);
    for (const bad of [null, 7, { type: 'verify', id: 1.5, schemes: [], packed }, { type: 'verify', id: 1, schemes: [1], packed }, { type: 'verify', id: 1, schemes: [], packed: new Uint8Array(4) }, { type: 'other' }]) {
      expect(parseVerifyRequest(bad).ok).toBe(false);
    }
    expect(parseVerifyWorkerMessage({ type: 'result', id: 1, valid: new Uint8Array(2) }).ok).toBe(true);
    expect(parseVerifyWorkerMessage({ type: 'failed', id: 1, reason: 'x' }).ok).toBe(true);
    // `fatal` is synthesised by the shell, never accepted from a worker's mouth.
    expect(parseVerifyWorkerMessage({ type: 'fatal', reason: 'x' }).ok).toBe(false);
    expect(parseVerifyWorkerMessage({ type: 'result', id: 1, valid: [1] }).ok).toBe(false);
  });
});

describe('answerVerifyRequest', () => {
  const noble = createNobleBackend();
  const context = contextBytes('kaldrix/tx/v1');
  const keys = noble.keygen('ml-dsa-44', new Uint8Array(32).fill(9));
  const message = new Uint8Array([1, 2, 3]);
  const signature = noble.sign('ml-dsa-44', keys.secretKey, message, context);
  const good: VerifyItem = { scheme: 'ml-dsa-44', publicKey: keys.publicKey, message, signature, context };

  it('verifies in order with the first backend that supports the scheme', () => {
    const forged = { ...good, message: new Uint8Array([1, 2, 4]) };
    const wrongContext = { ...good, context: contextBytes('kaldrix/vote/v1') };
    const items = [good, forged, wrongContext, good];
    const answer = answerVerifyRequest([noble], { type: 'verify', id: 5, schemes: items.map((i) => i.scheme), packed: packVerifyItems(items) });
    expect(answer).toEqual({ type: 'result', id: 5, valid: new Uint8Array([1, 0, 0, 1]) });
  });

  it('answers "not valid" for a scheme no backend supports, and `failed` for a bad buffer', () => {
    const mlDsaOnly: SignatureBackend = { ...noble, name: 'partial', supports: (s) => s === 'ml-dsa-65' };
    const answer = answerVerifyRequest([mlDsaOnly], { type: 'verify', id: 1, schemes: ['ml-dsa-44'], packed: packVerifyItems([good]) });
    expect(answer).toEqual({ type: 'result', id: 1, valid: new Uint8Array([0]) });
    const broken = answerVerifyRequest([noble], { type: 'verify', id: 2, schemes: ['ml-dsa-44'], packed: new ArrayBuffer(3) });
    expect(broken).toMatchObject({ type: 'failed', id: 2 });
  });
});
