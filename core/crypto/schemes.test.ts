import { falcon512 } from '@noble/post-quantum/falcon.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { slh_dsa_sha2_128f } from '@noble/post-quantum/slh-dsa.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEME, SCHEME_NAMES, SCHEMES, isSignatureLengthValid, parseSchemeName, schemeByTag, schemeInfo } from './schemes.ts';

describe('SCHEMES registry', () => {
  it('pins the wire tags (they are part of the protocol and must never change)', () => {
    expect(Object.fromEntries(SCHEME_NAMES.map((n) => [n, SCHEMES[n].tag]))).toEqual({
      'ml-dsa-44': 0x01, 'ml-dsa-65': 0x02, 'ml-dsa-87': 0x03,
      'slh-dsa-sha2-128f': 0x04, 'falcon-512': 0x05, 'ml-dsa-44+ed25519': 0x06,
    });
  });

  it('agrees with the sizes the reference library uses', () => {
    const libs = [
      ['ml-dsa-44', ml_dsa44], ['ml-dsa-65', ml_dsa65], ['ml-dsa-87', ml_dsa87], ['slh-dsa-sha2-128f', slh_dsa_sha2_128f],
    ] as const;
    for (const [name, lib] of libs) {
      const i = SCHEMES[name];
      expect([i.publicKeyBytes, i.secretKeyBytes, i.signatureMaxBytes, i.seedBytes], name).toEqual([
        lib.lengths.publicKey, lib.lengths.secretKey, lib.lengths.signature, lib.lengths.seed,
      ]);
      expect(i.signatureMinBytes).toBe(i.signatureMaxBytes);
    }
    const f = SCHEMES['falcon-512'];
    expect([f.publicKeyBytes, f.secretKeyBytes, f.seedBytes]).toEqual([
      falcon512.lengths.publicKey, falcon512.lengths.secretKey, falcon512.lengths.seed,
    ]);
    expect(f.signatureMinBytes).toBeLessThan(f.signatureMaxBytes);
    const h = SCHEMES['ml-dsa-44+ed25519'];
    expect([h.publicKeyBytes, h.secretKeyBytes, h.signatureMaxBytes]).toEqual([1312 + 32, 2560 + 32, 2420 + 64]);
  });

  it('is frozen and has unique tags', () => {
    expect(Object.isFrozen(SCHEMES)).toBe(true);
    expect(Object.isFrozen(SCHEMES['ml-dsa-44'])).toBe(true);
    expect(new Set(SCHEME_NAMES.map((n) => SCHEMES[n].tag)).size).toBe(SCHEME_NAMES.length);
    expect(DEFAULT_SCHEME).toBe('ml-dsa-44');
  });

  it('looks schemes up by tag and by name', () => {
    for (const n of SCHEME_NAMES) {
      expect(schemeByTag(SCHEMES[n].tag)?.name).toBe(n);
      expect(parseSchemeName(n)).toBe(n);
      expect(parseSchemeName(n.toUpperCase())).toBe(n);
      expect(schemeInfo(n)).toBe(SCHEMES[n]);
    }
    expect(schemeByTag(0x00)).toBeUndefined();
    expect(schemeByTag(0x07)).toBeUndefined();
    expect(parseSchemeName('ml-dsa')).toBeUndefined();
    expect(parseSchemeName(' ml-dsa-44')).toBeUndefined();
    expect(() => schemeInfo('rsa' as never)).toThrow(RangeError);
  });

  it('checks signature lengths against the scheme range', () => {
    expect(isSignatureLengthValid('ml-dsa-44', 2420)).toBe(true);
    expect(isSignatureLengthValid('ml-dsa-44', 2419)).toBe(false);
    expect(isSignatureLengthValid('falcon-512', 655)).toBe(true);
    expect(isSignatureLengthValid('falcon-512', 753)).toBe(false);
    expect(isSignatureLengthValid('falcon-512', 41)).toBe(false);
  });
});
