// The OpenSSL-backed XChaCha20-Poly1305 seals byte-identically to the reference construction
// (@noble/ciphers xchacha20poly1305) with PQ-link nonces (16 zero bytes ‖ counter), and refuses
// any change of ciphertext, tag, associated data, counter or key.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xchachaOpen, xchachaSeal, xchachaSubkey } from './_xchacha.ts';

const nonceOf = (counter: bigint): Uint8Array => {
  const nonce = new Uint8Array(24);
  new DataView(nonce.buffer).setBigUint64(16, counter);
  return nonce;
};

describe('XChaCha20-Poly1305 over OpenSSL', () => {
  it('equals the reference construction, and opens what it sealed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 3000 }), (key, counter, ad, plaintext) => {
        const sealed = xchachaSeal(xchachaSubkey(key), counter, ad, plaintext);
        expect(Buffer.from(sealed).equals(Buffer.from(xchacha20poly1305(key, nonceOf(counter), ad).encrypt(plaintext)))).toBe(true);
        expect(Buffer.from(xchachaOpen(xchachaSubkey(key), counter, ad, sealed) ?? []).equals(Buffer.from(plaintext))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a flipped bit anywhere, another counter, other data or another key', () => {
    const key = new Uint8Array(32).fill(9);
    const subkey = xchachaSubkey(key);
    const ad = new TextEncoder().encode('frame');
    const sealed = xchachaSeal(subkey, 5n, ad, new TextEncoder().encode('a commit range'));
    for (let i = 0; i < sealed.length; i++) {
      const bad = sealed.slice();
      bad[i] = (bad[i] as number) ^ 1;
      expect(xchachaOpen(subkey, 5n, ad, bad)).toBeUndefined();
    }
    expect(xchachaOpen(subkey, 6n, ad, sealed)).toBeUndefined();
    expect(xchachaOpen(subkey, 5n, new TextEncoder().encode('other'), sealed)).toBeUndefined();
    expect(xchachaOpen(xchachaSubkey(new Uint8Array(32).fill(8)), 5n, ad, sealed)).toBeUndefined();
    expect(xchachaOpen(subkey, 5n, ad, sealed.subarray(0, 15))).toBeUndefined();
  });
});
