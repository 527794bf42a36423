// Every decode error code with its path and offset; encode-side programming errors; frozen,
// copied outputs; schema construction checks. Inputs are hand-written hex (docs/codec.md).
import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { Result } from '../result.ts';
import {
  bool, bytes, bytesFixed, type Codec, type DecodeError, formatDecodeError, list, literals, map, option, parse, refine, struct, u16, u32,
  u64, u8, union, utf8, varint, varint64, Writer,
} from './index.ts';

function errorOf<T>(result: Result<T, DecodeError>): DecodeError {
  if (result.ok) throw new Error(`expected an error, decoded ${String(result.value)}`);
  return result.error;
}

function expectError<T>(codec: Codec<T>, hex: string, expected: Partial<DecodeError>): DecodeError {
  const error = errorOf(codec.decode(hexToBytes(hex)));
  expect(error).toMatchObject(expected);
  expect(Object.isFrozen(error)).toBe(true);
  return error;
}

const Vertex = struct({
  epoch: u64,
  round: u32,
  parents: list(bytesFixed(2), { maxItems: 4 }),
  body: union({
    ping: [0, struct({})],
    transfer: [1, struct({ amount: varint, ok: bool, note: option(utf8({ maxBytes: 8 })) })],
  }),
});
const vertexHeadHex = '0000000000000001' + '00000002';

describe('varints', () => {
  it('rejects non-minimal encodings', () => {
    expectError(varint, '8000', { code: 'NON_MINIMAL_VARINT', offset: 0 });
    expectError(varint, 'ff00', { code: 'NON_MINIMAL_VARINT', offset: 0 });
    expectError(varint, '80808000', { code: 'NON_MINIMAL_VARINT', offset: 0 });
    expectError(varint64, '8000', { code: 'NON_MINIMAL_VARINT' });
    expectError(varint64, 'ffffffffffffffff8000', { code: 'NON_MINIMAL_VARINT' });
  });
  it('rejects values beyond the declared width', () => {
    expectError(varint, 'ffffffffffffff10', { code: 'VARINT_OVERFLOW', offset: 0 }); // 2^53
    expectError(varint, '808080808080808001', { code: 'VARINT_OVERFLOW', offset: 0 }); // 9 bytes
    expectError(varint64, 'ffffffffffffffffff02', { code: 'VARINT_OVERFLOW' }); // 2^65-1
    expectError(varint64, '8080808080808080808001', { code: 'VARINT_OVERFLOW' }); // 11 bytes
  });
  it('reports a cut varint as TRUNCATED at its first byte', () => {
    expectError(varint, '', { code: 'TRUNCATED', offset: 0 });
    expectError(varint, '80', { code: 'TRUNCATED', offset: 0 });
    expectError(list(varint, { maxItems: 4 }), '0201ff', { code: 'TRUNCATED', path: '[1]', offset: 2 });
  });
});

describe('lengths are checked before anything is allocated', () => {
  it('a declared length of 2^40 fails at once with LENGTH_TOO_LARGE', () => {
    // 2^40: five zero groups, then bit 5 of the sixth group (0x20).
    expectError(bytes({ maxBytes: 1024 }), '808080808020', { code: 'LENGTH_TOO_LARGE', declared: 2 ** 40, max: 1024, offset: 0 });
    expectError(utf8({ maxBytes: 16 }), '11' + '61'.repeat(17), { code: 'LENGTH_TOO_LARGE', declared: 17, max: 16 });
    expectError(list(u8, { maxItems: 3 }), '04' + '00'.repeat(4), { code: 'LENGTH_TOO_LARGE', declared: 4, max: 3 });
  });
  it('a count the remaining bytes cannot back fails with TRUNCATED before the loop', () => {
    const huge = list(u64, { maxItems: Number.MAX_SAFE_INTEGER });
    expectError(huge, '8080808080200102', { code: 'TRUNCATED', neededBytes: 8 * 2 ** 40, availableBytes: 2 });
    expectError(bytes({ maxBytes: 2 ** 50 }), '808080808020', { code: 'TRUNCATED', neededBytes: 2 ** 40, availableBytes: 0 });
  });
});

describe('one byte, one meaning', () => {
  it('INVALID_BOOL', () => expectError(bool, '02', { code: 'INVALID_BOOL', byte: 2, offset: 0 }));
  it('INVALID_OPTION', () => expectError(option(u8), 'ff07', { code: 'INVALID_OPTION', byte: 0xff, offset: 0 }));
  it('UNKNOWN_TAG for unions and literals', () => {
    expectError(Vertex, vertexHeadHex + '00' + '07', { code: 'UNKNOWN_TAG', tag: 7, path: 'body', offset: 13 });
    expectError(literals({ a: 0, b: 2 }), '01', { code: 'UNKNOWN_TAG', tag: 1 });
  });
  it('INVALID_UTF8 for malformed, overlong, surrogate and cut sequences', () => {
    const s = utf8({ maxBytes: 8 });
    for (const hex of ['02c328', '02c080', '03eda080', '02e282', '01ff']) expectError(s, hex, { code: 'INVALID_UTF8', offset: 1 });
  });
});

