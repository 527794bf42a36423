import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { expectOk } from '../result.ts';
import { bytesEqual, toHex } from './hash.ts';
import { KEM_KINDS, KEM_PARAMS, kemDecapsulate, kemEncapsulate, kemKeygen, type KemKind } from './kem.ts';

const filled = (length: number, byte: number) => new Uint8Array(length).fill(byte);
const keygen = (kind: KemKind, byte: number) => expectOk(kemKeygen(kind, filled(KEM_PARAMS[kind].seedBytes, byte)), 'keygen');

describe('X-Wing known answer', () => {
  // draft-connolly-cfrg-xwing-kem-08, Appendix C, first test vector. The 1216-byte public key and
  // 1120-byte ciphertext are pinned by their SHA-256, computed from the draft's hex.
  it('matches the draft test vector', () => {
    const seed = hexToBytes('7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26');
    const eseed = hexToBytes(
      '3cb1eea988004b93103cfb0aeefd2a686e01fa4a58e8a3639ca8a1e3f9ae57e2'
      + '35b8cc873c23dc62b8d260169afa2f75ab916a58d974918835d25e6a435085b2',
    );
    const keys = expectOk(kemKeygen('x-wing', seed), 'keygen');
    expect(toHex(sha256(keys.publicKey))).toBe('2e816deebcd76c5c80d0cd2d174478871658e8e2ff42bc9d4a6e486372e856bb');
    const enc = expectOk(kemEncapsulate('x-wing', keys.publicKey, eseed), 'encapsulate');
    expect(toHex(sha256(enc.ciphertext))).toBe('17cd532d657e44c897ca6583e548a5424fc70bf54f99515a4d2bcf99e3469f33');
    expect(toHex(enc.sharedSecret)).toBe('d2df0522128f09dd8e2c92b1e905c793d8f57a54c3da25861f10bf4ca613e384');
    expect(toHex(expectOk(kemDecapsulate('x-wing', enc.ciphertext, keys.secretKey), 'decapsulate')))
      .toBe('d2df0522128f09dd8e2c92b1e905c793d8f57a54c3da25861f10bf4ca613e384');
  });
});

