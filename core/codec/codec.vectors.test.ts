// Known-answer vectors for the canonical codec. Source: hand-computed from the rules in
// docs/codec.md (LEB128 groups worked out bit by bit; integers big-endian; UTF-8 per RFC 3629).
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  bool, bytes, bytesFixed, type Codec, list, literals, option, struct, u16, u32, u64, u8, union, utf8, varint, varint64,
} from './index.ts';

function expectVector<T>(codec: Codec<T>, value: T, hex: string): void {
  expect(bytesToHex(codec.encode(value))).toBe(hex);
  const decoded = codec.decode(hexToBytes(hex));
  expect(decoded.ok).toBe(true);
  if (decoded.ok) expect(decoded.value).toEqual(value);
}

describe('varint (unsigned LEB128, minimal)', () => {
  const vectors: [number, string][] = [
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'], // 300 = 0b10_0101100 → 0x2c|0x80, 0x02
    [16_383, 'ff7f'],
    [16_384, '808001'],
    [2 ** 32, '8080808010'], // bit 32 = bit 4 of the 5th group
    [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f'], // 53 ones: 7 full groups + 4 bits
  ];
  for (const [value, hex] of vectors) it(`${value} → ${hex}`, () => expectVector(varint, value, hex));
});

describe('varint64 (bigint)', () => {
  const vectors: [bigint, string][] = [
    [0n, '00'],
    [300n, 'ac02'],
    [2n ** 53n, '8080808080808010'], // first value past MAX_SAFE_INTEGER: bit 53 = bit 4 of group 8
    [2n ** 63n, '80808080808080808001'],
    [2n ** 64n - 1n, 'ffffffffffffffffff01'],
  ];
  for (const [value, hex] of vectors) it(`${value} → ${hex}`, () => expectVector(varint64, value, hex));
});

describe('fixed-width integers are big-endian', () => {
  it('u8', () => expectVector(u8, 0xab, 'ab'));
  it('u16', () => expectVector(u16, 0x1234, '1234'));
  it('u32', () => {
    expectVector(u32, 1, '00000001');
    expectVector(u32, 0xdeadbeef, 'deadbeef');
  });
  it('u64', () => {
    expectVector(u64, 0x0102030405060708n, '0102030405060708');
    expectVector(u64, 2n ** 64n - 1n, 'ffffffffffffffff');
  });
});

describe('bool, bytes, strings, options, lists', () => {
  it('bool', () => {
    expectVector(bool, false, '00');
    expectVector(bool, true, '01');
  });
  it('bytes: varint length then the bytes', () => {
    const b = bytes({ maxBytes: 300 });
    expectVector(b, new Uint8Array(), '00');
    expectVector(b, hexToBytes('aabb'), '02aabb');
    expectVector(b, new Uint8Array(200).fill(7), 'c801' + '07'.repeat(200)); // 200 = 0x48|0x80, 0x01
  });
  it('bytesFixed: raw, no prefix', () => expectVector(bytesFixed(3), hexToBytes('010203'), '010203'));
  it('utf8: byte length then UTF-8', () => {
    const s = utf8({ maxBytes: 32 });
    expectVector(s, '', '00');
    expectVector(s, 'héllo', '0668c3a96c6c6f'); // é = U+00E9 = c3 a9
    expectVector(s, '€', '03e282ac'); // U+20AC
    expectVector(s, '😀', '04f09f9880'); // U+1F600, a surrogate pair in JS
    expectVector(s, '\ufeffA', '04efbbbf41'); // a leading BOM is kept, not stripped
  });
  it('option', () => {
    expectVector(option(u8), undefined, '00');
    expectVector(option(u8), 7, '0107');
  });
  it('list: varint count then items', () => {
    const l = list(u16, { maxItems: 4 });
    expectVector(l, [], '00');
    expectVector(l, [1, 0x0203], '0200010203');
  });
});

describe('unions, literals, structs', () => {
  const Body = union({
    ping: [0, struct({})],
    transfer: [5, struct({ amount: varint, memo: option(utf8({ maxBytes: 8 })) })],
  });
  it('union: tag byte then the variant', () => {
    expectVector(Body, { kind: 'ping', value: {} }, '00');
    expectVector(Body, { kind: 'transfer', value: { amount: 300, memo: 'hi' } }, '05ac0201026869');
  });
  it('literals: one code byte', () => {
    const Scheme = literals({ 'ml-dsa-44': 0, 'ml-dsa-65': 1, 'falcon-512': 7 });
    expectVector(Scheme, 'ml-dsa-65', '01');
    expectVector(Scheme, 'falcon-512', '07');
  });
  it('struct: fields in declaration order, no names on the wire', () => {
    const Header = struct({
      epoch: u64,
      round: u32,
      parents: list(bytesFixed(2), { maxItems: 4 }),
      memo: option(utf8({ maxBytes: 16 })),
      final: bool,
    });
    const value = { epoch: 1n, round: 2, parents: [hexToBytes('aabb'), hexToBytes('ccdd')], memo: 'hi', final: true };
    expectVector(Header, value, '0000000000000001' + '00000002' + '02aabbccdd' + '01026869' + '01');
    expectVector(Header, { ...value, parents: [], memo: undefined }, '0000000000000001' + '00000002' + '00' + '00' + '01');
    // An option field may be left out of the value to encode (its key is optional in the type).
    expectVector(Header, { epoch: 1n, round: 2, parents: [], final: false }, '0000000000000001' + '00000002' + '00' + '00' + '00');
  });
});
