import fc from 'fast-check';
import { blake3 } from '@noble/hashes/blake3.js';
import { describe, expect, it } from 'vitest';
import { createVerifyCache, VERIFY_CACHE_DOMAIN, type VerifyCacheKey } from './verifyCache.ts';
import type { VerifyItem } from './types.ts';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

const item = (over: Partial<VerifyItem> = {}): VerifyItem => ({
  scheme: 'ml-dsa-44',
  publicKey: bytes(1, 2, 3),
  message: bytes(4, 5),
  signature: bytes(6, 7, 8, 9),
  context: bytes(10),
  ...over,
});

describe('verifyCache keys', () => {
  it('is BLAKE3 derive_key over the length-framed parts in the documented order', () => {
    const cache = createVerifyCache();
    const frame = (part: Uint8Array): Uint8Array => {
      const out = new Uint8Array(4 + part.length);
      new DataView(out.buffer).setUint32(0, part.length, false);
      out.set(part, 4);
      return out;
    };
    const i = item();
    const material = [new TextEncoder().encode(i.scheme), i.context, i.publicKey, i.message, i.signature].map(frame);
    const joined = new Uint8Array(material.reduce((n, m) => n + m.length, 0));
    material.reduce((at, m) => (joined.set(m, at), at + m.length), 0);
    const expected = blake3(joined, { context: new TextEncoder().encode(VERIFY_CACHE_DOMAIN) });
    expect(cache.keyOf(i)).toBe(String.fromCharCode(...expected));
  });

  it('is stable for equal statements and differs when any single part differs', () => {
    const cache = createVerifyCache();
    const base = cache.keyOf(item());
    expect(cache.keyOf(item())).toBe(base);
    expect(base).toHaveLength(32);
    expect(cache.keyOf(item({ scheme: 'ml-dsa-65' }))).not.toBe(base);
    expect(cache.keyOf(item({ publicKey: bytes(1, 2, 4) }))).not.toBe(base);
    expect(cache.keyOf(item({ message: bytes(4, 6) }))).not.toBe(base);
    expect(cache.keyOf(item({ signature: bytes(6, 7, 8, 8) }))).not.toBe(base);
    expect(cache.keyOf(item({ context: bytes() }))).not.toBe(base);
  });

  it('frames parts unambiguously: moving bytes across a boundary changes the key', () => {
    const cache = createVerifyCache();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), fc.nat(24), fc.nat(24), (joined, cutA, cutB) => {
        const [a, b] = [Math.min(cutA, joined.length), Math.min(cutB, joined.length)];
        fc.pre(a !== b);
        const split = (cut: number) => item({ message: joined.slice(0, cut), signature: joined.slice(cut) });
        expect(cache.keyOf(split(a))).not.toBe(cache.keyOf(split(b)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('verifyCache entries', () => {
  const key = (n: number): VerifyCacheKey => createVerifyCache().keyOf(item({ message: bytes(n) }));

  it('answers only what was remembered, counting hits and misses', () => {
    const cache = createVerifyCache();
    const k = key(1);
    expect(cache.isKnownValid(k)).toBe(false);
    cache.rememberValid(k);
    expect(cache.isKnownValid(k)).toBe(true);
    expect(cache.isKnownValid(key(2))).toBe(false);
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 2, evictions: 0 });
  });

  it('holds at most `entries` keys and evicts the least recently used', () => {
    const cache = createVerifyCache({}, { entries: 3 });
    const [k1, k2, k3, k4] = [key(1), key(2), key(3), key(4)];
    cache.rememberValid(k1);
    cache.rememberValid(k2);
    cache.rememberValid(k3);
    expect(cache.isKnownValid(k1)).toBe(true); // k1 becomes the most recent; k2 is now oldest
    cache.rememberValid(k4);
    expect(cache.stats()).toMatchObject({ entries: 3, capacity: 3, evictions: 1 });
    expect(cache.isKnownValid(k2)).toBe(false);
    expect([k1, k3, k4].map((k) => cache.isKnownValid(k))).toEqual([true, true, true]);
  });

  it('never grows past its bound under any sequence of operations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.boolean(), fc.nat(20)), { maxLength: 200 }), (capacity, ops) => {
        const cache = createVerifyCache({}, { entries: capacity });
        const keys = Array.from({ length: 21 }, (_, n) => String.fromCharCode(n).repeat(32) as VerifyCacheKey);
        for (const [remember, n] of ops) {
          if (remember) cache.rememberValid(keys[n] as VerifyCacheKey);
          else cache.isKnownValid(keys[n] as VerifyCacheKey);
          expect(cache.stats().entries).toBeLessThanOrEqual(capacity);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('uses an injected hasher and insists on 32-byte digests', () => {
    const short = createVerifyCache({ hasher: { create: () => ({ update: () => undefined, digest: () => new Uint8Array(16) }) } });
    expect(() => short.keyOf(item())).toThrow(/32/);
  });

  it('rejects a non-positive bound', () => {
    expect(() => createVerifyCache({}, { entries: 0 })).toThrow(RangeError);
    expect(() => createVerifyCache({}, { entries: 1.5 })).toThrow(RangeError);
  });
});
