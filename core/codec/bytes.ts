/**
 * Byte strings: variable length with a varint prefix, or fixed length (docs/codec.md §Bytes).
 *
 * Variable-length fields must declare `maxBytes`: there is no unbounded byte field, so no
 * decoder can be made to allocate more than its schema allows. Decoded arrays are fresh
 * copies, not views into the input (a Uint8Array cannot be frozen; copying is what keeps a
 * decoded value from changing when the caller reuses the input buffer).
 */
import { encodeRangeError } from './_failure.ts';
import { checkLengthForEncode, checkMaxOption, checkUint8Array, readLengthPrefix } from './_length.ts';
import { defineCodec, type Codec } from './codec.ts';
import { writeVarint } from './varint.ts';

export type BytesOptions = {
  /** Largest accepted length in bytes (required: every variable-length field is bounded). */
  readonly maxBytes: number;
};

/** `varint(length) ‖ bytes`, 0 ≤ length ≤ maxBytes. */
export function bytes(options: BytesOptions): Codec<Uint8Array> {
  const maxBytes = checkMaxOption(options.maxBytes, 'bytes maxBytes');
  return defineCodec<Uint8Array>({
    minBytes: 1,
    write(writer, value) {
      checkUint8Array(value, 'bytes');
      checkLengthForEncode(value.length, maxBytes, 'bytes');
      writeVarint(writer, value.length);
      writer.bytes(value);
    },
    read(reader) {
      const length = readLengthPrefix(reader, maxBytes);
      return reader.take(length);
    },
  });
}

/** Exactly `length` raw bytes, no prefix (hashes: `bytesFixed(32)`). */
export function bytesFixed(length: number): Codec<Uint8Array> {
  checkMaxOption(length, 'bytesFixed length');
  return defineCodec<Uint8Array>({
    minBytes: length,
    write(writer, value) {
      checkUint8Array(value, `bytesFixed(${length})`);
      if (value.length !== length) encodeRangeError(`bytesFixed(${length}) needs exactly ${length} bytes, got ${value.length}`);
      writer.bytes(value);
    },
    read: (reader) => reader.take(length),
  });
}
