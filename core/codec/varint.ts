/**
 * Unsigned LEB128 varints, minimal encoding only (docs/codec.md §Varints).
 *
 * Seven value bits per byte, least-significant group first, high bit set on every byte but the
 * last (300 → 0xac 0x02). Canonical form: the last byte of a multi-byte varint is never 0x00,
 * so each value has exactly one encoding; `0x80 0x00` is rejected as NON_MINIMAL_VARINT.
 * Two widths: `varint` is a JS number up to 2^53−1 (at most 8 bytes; the 8th byte ≤ 0x0f) and
 * `varint64` is a bigint up to 2^64−1 (at most 10 bytes; the 10th byte ≤ 0x01). Anything
 * larger is VARINT_OVERFLOW. Length and count prefixes use `varint`.
 */
import { encodeRangeError, encodeTypeError } from './_failure.ts';
import type { Reader } from './_reader.ts';
import type { Writer } from './_writer.ts';
import { defineCodec, type Codec } from './codec.ts';

const U64_MAX = (1n << 64n) - 1n;
/** The 8th byte of a `varint` carries bits 49..55; 2^53−1 leaves it at most 4 bits (0x0f). */
const VARINT_LAST_BYTE_MAX = 0x0f;
/** The 10th byte of a `varint64` carries bit 63 only. */
const VARINT64_LAST_BYTE_MAX = 0x01;

/** Appends `value` (a safe non-negative integer, already validated) as a minimal varint. */
export function writeVarint(writer: Writer, value: number): void {
  while (value >= 0x80) {
    writer.u8((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  writer.u8(value);
}

/** Reads a minimal varint of at most 2^53−1. */
export function readVarint(reader: Reader): number {
  const start = reader.offset;
  let byte = reader.u8();
  if (byte < 0x80) return byte; // also a failed read's placeholder 0
  let value = byte & 0x7f;
  let scale = 0x80;
  for (let index = 1; index < 8; index++) {
    byte = nextByte(reader, start);
    if (byte < 0) return 0;
    if (index === 7 && byte > VARINT_LAST_BYTE_MAX) return failVarint(reader, 'VARINT_OVERFLOW', start);
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return byte === 0 ? failVarint(reader, 'NON_MINIMAL_VARINT', start) : value;
    scale *= 0x80;
  }
  throw new Error('unreachable: the 8th varint byte either ends the varint or overflows');
}

export function writeVarint64(writer: Writer, value: bigint): void {
  if (value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    writeVarint(writer, Number(value));
    return;
  }
  while (value >= 0x80n) {
    writer.u8(Number(value & 0x7fn) | 0x80);
    value >>= 7n;
  }
  writer.u8(Number(value));
}

/** Reads a minimal varint of at most 2^64−1; the first 7 groups are summed as a number (fast). */
export function readVarint64(reader: Reader): bigint {
  const start = reader.offset;
  let low = 0;
  let scale = 1;
  for (let index = 0; index < 7; index++) {
    const byte = nextByte(reader, start);
    if (byte < 0) return 0n;
    low += (byte & 0x7f) * scale;
    if (byte < 0x80) return byte === 0 && index > 0 ? failVarint64(reader, 'NON_MINIMAL_VARINT', start) : BigInt(low);
    scale *= 0x80;
  }
  let value = BigInt(low);
  for (let index = 7; index < 10; index++) {
    const byte = nextByte(reader, start);
    if (byte < 0) return 0n;
    if (index === 9 && byte > VARINT64_LAST_BYTE_MAX) return failVarint64(reader, 'VARINT_OVERFLOW', start);
    value |= BigInt(byte & 0x7f) << BigInt(7 * index);
    if (byte < 0x80) return byte === 0 ? failVarint64(reader, 'NON_MINIMAL_VARINT', start) : value;
  }
  throw new Error('unreachable: the 10th varint64 byte either ends the varint or overflows');
}

/** The next byte, or -1 after recording TRUNCATED at the varint's first byte (where it begins). */
function nextByte(reader: Reader, start: number): number {
  if (reader.need(1, start)) return reader.u8();
  return -1;
}

function failVarint(reader: Reader, code: 'VARINT_OVERFLOW' | 'NON_MINIMAL_VARINT', start: number): number {
  reader.fail({ code }, start);
  return 0;
}

function failVarint64(reader: Reader, code: 'VARINT_OVERFLOW' | 'NON_MINIMAL_VARINT', start: number): bigint {
  reader.fail({ code }, start);
  return 0n;
}

/** Throws the encode signal unless `value` fits a `varint`; `what` names the quantity. */
export function checkVarintValue(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number') encodeTypeError(`${what} must be a number, got ${typeof value}`);
  if (!Number.isSafeInteger(value) || value < 0) encodeRangeError(`${what} must be an integer in [0, 2^53-1], got ${value}`);
}

/** Unsigned integer as a minimal LEB128 varint, 0 ≤ n ≤ 2^53−1, 1 to 8 bytes. */
export const varint: Codec<number> = defineCodec<number>({
  minBytes: 1,
  write(writer, value) {
    checkVarintValue(value, 'varint');
    writeVarint(writer, value);
  },
  read: readVarint,
});

/** Unsigned 64-bit integer (bigint) as a minimal LEB128 varint, 1 to 10 bytes. */
export const varint64: Codec<bigint> = defineCodec<bigint>({
  minBytes: 1,
  write(writer, value) {
    if (typeof value !== 'bigint') encodeTypeError(`varint64 must be a bigint, got ${typeof value}`);
    if (value < 0n || value > U64_MAX) encodeRangeError(`varint64 must be in [0, 2^64-1], got ${value}`);
    writeVarint64(writer, value);
  },
  read: readVarint64,
});