describe('whole-input rules', () => {
  it('TRAILING_BYTES points at the first extra byte', () => {
    expectError(u16, '000102', { code: 'TRAILING_BYTES', trailingBytes: 1, offset: 2, path: '' });
  });
  it('TOO_LARGE when above the caller cap, checked before reading', () => {
    const error = errorOf(u8.decode(new Uint8Array(5), { maxBytes: 4 }));
    expect(error).toMatchObject({ code: 'TOO_LARGE', sizeBytes: 5, maxBytes: 4 });
    expect(u8.decode(new Uint8Array(1), { maxBytes: 1 }).ok).toBe(true);
  });
  it('every cut of a valid encoding is TRUNCATED', () => {
    const full = Vertex.encode({
      epoch: 9n, round: 3, parents: [hexToBytes('0102')],
      body: { kind: 'transfer', value: { amount: 1000, ok: true, note: 'ok' } },
    });
    for (let cut = 0; cut < full.length; cut++) expect(errorOf(Vertex.decode(full.subarray(0, cut))).code).toBe('TRUNCATED');
  });
});

describe('paths name the faulty field', () => {
  it('list index and union variant appear in the path', () => {
    // 2 parents × 2 bytes cannot fit in the 3 bytes left: caught at the list, before the items.
    expectError(Vertex, vertexHeadHex + '02' + '0102' + '03', { code: 'TRUNCATED', path: 'parents', offset: 13, neededBytes: 4 });
    expectError(struct({ flags: list(bool, { maxItems: 4 }) }), '03000102', { code: 'INVALID_BOOL', path: 'flags[2]', offset: 3 });
    const bad = expectError(Vertex, vertexHeadHex + '00' + '01' + 'ac02' + '05', { code: 'INVALID_BOOL', path: 'body<transfer>.ok', offset: 16 });
    expect(formatDecodeError(bad)).toBe('INVALID_BOOL at body<transfer>.ok (offset 16): byte 0x05');
  });
  it('refine rejects with INVALID_VALUE and its reason', () => {
    const even = refine(u8, (n) => (n % 2 === 0 ? undefined : 'must be even'));
    expectError(struct({ n: even }), '03', { code: 'INVALID_VALUE', reason: 'must be even', path: 'n' });
    expect(() => even.encode(3)).toThrow(new RangeError('value: must be even'));
  });
  it('parse converts once, or rejects with INVALID_VALUE, its reason and the field offset', () => {
    let calls = 0;
    const half = parse(u8, {
      fromWire: (n) => {
        calls++;
        return n % 2 === 0 ? { ok: true, value: { half: n / 2 } } : { ok: false, reason: 'must be even' };
      },
      toWire: (v) => v.half * 2,
    });
    const pair = struct({ a: u8, h: half });
    const decoded = pair.decode(hexToBytes('0708'));
    expect(decoded).toEqual({ ok: true, value: { a: 7, h: { half: 4 } } });
    expect(calls).toBe(1);
    expect(decoded.ok && Object.isFrozen(decoded.value.h)).toBe(true);
    expectError(pair, '0703', { code: 'INVALID_VALUE', reason: 'must be even', path: 'h', offset: 1 });
    expectError(pair, '07', { code: 'TRUNCATED', path: 'h' });
    expect(pair.encode({ a: 7, h: { half: 4 } })).toEqual(hexToBytes('0708'));
  });
});

