/**
 * Optional values: 0x00 = absent, 0x01 ‖ value = present (docs/codec.md §Options).
 *
 * Absent is `undefined` in TypeScript. Any other marker byte is INVALID_OPTION (one encoding
 * per value). In a struct, an option field may be omitted from the value given to `encode`;
 * decoded structs always carry the key, set to `undefined` when absent.
 * `option(option(x))` is refused when the schema is built: "present, inner absent" (01 00)
 * and "absent" (00) would both decode to `undefined`, so one value would have two encodings.
 */
import { defineCodec, type Codec } from './codec.ts';

/** Codecs made by `option`, to refuse nesting them. */
const optionCodecs = new WeakSet<Codec<unknown>>();

export function option<T>(inner: Codec<T>): Codec<T | undefined> {
  if (optionCodecs.has(inner)) throw new TypeError('option(option(...)) is ambiguous: absent and present-but-absent would share one value');
  const codec = defineCodec<T | undefined>({
    minBytes: 1,
    write(writer, value) {
      if (value === undefined) {
        writer.u8(0);
        return;
      }
      writer.u8(1);
      inner.write(writer, value);
    },
    read(reader) {
      const offset = reader.offset;
      const marker = reader.u8();
      if (marker === 0) return undefined; // also a failed read's placeholder
      if (marker !== 1) {
        reader.fail({ code: 'INVALID_OPTION', byte: marker }, offset);
        return undefined;
      }
      return inner.read(reader);
    },
  });
  optionCodecs.add(codec);
  return codec;
}
