import { createMLDSA44, createMLDSA65, createMLDSA87 } from '@oqs/liboqs-js/sig';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTEXTS, contextBytes } from '../contexts.ts';
import { SCHEME_NAMES } from '../schemes.ts';
import type { SignatureBackend } from '../types.ts';
import { LIBOQS_SCHEMES, loadLiboqsBackend } from './liboqs.ts';
import { createNobleBackend } from './noble.ts';

const noble = createNobleBackend();
const TX = contextBytes(CONTEXTS.tx);
const VERTEX = contextBytes(CONTEXTS.vertex);
const EMPTY = new Uint8Array(0);
const message = Uint8Array.from({ length: 64 }, (_, i) => 255 - i);
const rawFactories = { 'ml-dsa-44': createMLDSA44, 'ml-dsa-65': createMLDSA65, 'ml-dsa-87': createMLDSA87 } as const;

let liboqs: SignatureBackend;
beforeAll(async () => {
  liboqs = await loadLiboqsBackend();
});

describe('liboqs backend', () => {
  it('is frozen, cached, and supports exactly ML-DSA-44/65/87', async () => {
    expect(Object.isFrozen(liboqs)).toBe(true);
    expect(liboqs.name).toBe('liboqs');
    for (const s of SCHEME_NAMES) expect(liboqs.supports(s), s).toBe((LIBOQS_SCHEMES as readonly string[]).includes(s));
    expect(() => liboqs.verify('falcon-512', new Uint8Array(897), message, new Uint8Array(600), TX)).toThrow(RangeError);
    const small = await loadLiboqsBackend({ schemes: ['ml-dsa-44'] });
    expect(small.supports('ml-dsa-44')).toBe(true);
    expect(small.supports('ml-dsa-65')).toBe(false);
  });

  describe.each(LIBOQS_SCHEMES)('%s agrees with noble', (scheme) => {
    const seed = new Uint8Array(32).fill(9);
    const keys = noble.keygen(scheme, seed);

    it('derives identical keys from the same seed', () => {
      const k = liboqs.keygen(scheme, seed);
      expect(k.publicKey).toEqual(keys.publicKey);
      expect(k.secretKey).toEqual(keys.secretKey);
    });

    it('verifies noble signatures and noble verifies its signatures, with contexts', () => {
      const byNoble = noble.sign(scheme, keys.secretKey, message, TX);
      expect(liboqs.verify(scheme, keys.publicKey, message, byNoble, TX)).toBe(true);
      expect(liboqs.verify(scheme, keys.publicKey, message, byNoble, VERTEX)).toBe(false);
      const byLiboqs = liboqs.sign(scheme, keys.secretKey, message, TX);
      // Deterministic signing gives the same bytes on both backends.
      expect(byLiboqs).toEqual(byNoble);
      expect(noble.verify(scheme, keys.publicKey, message, byLiboqs, TX)).toBe(true);
    });

    it('verifies in WebAssembly with the empty context, both ways', async () => {
      const byNoble = noble.sign(scheme, keys.secretKey, message, EMPTY);
      expect(liboqs.verify(scheme, keys.publicKey, message, byNoble, EMPTY)).toBe(true);
      const tampered = byNoble.slice();
      tampered[100] = (tampered[100] ?? 0) ^ 4;
      expect(liboqs.verify(scheme, keys.publicKey, message, tampered, EMPTY)).toBe(false);
      expect(liboqs.verify(scheme, keys.publicKey, message.subarray(1), byNoble, EMPTY)).toBe(false);
      // liboqs's own signing (hedged, its own entropy, empty context only) verifies on noble.
      const raw = await rawFactories[scheme]();
      try {
        const a = raw.sign(message, keys.secretKey);
        const b = raw.sign(message, keys.secretKey);
        expect(a).not.toEqual(b);
        expect(noble.verify(scheme, keys.publicKey, message, a, EMPTY)).toBe(true);
        expect(noble.verify(scheme, keys.publicKey, message, a, TX)).toBe(false);
        expect(liboqs.verify(scheme, keys.publicKey, message, b, EMPTY)).toBe(true);
      } finally {
        raw.destroy();
      }
    });

    it('copies Buffer views and returns false on malformed lengths instead of throwing', () => {
      const sig = noble.sign(scheme, keys.secretKey, message, EMPTY);
      expect(liboqs.verify(scheme, Buffer.from(keys.publicKey), Buffer.from(message), Buffer.from(sig), EMPTY)).toBe(true);
      expect(liboqs.verify(scheme, keys.publicKey, message, sig.subarray(0, 10), EMPTY)).toBe(false);
      expect(liboqs.verify(scheme, keys.publicKey, message, new Uint8Array(0), EMPTY)).toBe(false);
      expect(liboqs.verify(scheme, keys.publicKey.subarray(2), message, sig, EMPTY)).toBe(false);
      expect(liboqs.verify(scheme, keys.publicKey, message, Uint8Array.of(...sig, 0), EMPTY)).toBe(false);
    });
  });
});
