// Structural proof that the liboqs backend verifies in WebAssembly and never consults the noble
// reference: noble's ML-DSA verification is replaced here by a deliberately broken one that
// accepts everything and counts its calls. The noble backend (positive control) then accepts a
// forged signature; the liboqs backend still rejects it and never calls the broken verifier.
import type * as NobleMlDsa from '@noble/post-quantum/ml-dsa.js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTEXTS, contextBytes } from '../contexts.ts';
import type { SignatureBackend } from '../types.ts';
import { LIBOQS_SCHEMES, loadLiboqsBackend } from './liboqs.ts';
import { createNobleBackend } from './noble.ts';

const brokenVerify = vi.hoisted(() => ({ calls: 0 }));

vi.mock('@noble/post-quantum/ml-dsa.js', async (importOriginal) => {
  const real = await importOriginal<typeof NobleMlDsa>();
  const broken = <T extends object>(dsa: T): T => ({
    ...dsa,
    verify: (): boolean => {
      brokenVerify.calls += 1;
      return true;
    },
  });
  return { ...real, ml_dsa44: broken(real.ml_dsa44), ml_dsa65: broken(real.ml_dsa65), ml_dsa87: broken(real.ml_dsa87) };
});

const TX = contextBytes(CONTEXTS.tx);
const message = Uint8Array.of(1, 2, 3);
const noble = createNobleBackend();
let liboqs: SignatureBackend;
beforeAll(async () => {
  liboqs = await loadLiboqsBackend();
});

describe.each(LIBOQS_SCHEMES)('%s: liboqs verify with a broken noble verifier', (scheme) => {
  const keys = noble.keygen(scheme, new Uint8Array(32).fill(5));
  const valid = noble.sign(scheme, keys.secretKey, message, TX);
  const forged = valid.slice();
  forged[20] = (forged[20] ?? 0) ^ 1;

  it('noble (the control) is fooled, liboqs is not, and liboqs never calls noble verify', () => {
    brokenVerify.calls = 0;
    expect(noble.verify(scheme, keys.publicKey, message, forged, TX)).toBe(true);
    expect(brokenVerify.calls).toBe(1);
    brokenVerify.calls = 0;
    expect(liboqs.verify(scheme, keys.publicKey, message, forged, TX)).toBe(false);
    expect(liboqs.verify(scheme, keys.publicKey, message, valid, TX)).toBe(true);
    expect(liboqs.verify(scheme, keys.publicKey, message, valid, contextBytes(CONTEXTS.vertex))).toBe(false);
    expect(brokenVerify.calls).toBe(0);
  });
});
