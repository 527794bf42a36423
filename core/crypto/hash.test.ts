import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blake3 } from '@noble/hashes/blake3.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { bytesEqual, createDomainHash, hash, hashDomain, isHash32, parseHex, toHex } from './hash.ts';

const u8 = (...bytes: number[]) => Uint8Array.from(bytes);

describe('hash', () => {
  it('is plain BLAKE3-256 (official test vector for the empty input)', () => {
    // BLAKE3 reference test_vectors.json, input_len 0, first 32 bytes of "hash".
    expect(toHex(hash(new Uint8Array(0)))).toBe('af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262');
  });

  it('returns 32 bytes for any input', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => isHash32(hash(bytes))));
  });
});

describe('hashDomain', () => {
  it('is BLAKE3 derive_key over length-prefixed parts (construction pinned)', () => {
    const material = u8(0, 0, 0, 2, 0xaa, 0xbb, 0, 0, 0, 0, 0, 0, 0, 1, 0xcc);
    const expected = blake3(material, { context: utf8ToBytes('kaldrix/test/v1') });
    expect(toHex(hashDomain('kaldrix/test/v1', u8(0xaa, 0xbb), u8(), u8(0xcc)))).toBe(toHex(expected));
  });

  it('frames parts so moving a boundary changes the digest', () => {
    const joined = hashDomain('d', utf8ToBytes('ab'), utf8ToBytes('c'));
    expect(bytesEqual(joined, hashDomain('d', utf8ToBytes('a'), utf8ToBytes('bc')))).toBe(false);
    expect(bytesEqual(joined, hashDomain('d', utf8ToBytes('abc')))).toBe(false);
    expect(bytesEqual(hashDomain('d'), hashDomain('d', u8()))).toBe(false);
  });

  it('separates domains from each other and from plain hash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const a = hashDomain('kaldrix/tx-id/v1', bytes);
        const b = hashDomain('kaldrix/vertex-id/v1', bytes);
        return !bytesEqual(a, b) && !bytesEqual(a, hash(bytes)) && !bytesEqual(b, hash(bytes));
      }),
    );
  });

  it('createDomainHash equals hashDomain and can be reused', () => {
    const h = createDomainHash('kaldrix/test/v1');
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 4 }), (parts) =>
        bytesEqual(h(...parts), hashDomain('kaldrix/test/v1', ...parts)),
      ),
    );
  });

  it('rejects an empty domain as a programming error', () => {
    expect(() => hashDomain('', u8(1))).toThrow(TypeError);
  });
});

describe('bytesEqual and hex', () => {
  it('compares contents and lengths', () => {
    expect(bytesEqual(u8(1, 2, 3), u8(1, 2, 3))).toBe(true);
    expect(bytesEqual(u8(1, 2, 3), u8(1, 2, 4))).toBe(false);
    expect(bytesEqual(u8(1, 2), u8(1, 2, 3))).toBe(false);
    expect(bytesEqual(u8(), u8())).toBe(true);
  });

  it('round-trips hex and rejects bad text as a value', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const back = parseHex(toHex(bytes));
      return back.ok && bytesEqual(back.value, bytes);
    }));
    expect(parseHex('ABcd')).toEqual({ ok: true, value: u8(0xab, 0xcd) });
    expect(parseHex('abc')).toMatchObject({ ok: false, error: { code: 'BAD_HEX' } });
    expect(parseHex('0x12')).toMatchObject({ ok: false, error: { code: 'BAD_HEX' } });
    expect(parseHex(12)).toMatchObject({ ok: false, error: { code: 'BAD_HEX' } });
    fc.assert(fc.property(fc.string(), (text) => {
      const r = parseHex(text);
      return r.ok === /^(?:[0-9a-fA-F]{2})*$/.test(text);
    }));
  });

  it('isHash32 checks type and length', () => {
    expect(isHash32(new Uint8Array(32))).toBe(true);
    expect(isHash32(new Uint8Array(31))).toBe(false);
    expect(isHash32('x'.repeat(32))).toBe(false);
  });
});
