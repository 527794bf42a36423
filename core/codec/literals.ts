/**
 * String literals carried as one byte (docs/codec.md §Literals).
 *
 * For closed vocabularies such as signature scheme names: `literals({ 'ml-dsa-44': 0, ... })`
 * is a `Codec<'ml-dsa-44' | ...>` that writes the assigned code byte. Codes are explicit so
 * that adding a name never changes the others' encodings. An unassigned byte is UNKNOWN_TAG.
 */
import { encodeTypeError } from './_failure.ts';
import { failedValue } from './_reader.ts';
import { defineCodec, type Codec } from './codec.ts';

export function literals<const L extends { readonly [name: string]: number }>(codes: L): Codec<keyof L & string> {
  const byName = new Map<string, number>();
  const byCode: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);
  for (const [name, code] of Object.entries(codes)) {
    if (!Number.isInteger(code) || code < 0 || code > 0xff) throw new RangeError(`literal ${name}: code must be an integer in [0, 255], got ${code}`);
    if (byCode[code] !== undefined) throw new RangeError(`literal ${name}: code ${code} is already used by ${byCode[code]}`);
    byName.set(name, code);
    byCode[code] = name;
  }
  return defineCodec<keyof L & string>({
    minBytes: 1,
    write(writer, value) {
      const code = byName.get(value);
      if (code === undefined) encodeTypeError(`${JSON.stringify(value)} is not one of ${[...byName.keys()].join(', ')}`);
      writer.u8(code);
    },
    read(reader) {
      const offset = reader.offset;
      const code = reader.u8();
      if (reader.failed) return failedValue();
      const name = byCode[code];
      if (name === undefined) reader.fail({ code: 'UNKNOWN_TAG', tag: code }, offset);
      return name as keyof L & string;
    },
  });
}