describe('encode rejects invalid values as programming errors', () => {
  const transfer = (amount: number) => ({ kind: 'transfer' as const, value: { amount, ok: true } });
  it('RangeError naming the field path', () => {
    expect(() => Vertex.encode({ epoch: 1n, round: 2 ** 32, parents: [], body: transfer(1) })).toThrow(new RangeError('round: u32 must be an integer in [0, 4294967295], got 4294967296'));
    expect(() => Vertex.encode({ epoch: -1n, round: 0, parents: [], body: transfer(1) })).toThrow(/^epoch: u64/);
    expect(() => Vertex.encode({ epoch: 1n, round: 0, parents: [new Uint8Array(2), new Uint8Array(3)], body: transfer(1) })).toThrow(/^parents\[1\]: bytesFixed\(2\) needs exactly 2 bytes, got 3$/);
    expect(() => Vertex.encode({ epoch: 1n, round: 0, parents: Array.from({ length: 5 }, () => new Uint8Array(2)), body: transfer(1) })).toThrow(/^parents: list has length 5, above the field maximum 4$/);
    expect(() => Vertex.encode({ epoch: 1n, round: 0, parents: [], body: transfer(1.5) })).toThrow(/^body<transfer>\.amount: varint must be an integer/);
    expect(() => utf8({ maxBytes: 4 }).encode('\ud800')).toThrow(RangeError);
    expect(() => utf8({ maxBytes: 4 }).encode('héllo')).toThrow(/length 6, above the field maximum 4/);
  });
  it('TypeError for a value of the wrong type', () => {
    const bad = { epoch: 1, round: 0, parents: [], body: transfer(1) } as unknown as Parameters<typeof Vertex.encode>[0];
    expect(() => Vertex.encode(bad)).toThrow(new TypeError('epoch: u64 must be a bigint, got number'));
    const badKind = { epoch: 1n, round: 0, parents: [], body: { kind: 'nope', value: {} } } as unknown as Parameters<typeof Vertex.encode>[0];
    expect(() => Vertex.encode(badKind)).toThrow(new TypeError('body: union has no variant "nope"'));
    expect(() => bool.encode(1 as unknown as boolean)).toThrow(TypeError);
  });
  it('varint range', () => {
    expect(() => varint.encode(-1)).toThrow(RangeError);
    expect(() => varint.encode(2 ** 53)).toThrow(RangeError);
    expect(() => varint64.encode(2n ** 64n)).toThrow(RangeError);
  });
});

describe('decoded values are frozen and never alias the input', () => {
  const input = Vertex.encode({ epoch: 1n, round: 2, parents: [hexToBytes('0a0b')], body: { kind: 'ping', value: {} } });
  it('frozen all the way down', () => {
    const r = Vertex.decode(input);
    if (!r.ok) throw new Error(r.error.code);
    expect(Object.isFrozen(r.value)).toBe(true);
    expect(Object.isFrozen(r.value.parents)).toBe(true);
    expect(Object.isFrozen(r.value.body)).toBe(true);
    expect(Object.isFrozen(r.value.body.value)).toBe(true);
  });
  it('byte arrays are fresh copies: mutating the input later changes nothing', () => {
    const copy = input.slice();
    const r = Vertex.decode(copy);
    if (!r.ok) throw new Error(r.error.code);
    copy.fill(0xee);
    expect(r.value.parents[0]).toEqual(hexToBytes('0a0b'));
    expect(r.value.parents[0]?.buffer).not.toBe(copy.buffer);
  });
  it('decodes from a view with a non-zero byteOffset', () => {
    const framed = new Uint8Array(input.length + 3);
    framed.set(input, 3);
    const r = Vertex.decode(framed.subarray(3));
    expect(r.ok && r.value.round).toBe(2);
  });
});

describe('schemas are checked when built', () => {
  it('refuses ambiguous or unbounded schemas', () => {
    expect(() => option(option(u8))).toThrow(TypeError);
    expect(() => union({ a: [1, u8], b: [1, u16] })).toThrow(/tag 1 is already used by a/);
    expect(() => union({ a: [256, u8] })).toThrow(RangeError);
    expect(() => struct({ 0: u8 })).toThrow(TypeError);
    expect(() => bytes({} as { maxBytes: number })).toThrow(RangeError);
    expect(() => list(u8, { maxItems: -1 })).toThrow(RangeError);
    expect(() => literals({ a: 0, b: 0 })).toThrow(RangeError);
  });
});

describe('Writer and nested encoding', () => {
  it('grows past its initial capacity without losing bytes', () => {
    const writer = new Writer({ initialCapacityBytes: 1 });
    for (let i = 0; i < 10_000; i++) writer.u8(i & 0xff);
    const out = writer.finish();
    expect(out.length).toBe(10_000);
    expect(out.every((b, i) => b === (i & 0xff))).toBe(true);
  });
  it('enforces maxBytes', () => {
    const writer = new Writer({ initialCapacityBytes: 2, maxBytes: 4 });
    writer.u32(1);
    expect(() => writer.u8(1)).toThrow(RangeError);
  });
  it('encode may be called from inside another encode (map callbacks)', () => {
    const inner = struct({ a: u16 });
    const wrapped = map(bytes({ maxBytes: 8 }), {
      toWire: (n: number) => inner.encode({ a: n }),
      fromWire: (b: Uint8Array) => (b[0] ?? 0) * 256 + (b[1] ?? 0),
    });
    const outer = struct({ x: u8, y: wrapped });
    expect(outer.encode({ x: 1, y: 0x0203 })).toEqual(hexToBytes('01020203'));
  });
  it('encodeInto appends to a caller writer', () => {
    const writer = new Writer();
    u16.encodeInto(writer, 1);
    varint.encodeInto(writer, 300);
    expect(writer.finish()).toEqual(hexToBytes('0001ac02'));
    expect(() => u8.encodeInto(writer, 300)).toThrow(new RangeError('value: u8 must be an integer in [0, 255], got 300'));
  });
});