describe.each(KEM_KINDS)('%s', (kind) => {
  const params = KEM_PARAMS[kind];

  it('round-trips with the documented sizes, deterministically', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: params.seedBytes, maxLength: params.seedBytes }),
      fc.uint8Array({ minLength: params.randomnessBytes, maxLength: params.randomnessBytes }),
      (seed, randomness) => {
        const keys = expectOk(kemKeygen(kind, seed), 'keygen');
        const again = expectOk(kemKeygen(kind, seed), 'keygen');
        const enc = expectOk(kemEncapsulate(kind, keys.publicKey, randomness), 'encapsulate');
        const enc2 = expectOk(kemEncapsulate(kind, keys.publicKey, randomness), 'encapsulate');
        const shared = expectOk(kemDecapsulate(kind, enc.ciphertext, keys.secretKey), 'decapsulate');
        return keys.publicKey.length === params.publicKeyBytes
          && keys.secretKey.length === params.secretKeyBytes
          && enc.ciphertext.length === params.ciphertextBytes
          && shared.length === params.sharedSecretBytes
          && bytesEqual(keys.publicKey, again.publicKey)
          && bytesEqual(enc.ciphertext, enc2.ciphertext)
          && bytesEqual(shared, enc.sharedSecret);
      },
    ), { numRuns: 8 });
  });

  it('gives different secrets for different randomness and different keys', () => {
    const a = keygen(kind, 1);
    const b = keygen(kind, 2);
    expect(bytesEqual(a.publicKey, b.publicKey)).toBe(false);
    const e1 = expectOk(kemEncapsulate(kind, a.publicKey, filled(params.randomnessBytes, 3)), 'enc');
    const e2 = expectOk(kemEncapsulate(kind, a.publicKey, filled(params.randomnessBytes, 4)), 'enc');
    expect(bytesEqual(e1.sharedSecret, e2.sharedSecret)).toBe(false);
    // The wrong secret key does not recover the secret (ML-KEM implicit rejection).
    const wrong = expectOk(kemDecapsulate(kind, e1.ciphertext, b.secretKey), 'dec');
    expect(bytesEqual(wrong, e1.sharedSecret)).toBe(false);
  });

  it('a tampered ciphertext yields a different secret, not an error (implicit rejection)', () => {
    const keys = keygen(kind, 5);
    const enc = expectOk(kemEncapsulate(kind, keys.publicKey, filled(params.randomnessBytes, 6)), 'enc');
    // Flip bits in the ML-KEM part only (the first 1088 bytes for both kinds).
    fc.assert(fc.property(fc.nat({ max: 1087 }), fc.integer({ min: 1, max: 255 }), (at, mask) => {
      const tampered = enc.ciphertext.slice();
      tampered[at] = (tampered[at] as number) ^ mask;
      const r = kemDecapsulate(kind, tampered, keys.secretKey);
      return r.ok && r.value.length === 32 && !bytesEqual(r.value, enc.sharedSecret);
    }), { numRuns: 10 });
  });

  it('returns typed errors for wrong lengths and throws for wrong-length randomness', () => {
    const keys = keygen(kind, 7);
    const enc = expectOk(kemEncapsulate(kind, keys.publicKey, filled(params.randomnessBytes, 8)), 'enc');
    const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'OK' : r.error?.code);
    expect(codeOf(kemKeygen(kind, filled(params.seedBytes - 1, 0)))).toBe('BAD_SEED_LENGTH');
    expect(codeOf(kemEncapsulate(kind, keys.publicKey.subarray(1), filled(params.randomnessBytes, 0)))).toBe('BAD_PUBLIC_KEY_LENGTH');
    expect(codeOf(kemDecapsulate(kind, enc.ciphertext, filled(params.secretKeyBytes + 1, 0)))).toBe('BAD_SECRET_KEY_LENGTH');
    expect(codeOf(kemDecapsulate(kind, enc.ciphertext.subarray(0, 100), keys.secretKey))).toBe('BAD_CIPHERTEXT_LENGTH');
    expect(codeOf(kemDecapsulate(kind, 'nope' as unknown as Uint8Array, keys.secretKey))).toBe('BAD_CIPHERTEXT_LENGTH');
    expect(() => kemEncapsulate(kind, keys.publicKey, filled(params.randomnessBytes + 1, 0))).toThrow(RangeError);
    expect(() => kemKeygen('rsa' as KemKind, filled(32, 0))).toThrow(TypeError);
  });

  it('rejects a public key that fails the FIPS 203 modulus check', () => {
    const keys = keygen(kind, 9);
    const bad = keys.publicKey.slice();
    // The first 12-bit coefficient becomes 0xfff >= q = 3329.
    bad[0] = 0xff;
    bad[1] = (bad[1] as number) | 0x0f;
    expect(kemEncapsulate(kind, bad, filled(params.randomnessBytes, 1))).toMatchObject({ ok: false, error: { code: 'BAD_PUBLIC_KEY' } });
  });
});

describe('X-Wing low-order X25519 points', () => {
  // u = 0 is a point of small order: X25519 with it gives the all-zero output.
  const lowOrder = new Uint8Array(32);

  it('are refused in a ciphertext and in a public key', () => {
    expect(() => x25519.getSharedSecret(filled(32, 1), lowOrder)).toThrow();
    const keys = keygen('x-wing', 10);
    const enc = expectOk(kemEncapsulate('x-wing', keys.publicKey, filled(64, 11)), 'enc');
    const badCt = enc.ciphertext.slice();
    badCt.set(lowOrder, 1088);
    expect(kemDecapsulate('x-wing', badCt, keys.secretKey)).toMatchObject({ ok: false, error: { code: 'BAD_CIPHERTEXT' } });
    const badPk = keys.publicKey.slice();
    badPk.set(lowOrder, 1184);
    expect(kemEncapsulate('x-wing', badPk, filled(64, 12))).toMatchObject({ ok: false, error: { code: 'BAD_PUBLIC_KEY' } });
  });
});
