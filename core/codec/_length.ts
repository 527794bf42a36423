/**
 * Length and count prefixes (folder-private; docs/codec.md §Bytes, §Lists).
 *
 * A prefix is a `varint`, checked against the field's declared maximum *before* anything is
 * allocated or read: an attacker who declares 2^40 bytes gets LENGTH_TOO_LARGE at once.
 * On failure the returned length is 0, so a caller that reads on allocates nothing.
 */
import { encodeRangeError, encodeTypeError } from './_failure.ts';
import type { Reader } from './_reader.ts';
import { readVarint } from './varint.ts';

/** Reads a length/count prefix and fails with LENGTH_TOO_LARGE when it is above `max`. */
export function readLengthPrefix(reader: Reader, max: number): number {
  const offset = reader.offset;
  const declared = readVarint(reader);
  if (declared <= max) return declared;
  reader.fail({ code: 'LENGTH_TOO_LARGE', declared, max }, offset);
  return 0;
}

/** Checks a combinator's `max…` option when the schema is built (a bad schema is a bug). */
export function checkMaxOption(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${String(value)}`);
  }
  return value;
}

/** Encode side: the value's length must not exceed the field maximum (a too-long value is a bug). */
export function checkLengthForEncode(length: number, max: number, what: string): void {
  if (length > max) encodeRangeError(`${what} has length ${length}, above the field maximum ${max}`);
}

export function checkUint8Array(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) encodeTypeError(`${what} must be a Uint8Array`);
}
