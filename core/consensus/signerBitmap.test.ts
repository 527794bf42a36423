import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSignerBitmap,
  emptySignerBitmap,
  hasSigner,
  signerBitmapCodec,
  signerBitmapOf,
  signerCount,
  signerIndices,
  withSigner,
} from './signerBitmap.ts';

describe('signer bitmap', () => {
  it('sets, tests, counts and lists members, least significant bit first', () => {
    const b = signerBitmapOf(10, [0, 3, 9, 3]);
    expect([...b.bytes]).toEqual([0b0000_1001, 0b0000_0010]);
    expect(hasSigner(b, 3)).toBe(true);
    expect(hasSigner(b, 4)).toBe(false);
    expect(signerCount(b)).toBe(3);
    expect([...signerIndices(b)]).toEqual([0, 3, 9]);
    const c = withSigner(b, 4);
    expect(hasSigner(c, 4)).toBe(true);
    expect(hasSigner(b, 4)).toBe(false); // immutable: the original is unchanged
  });

  it('is exactly ceil(n/8) bytes', () => {
    expect(emptySignerBitmap(1).bytes.length).toBe(1);
    expect(emptySignerBitmap(8).bytes.length).toBe(1);
    expect(emptySignerBitmap(9).bytes.length).toBe(2);
    expect(emptySignerBitmap(10_000).bytes.length).toBe(1250);
  });

  it('refuses indices outside the committee and bad sizes (caller bugs)', () => {
    expect(() => signerBitmapOf(4, [4])).toThrow(RangeError);
    expect(() => hasSigner(emptySignerBitmap(4), -1)).toThrow(RangeError);
    expect(() => emptySignerBitmap(0)).toThrow(RangeError);
    expect(() => emptySignerBitmap(10_001)).toThrow(RangeError);
  });

  it('encodes as varint(n) || bytes and round-trips', () => {
    const b = signerBitmapOf(200, [0, 199]);
    const enc = signerBitmapCodec.encode(b);
    expect([...enc.subarray(0, 2)]).toEqual([0xc8, 0x01]);
    expect(enc.length).toBe(2 + 25);
    const d = signerBitmapCodec.decode(enc);
    expect(d.ok && [...signerIndices(d.value)]).toEqual([0, 199]);
  });

  it('rejects padding bits, a zero or oversized member count, and a wrong length', () => {
    const padding = signerBitmapCodec.decode(Uint8Array.of(4, 0b0001_0000));
    expect(padding.ok ? 'accepted' : padding.error.code).toBe('INVALID_VALUE');
    expect(checkSignerBitmap({ memberCount: 4, bytes: Uint8Array.of(0b0001_0000) })).toEqual({
      ok: false,
      error: { code: 'PADDING_BITS_SET', lastByte: 0x10 },
    });
    expect(checkSignerBitmap({ memberCount: 4, bytes: Uint8Array.of(1, 0) }).ok).toBe(false);
    const zero = signerBitmapCodec.decode(Uint8Array.of(0));
    expect(zero.ok ? 'accepted' : zero.error.code).toBe('INVALID_VALUE');
    const huge = signerBitmapCodec.decode(Uint8Array.of(0x91, 0x4e, 0)); // 10,001
    expect(huge.ok ? 'accepted' : huge.error.code).toBe('INVALID_VALUE');
    const short = signerBitmapCodec.decode(Uint8Array.of(9, 0));
    expect(short.ok ? 'accepted' : short.error.code).toBe('TRUNCATED');
    expect(() => signerBitmapCodec.encode({ memberCount: 4, bytes: Uint8Array.of(0xff) })).toThrow(RangeError);
  });

  it('property: decoding random bytes never throws; accepted bytes re-encode identically', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const r = signerBitmapCodec.decode(bytes);
        if (r.ok) expect(signerBitmapCodec.encode(r.value)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: count and indices agree with the set that built the bitmap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.constant(n), fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: n }))),
        ([n, indices]) => {
          const b = signerBitmapOf(n, indices);
          expect(checkSignerBitmap(b).ok).toBe(true);
          expect(signerCount(b)).toBe(indices.length);
          expect([...signerIndices(b)]).toEqual([...indices].sort((x, y) => x - y));
        },
      ),
    );
  });
});
