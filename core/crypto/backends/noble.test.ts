import { ed25519 } from '@noble/curves/ed25519.js';
import { falcon512 } from '@noble/post-quantum/falcon.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { slh_dsa_sha2_128f } from '@noble/post-quantum/slh-dsa.js';
import { describe, expect, it } from 'vitest';
import { CONTEXTS, contextBytes } from '../contexts.ts';
import { SCHEME_NAMES, SCHEMES } from '../schemes.ts';
import type { SchemeName } from '../types.ts';
import { frameMessage } from './_framing.ts';
import { createNobleBackend, NOBLE_OPS } from './noble.ts';

const backend = createNobleBackend();
const TX = contextBytes(CONTEXTS.tx);
const VERTEX = contextBytes(CONTEXTS.vertex);
const seedFor = (scheme: SchemeName, v: number) => new Uint8Array(SCHEMES[scheme].seedBytes).fill(v);
const message = Uint8Array.from({ length: 100 }, (_, i) => i);

describe('noble backend', () => {
  it('is frozen, named, and supports every scheme', () => {
    expect(Object.isFrozen(backend)).toBe(true);
    expect(backend.name).toBe('noble');
    for (const s of SCHEME_NAMES) expect(backend.supports(s)).toBe(true);
  });

  // One block per scheme; SLH-DSA signs in hundreds of milliseconds, so each block signs few times.
  describe.each(SCHEME_NAMES)('%s', (scheme) => {
    const keys = backend.keygen(scheme, seedFor(scheme, 1));
    const other = backend.keygen(scheme, seedFor(scheme, 2));
    const sig = backend.sign(scheme, keys.secretKey, message, TX);

    it('derives the same keys from the same seed, other keys from another', () => {
      const again = backend.keygen(scheme, seedFor(scheme, 1));
      expect(again.publicKey).toEqual(keys.publicKey);
      expect(again.secretKey).toEqual(keys.secretKey);
      expect(other.publicKey).not.toEqual(keys.publicKey);
      expect(keys.scheme).toBe(scheme);
      expect(keys.publicKey.length).toBe(SCHEMES[scheme].publicKeyBytes);
      expect(keys.secretKey.length).toBe(SCHEMES[scheme].secretKeyBytes);
      expect(Object.isFrozen(keys)).toBe(true);
    });

    it('verifies its own signature under the same context and nothing else', () => {
      expect(sig.length).toBeGreaterThanOrEqual(SCHEMES[scheme].signatureMinBytes);
      expect(sig.length).toBeLessThanOrEqual(SCHEMES[scheme].signatureMaxBytes);
      expect(backend.verify(scheme, keys.publicKey, message, sig, TX)).toBe(true);
      // kaldrix/tx/v1 must not verify as kaldrix/vertex/v1: no cross-kind replay.
      expect(backend.verify(scheme, keys.publicKey, message, sig, VERTEX)).toBe(false);
      expect(backend.verify(scheme, keys.publicKey, message, sig, new Uint8Array(0))).toBe(false);
      const otherMessage = message.slice();
      otherMessage[0] = (otherMessage[0] ?? 0) ^ 1;
      expect(backend.verify(scheme, keys.publicKey, otherMessage, sig, TX)).toBe(false);
      expect(backend.verify(scheme, other.publicKey, message, sig, TX)).toBe(false);
    });

    it('rejects tampered, truncated and overlong signatures and malformed keys without throwing', () => {
      for (const at of [0, sig.length >> 1, sig.length - 1]) {
        const flipped = sig.slice();
        flipped[at] = (flipped[at] ?? 0) ^ 0x01;
        expect(backend.verify(scheme, keys.publicKey, message, flipped, TX), `byte ${at}`).toBe(false);
      }
      expect(backend.verify(scheme, keys.publicKey, message, sig.subarray(0, sig.length - 1), TX)).toBe(false);
      const overlong = new Uint8Array(SCHEMES[scheme].signatureMaxBytes + 1);
      overlong.set(sig);
      expect(backend.verify(scheme, keys.publicKey, message, overlong, TX)).toBe(false);
      expect(backend.verify(scheme, keys.publicKey, message, new Uint8Array(0), TX)).toBe(false);
      expect(backend.verify(scheme, keys.publicKey.subarray(1), message, sig, TX)).toBe(false);
      expect(backend.verify(scheme, new Uint8Array(SCHEMES[scheme].publicKeyBytes), message, sig, TX)).toBe(false);
      expect(backend.verify(scheme, keys.publicKey, message, sig, new Uint8Array(256))).toBe(false);
    });

    it('is exactly the raw scheme signature over frameMessage(ctx, message), native context empty', () => {
      const framed = frameMessage(TX, message);
      expect(NOBLE_OPS[scheme].verify(keys.publicKey, framed, sig)).toBe(true);
      expect(NOBLE_OPS[scheme].sign(keys.secretKey, framed, undefined)).toEqual(sig);
      // The framing applies to the empty context too: a raw signature of the bare message is
      // no KALDRIX signature under any context.
      const bare = NOBLE_OPS[scheme].sign(keys.secretKey, message, undefined);
      expect(backend.verify(scheme, keys.publicKey, message, bare, new Uint8Array(0))).toBe(false);
      expect(NOBLE_OPS[scheme].verify(keys.publicKey, frameMessage(new Uint8Array(0), message), bare)).toBe(false);
    });

    it('signs deterministically without randomness and hedged with it', () => {
      expect(backend.sign(scheme, keys.secretKey, message, TX)).toEqual(sig);
      const hedged = backend.sign(scheme, keys.secretKey, message, TX, new Uint8Array(32).fill(0xaa));
      expect(hedged).not.toEqual(sig);
      expect(backend.verify(scheme, keys.publicKey, message, hedged, TX)).toBe(true);
    });

    it('throws on bad arguments to keygen and sign', () => {
      expect(() => backend.keygen(scheme, new Uint8Array(SCHEMES[scheme].seedBytes + 1))).toThrow(RangeError);
      expect(() => backend.sign(scheme, keys.secretKey.subarray(1), message, TX)).toThrow(RangeError);
      expect(() => backend.sign(scheme, keys.secretKey, message, new Uint8Array(256))).toThrow(RangeError);
      expect(() => backend.sign(scheme, keys.secretKey, message, TX, new Uint8Array(16))).toThrow(RangeError);
      expect(() => backend.sign(scheme, keys.secretKey, [1, 2] as unknown as Uint8Array, TX)).toThrow(TypeError);
    });
  });

  // Checked against the libraries themselves, not through NOBLE_OPS: what a third-party FIPS 204/205
  // implementation offering only the empty context (liboqs, a hardware module) would do.
  describe("every signature is the library's signature of 0x00 || len(ctx) || ctx || message", () => {
    const framed = frameMessage(TX, message);
    const libraryVerifiers = {
      'ml-dsa-44': ml_dsa44, 'ml-dsa-65': ml_dsa65, 'ml-dsa-87': ml_dsa87, 'slh-dsa-sha2-128f': slh_dsa_sha2_128f, 'falcon-512': falcon512,
    } as const;
    it.each(Object.keys(libraryVerifiers) as (keyof typeof libraryVerifiers)[])('%s', (scheme) => {
      const keys = backend.keygen(scheme, seedFor(scheme, 3));
      const sig = backend.sign(scheme, keys.secretKey, message, TX);
      const lib = libraryVerifiers[scheme];
      expect(lib.verify(sig, framed, keys.publicKey)).toBe(true);
      expect(lib.verify(sig, message, keys.publicKey)).toBe(false);
      expect(lib.verify(sig, frameMessage(VERTEX, message), keys.publicKey)).toBe(false);
    });
    it("ml-dsa-44: the context is not passed as FIPS 204's native ctx", () => {
      const keys = backend.keygen('ml-dsa-44', seedFor('ml-dsa-44', 3));
      const sig = backend.sign('ml-dsa-44', keys.secretKey, message, TX);
      expect(ml_dsa44.verify(sig, message, keys.publicKey, { context: TX })).toBe(false);
      const native = ml_dsa44.sign(message, keys.secretKey, { context: TX, extraEntropy: false });
      expect(backend.verify('ml-dsa-44', keys.publicKey, message, native, TX)).toBe(false);
    });
  });

  describe('ml-dsa-44+ed25519 hybrid', () => {
    const scheme = 'ml-dsa-44+ed25519';
    const keys = backend.keygen(scheme, seedFor(scheme, 4));
    const sig = backend.sign(scheme, keys.secretKey, message, TX);
    const mlDsaSig = sig.subarray(0, 2420);
    const edSig = sig.subarray(2420);

    it('is ML-DSA-44 (empty ctx) and plain Ed25519, both over the framed message', () => {
      const framed = frameMessage(TX, message);
      expect(ml_dsa44.verify(mlDsaSig, framed, keys.publicKey.subarray(0, 1312))).toBe(true);
      expect(ed25519.verify(edSig, framed, keys.publicKey.subarray(1312))).toBe(true);
      expect(ml_dsa44.verify(mlDsaSig, message, keys.publicKey.subarray(0, 1312), { context: TX })).toBe(false);
      // The component keys come from domain-separated sub-seeds, not from the seed itself.
      expect(ml_dsa44.keygen(seedFor(scheme, 4)).publicKey).not.toEqual(keys.publicKey.subarray(0, 1312));
    });

    it('needs BOTH components to verify', () => {
      const badEd = sig.slice();
      badEd[2420 + 10] = (badEd[2420 + 10] ?? 0) ^ 1;
      expect(backend.verify(scheme, keys.publicKey, message, badEd, TX)).toBe(false);
      const badMl = sig.slice();
      badMl[10] = (badMl[10] ?? 0) ^ 1;
      expect(backend.verify(scheme, keys.publicKey, message, badMl, TX)).toBe(false);
      // A valid ML-DSA half with another key's valid Ed25519 half is no signature either.
      const stranger = backend.keygen(scheme, seedFor(scheme, 5));
      const strangerSig = backend.sign(scheme, stranger.secretKey, message, TX);
      const mixed = Uint8Array.of(...mlDsaSig, ...strangerSig.subarray(2420));
      expect(backend.verify(scheme, keys.publicKey, message, mixed, TX)).toBe(false);
    });
  });

  it('throws RangeError for a scheme name outside the registry (a caller bug)', () => {
    expect(() => backend.verify('rsa' as SchemeName, new Uint8Array(1), message, new Uint8Array(1), TX)).toThrow(RangeError);
  });
});
