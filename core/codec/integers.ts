/**
 * Fixed-width unsigned integers, big-endian (docs/codec.md §Integers).
 *
 * Big-endian so that encoded keys (epoch, round, sequence) compare bytewise in numeric order,
 * which sorted stores and Merkle key paths rely on. u8/u16/u32 are JS numbers; u64 is a bigint
 * because 2^64−1 is beyond Number.MAX_SAFE_INTEGER. Every byte pattern of the right length is
 * a valid, canonical value, so decoding can only fail with TRUNCATED.
 */
import { encodeRangeError, encodeTypeError } from './_failure.ts';
import { defineCodec, type Codec } from './codec.ts';

const U64_MAX = (1n << 64n) - 1n;

function checkUint(value: unknown, name: string, max: number): asserts value is number {
  if (typeof value !== 'number') encodeTypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 0 || value > max) encodeRangeError(`${name} must be an integer in [0, ${max}], got ${value}`);
}

export const u8: Codec<number> = defineCodec<number>({
  minBytes: 1,
  write(writer, value) {
    checkUint(value, 'u8', 0xff);
    writer.u8(value);
  },
  read: (reader) => reader.u8(),
});

export const u16: Codec<number> = defineCodec<number>({
  minBytes: 2,
  write(writer, value) {
    checkUint(value, 'u16', 0xffff);
    writer.u16(value);
  },
  read: (reader) => reader.u16(),
});

export const u32: Codec<number> = defineCodec<number>({
  minBytes: 4,
  write(writer, value) {
    checkUint(value, 'u32', 0xffff_ffff);
    writer.u32(value);
  },
  read: (reader) => reader.u32(),
});

export const u64: Codec<bigint> = defineCodec<bigint>({
  minBytes: 8,
  write(writer, value) {
    if (typeof value !== 'bigint') encodeTypeError(`u64 must be a bigint, got ${typeof value}`);
    if (value < 0n || value > U64_MAX) encodeRangeError(`u64 must be in [0, 2^64-1], got ${value}`);
    writer.u64(value);
  },
  read: (reader) => reader.u64(),
});
