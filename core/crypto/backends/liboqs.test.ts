import { createMLDSA44, createMLDSA65, createMLDSA87 } from '@oqs/liboqs-js/sig';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTEXTS, contextBytes } from '../contexts.ts';
import { SCHEME_NAMES } from '../schemes.ts';
import type { SchemeOps } from './_guard.ts';
import type { SignatureBackend } from '../types.ts';
import { frameMessage } from './_framing.ts';
import { LIBOQS_SCHEMES, type LiboqsScheme, loadLiboqsBackend, loadLiboqsRawOps } from './liboqs.ts';
import { createNobleBackend } from './noble.ts';

const noble = createNobleBackend();
const TX = contextBytes(CONTEXTS.tx);
const VERTEX = contextBytes(CONTEXTS.vertex);
const EMPTY = new Uint8Array(0);
const ALL_CONTEXTS: readonly Uint8Array[] = [...Object.values(CONTEXTS).map(contextBytes), EMPTY];
const message = Uint8Array.from({ length: 64 }, (_, i) => 255 - i);
const rawFactories = { 'ml-dsa-44': createMLDSA44, 'ml-dsa-65': createMLDSA65, 'ml-dsa-87': createMLDSA87 } as const;

let liboqs: SignatureBackend;
let rawOps: Readonly<Partial<Record<LiboqsScheme, SchemeOps>>>;
beforeAll(async () => {
  liboqs = await loadLiboqsBackend();
  rawOps = await loadLiboqsRawOps();
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
    await expect(loadLiboqsRawOps({ schemes: ['falcon-512' as LiboqsScheme] })).rejects.toThrow(RangeError);
  });

  describe.each(LIBOQS_SCHEMES)('%s agrees with noble', (scheme) => {
    const seed = new Uint8Array(32).fill(9);
    const keys = noble.keygen(scheme, seed);

    it('derives identical keys and identical deterministic signatures (both sign with noble)', () => {
      const k = liboqs.keygen(scheme, seed);
      expect(k.publicKey).toEqual(keys.publicKey);
      expect(k.secretKey).toEqual(keys.secretKey);
      expect(liboqs.sign(scheme, keys.secretKey, message, TX)).toEqual(noble.sign(scheme, keys.secretKey, message, TX));
    });

    it('verifies noble signatures under every KALDRIX context, and rejects them under another', () => {
      for (const [i, context] of ALL_CONTEXTS.entries()) {
        const byNoble = noble.sign(scheme, keys.secretKey, message, context);
        expect(liboqs.verify(scheme, keys.publicKey, message, byNoble, context), `context ${i}`).toBe(true);
        const next = ALL_CONTEXTS[(i + 1) % ALL_CONTEXTS.length] ?? EMPTY;
        expect(liboqs.verify(scheme, keys.publicKey, message, byNoble, next), `context ${i} as ${i + 1}`).toBe(false);
      }
      // The two contexts of the protocol that matter most for replay, explicitly, on both backends.
      const tx = noble.sign(scheme, keys.secretKey, message, TX, new Uint8Array(32).fill(7));
      for (const b of [noble, liboqs]) {
        expect(b.verify(scheme, keys.publicKey, message, tx, TX), b.name).toBe(true);
        expect(b.verify(scheme, keys.publicKey, message, tx, VERTEX), b.name).toBe(false);
      }
      const tampered = tx.slice();
      tampered[100] = (tampered[100] ?? 0) ^ 4;
      expect(liboqs.verify(scheme, keys.publicKey, message, tampered, TX)).toBe(false);
      expect(liboqs.verify(scheme, keys.publicKey, message.subarray(1), tx, TX)).toBe(false);
    });

    // liboqs-js signs only with its own entropy and the empty context, so this signature was
    // made entirely inside WebAssembly: noble accepting it under TX proves the framing is the
    // same computation on both sides, and liboqs accepting a noble signature checks the other way.
    it("interoperates with liboqs's own hedged signature over frameMessage(ctx, message)", async () => {
      const raw = await rawFactories[scheme]();
      try {
        const a = raw.sign(frameMessage(TX, message), keys.secretKey);
        const b = raw.sign(frameMessage(TX, message), keys.secretKey);
        expect(a).not.toEqual(b);
        for (const sig of [a, b]) {
          expect(noble.verify(scheme, keys.publicKey, message, sig, TX)).toBe(true);
          expect(noble.verify(scheme, keys.publicKey, message, sig, VERTEX)).toBe(false);
          expect(liboqs.verify(scheme, keys.publicKey, message, sig, TX)).toBe(true);
          expect(liboqs.verify(scheme, keys.publicKey, message, sig, EMPTY)).toBe(false);
        }
        const byNoble = noble.sign(scheme, keys.secretKey, message, TX);
        expect(raw.verify(frameMessage(TX, message), byNoble, keys.publicKey)).toBe(true);
        expect(raw.verify(message, byNoble, keys.publicKey)).toBe(false);
      } finally {
        raw.destroy();
      }
    });

    it('exposes the raw native verification over the framed bytes', () => {
      const ops = rawOps[scheme];
      expect(ops).toBeDefined();
      const sig = noble.sign(scheme, keys.secretKey, message, VERTEX);
      expect(ops?.verify(keys.publicKey, frameMessage(VERTEX, message), sig)).toBe(true);
      expect(ops?.verify(keys.publicKey, frameMessage(TX, message), sig)).toBe(false);
      expect(ops?.verify(keys.publicKey, message, sig)).toBe(false);
    });

    it('copies Buffer views and returns false on malformed lengths instead of throwing', () => {
      const sig = noble.sign(scheme, keys.secretKey, message, TX);
      expect(liboqs.verify(scheme, Buffer.from(keys.publicKey), Buffer.from(message), Buffer.from(sig), Buffer.from(TX))).toBe(true);
      expect(liboqs.verify(scheme, keys.publicKey, message, sig.subarray(0, 10), TX)).toBe(false);
      expect(liboqs.verify(scheme, keys.publicKey, message, new Uint8Array(0), TX)).toBe(false);
      expect(liboqs.verify(scheme, keys.publicKey.subarray(2), message, sig, TX)).toBe(false);
      expect(liboqs.verify(scheme, keys.publicKey, message, Uint8Array.of(...sig, 0), TX)).toBe(false);
      expect(liboqs.verify(scheme, keys.publicKey, message, sig, new Uint8Array(256))).toBe(false);
    });
  });
});
