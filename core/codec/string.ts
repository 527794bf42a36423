/**
 * UTF-8 strings: `varint(byteLength) ‖ utf8 bytes` (docs/codec.md §Strings).
 *
 * The bound is in encoded bytes, not characters, because bytes are what a decoder allocates
 * and what an attacker controls. Decoding is strict (see `_utf8.ts`): invalid UTF-8 is
 * INVALID_UTF8, so every accepted string has exactly one encoding. No Unicode normalisation is
 * applied: "é" as U+00E9 and as "e" + U+0301 are different strings with different encodings.
 */
import { encodeRangeError, encodeTypeError } from './_failure.ts';
import { checkLengthForEncode, checkMaxOption, readLengthPrefix } from './_length.ts';
import { utf8DecodeStrict, utf8Encode } from './_utf8.ts';
import { defineCodec, type Codec } from './codec.ts';
import { writeVarint } from './varint.ts';

export type Utf8Options = {
  /** Largest accepted UTF-8 length in bytes (required: every string field is bounded). */
  readonly maxBytes: number;
};

export function utf8(options: Utf8Options): Codec<string> {
  const maxBytes = checkMaxOption(options.maxBytes, 'utf8 maxBytes');
  return defineCodec<string>({
    minBytes: 1,
    write(writer, value) {
      if (typeof value !== 'string') encodeTypeError(`utf8 must be a string, got ${typeof value}`);
      const encoded = utf8Encode(value);
      if (encoded === undefined) encodeRangeError('utf8 string contains a lone surrogate (no UTF-8 form)');
      checkLengthForEncode(encoded.length, maxBytes, 'utf8 string');
      writeVarint(writer, encoded.length);
      writer.bytes(encoded);
    },
    read(reader) {
      const length = readLengthPrefix(reader, maxBytes);
      const offset = reader.offset;
      const view = reader.peekView(length);
      if (reader.failed) return '';
      const decoded = utf8DecodeStrict(view);
      if (decoded === undefined) {
        reader.fail({ code: 'INVALID_UTF8' }, offset);
        return '';
      }
      reader.skip(length);
      return decoded;
    },
  });
}
