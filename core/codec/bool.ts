/**
 * Booleans: one byte, 0x00 = false, 0x01 = true (docs/codec.md §Booleans).
 *
 * Any other byte is INVALID_BOOL: accepting 0x02 as `true` would give `true` two encodings and
 * break `encode(decode(b)) = b`, which content hashes and signatures depend on.
 */
import { encodeTypeError } from './_failure.ts';
import { defineCodec, type Codec } from './codec.ts';

export const bool: Codec<boolean> = defineCodec<boolean>({
  minBytes: 1,
  write(writer, value) {
    if (typeof value !== 'boolean') encodeTypeError(`bool must be a boolean, got ${typeof value}`);
    writer.u8(value ? 1 : 0);
  },
  read(reader) {
    const offset = reader.offset;
    const byte = reader.u8();
    if (byte > 1) reader.fail({ code: 'INVALID_BOOL', byte }, offset);
    return byte === 1;
  },
});
