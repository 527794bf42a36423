import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCHEME_NAMES, SCHEMES } from './schemes.ts';
import { decodePublicKey, decodeSignature, encodePublicKey, encodeSignature } from './signatureEncoding.ts';

const filled = (n: number, v: number) => new Uint8Array(n).fill(v);

describe('signature and public key wire encoding', () => {
  it('round-trips every scheme, tag first', () => {
    for (const scheme of SCHEME_NAMES) {
      const i = SCHEMES[scheme];
      const sig = { scheme, bytes: filled(i.signatureMaxBytes, 7) };
      const wire = encodeSignature(sig);
      expect(wire[0]).toBe(i.tag);
      expect(wire.length).toBe(i.signatureMaxBytes + 1);
      const back = decodeSignature(wire);
      expect(back).toEqual({ ok: true, value: sig });
      const pk = { scheme, publicKey: filled(i.publicKeyBytes, 9) };
      const pkWire = encodePublicKey(pk);
      expect(pkWire[0]).toBe(i.tag);
      expect(decodePublicKey(pkWire)).toEqual({ ok: true, value: pk });
    }
  });

  it('accepts every Falcon length in range and nothing outside it', () => {
    const f = SCHEMES['falcon-512'];
    for (const n of [f.signatureMinBytes, 655, f.signatureMaxBytes]) {
      expect(decodeSignature(encodeSignature({ scheme: 'falcon-512', bytes: filled(n, 1) })).ok).toBe(true);
    }
    const long = new Uint8Array(f.signatureMaxBytes + 2);
    long[0] = f.tag;
    expect(decodeSignature(long)).toEqual({
      ok: false,
      error: { code: 'BAD_LENGTH', scheme: 'falcon-512', minBytes: f.signatureMinBytes, maxBytes: f.signatureMaxBytes, actualBytes: f.signatureMaxBytes + 1 },
    });
  });

  it('returns typed errors for empty, unknown and wrongly sized input', () => {
    expect(decodeSignature(new Uint8Array(0))).toEqual({ ok: false, error: { code: 'EMPTY' } });
    expect(decodePublicKey(new Uint8Array(0))).toEqual({ ok: false, error: { code: 'EMPTY' } });
    expect(decodeSignature(Uint8Array.of(0x7f, 1, 2))).toEqual({ ok: false, error: { code: 'UNKNOWN_SCHEME', tag: 0x7f } });
    expect(decodePublicKey(Uint8Array.of(0x00))).toEqual({ ok: false, error: { code: 'UNKNOWN_SCHEME', tag: 0 } });
    const short = decodeSignature(Uint8Array.of(0x01, 1, 2, 3));
    expect(short.ok || short.error.code).toBe('BAD_LENGTH');
    const pk = decodePublicKey(new Uint8Array(1 + 1313).fill(0x01));
    expect(pk.ok ? null : pk.error).toEqual({ code: 'BAD_LENGTH', scheme: 'ml-dsa-44', minBytes: 1312, maxBytes: 1312, actualBytes: 1313 });
  });

  it('decodes into frozen objects that do not alias the input', () => {
    const wire = encodeSignature({ scheme: 'ml-dsa-44', bytes: filled(2420, 5) });
    const r = decodeSignature(wire);
    if (!r.ok) throw new Error('expected ok');
    expect(Object.isFrozen(r.value)).toBe(true);
    wire[1] = 0xff;
    expect(r.value.bytes[0]).toBe(5);
    const pkWire = encodePublicKey({ scheme: 'falcon-512', publicKey: filled(897, 3) });
    const k = decodePublicKey(pkWire);
    if (!k.ok) throw new Error('expected ok');
    expect(Object.isFrozen(k.value)).toBe(true);
    pkWire[1] = 0;
    expect(k.value.publicKey[0]).toBe(3);
  });

  it('refuses to encode values of the wrong size (a caller bug)', () => {
    expect(() => encodeSignature({ scheme: 'ml-dsa-65', bytes: new Uint8Array(10) })).toThrow(RangeError);
    expect(() => encodePublicKey({ scheme: 'ml-dsa-87', publicKey: new Uint8Array(10) })).toThrow(RangeError);
  });

  it('never throws on random bytes, and re-encodes what it accepts to the same bytes', () => {
    const tagged = fc.tuple(fc.integer({ min: 0, max: 8 }), fc.uint8Array({ maxLength: 3000 }))
      .map(([tag, body]) => Uint8Array.of(tag, ...body));
    const exact = fc.constantFrom(...SCHEME_NAMES).chain((s) =>
      fc.uint8Array({ minLength: SCHEMES[s].publicKeyBytes, maxLength: SCHEMES[s].publicKeyBytes }).map((b) => Uint8Array.of(SCHEMES[s].tag, ...b)));
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), tagged, exact), (bytes) => {
      const s = decodeSignature(bytes);
      if (s.ok) expect(encodeSignature(s.value)).toEqual(bytes);
      const k = decodePublicKey(bytes);
      if (k.ok) expect(encodePublicKey(k.value)).toEqual(bytes);
    }), { numRuns: 300 });
  });
});
