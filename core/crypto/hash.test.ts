import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blake3 } from '@noble/hashes/blake3.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { bytesEqual, createDomainHash, createDomainHasher, hash, hashDomain, isHash32, parseHex, toHex } from './hash.ts';

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

/**
 * Outputs pinned from the @noble/hashes-based implementation before hash.ts moved onto
 * blake3.ts: the public API must keep producing these exact bytes (ids, roots and cache keys
 * across the project depend on them). Inputs: `length` bytes `(i * 7 + seed) & 0xff`.
 */
describe('pinned outputs', () => {
  const pattern = (length: number, seed = 0) => Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);

  it('hash', () => {
    const pinned: ReadonlyArray<[number, string]> = [
      [0, 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262'],
      [1, '2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213'],
      [64, '91879ebe9cbc1b03e7d14eeb052ace3b17c666416098b545f2b070c8624bc94a'],
      [65, '57a299ea7fe87704589bdcc5c5f1dc35409bbc9c333af038ea9424770cfea65d'],
      [1024, '080603c00d033a571a2e0ab1430930974f3dd6018404166292b448b397f4f732'],
      [1025, 'd640176fa1f04b203747e9132636ecf738a7a485c0a4d56ff4dbce44ebc55a09'],
      [3000, 'c4d23a52703507448673086d28b768ced91b37e739641acbdbd2ee8745df68cb'],
    ];
    for (const [length, expected] of pinned) expect(toHex(hash(pattern(length))), `length ${length}`).toBe(expected);
  });

  it('hashDomain', () => {
    expect(toHex(hashDomain('kaldrix/tx-id/v1'))).toBe('826117195c5c1efbefe7274e13884169df94d962326b6e85fa1206b8b1e20272');
    expect(toHex(hashDomain('kaldrix/tx-id/v1', pattern(0)))).toBe('81d336c3aa548b5985b4aeb8244e65f13a179a7d714ceec66401205d07ec7d57');
    expect(toHex(hashDomain('kaldrix/tx-id/v1', pattern(5), pattern(1100, 3)))).toBe('367662e6864d8d7c0753a3c0492ad47f9d0c57a734b134fcb96c2651a94bb665');
    expect(toHex(hashDomain('ünïcode/v1', pattern(60), pattern(4, 1), pattern(0), pattern(2048, 9)))).toBe('041ea2c7826fddbd37580ca2c6047fd311c6fd016b29a38842da3fdd94d71b66');
  });

  it('createDomainHash, reused across calls', () => {
    const vertexId = createDomainHash('kaldrix/vertex-id/v1');
    expect(toHex(vertexId(pattern(32), pattern(32, 1)))).toBe('a59bb2dc0a3173cf8d7955bcf7f459ce60d1a57f3d9ae1d0ab1fc61707a245fa');
    expect(toHex(vertexId(pattern(1020)))).toBe('caca8ff69cbb188d2f77ccf2b02702a8ba6a52d083f5b82ea19d79298e58e1f5');
    expect(toHex(vertexId(pattern(32), pattern(32, 1)))).toBe('a59bb2dc0a3173cf8d7955bcf7f459ce60d1a57f3d9ae1d0ab1fc61707a245fa');
  });

  it('createDomainHasher (raw, unframed), cloned per message', () => {
    const node = createDomainHasher('kaldrix/merkle/node/v1');
    expect(toHex(node.clone().digest())).toBe('da27723cbb99c914afaee048076f36483949e52efe12ab9470e160d21e57f082');
    expect(toHex(node.clone().update(pattern(32)).update(pattern(32, 1)).digest())).toBe('ba1a19dd4e62dab3ff30e566c85c6d14c13f710b2617a9735e6653d5a93f20e0');
    expect(toHex(node.clone().update(pattern(2500)).digest())).toBe('7dd9cb8f9c07ae82f692808d77a6f5fb990db15fd1ec7d7ef43ed8f0aa87be41');
  });

  it('a part that throws leaves a reusable domain hash in a clean state', () => {
    const vertexId = createDomainHash('kaldrix/vertex-id/v1');
    expect(() => vertexId(pattern(32), 'x' as unknown as Uint8Array)).toThrow(TypeError);
    expect(toHex(vertexId(pattern(1020)))).toBe('caca8ff69cbb188d2f77ccf2b02702a8ba6a52d083f5b82ea19d79298e58e1f5');
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
