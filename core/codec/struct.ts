/**
 * Structs: the fields' encodings concatenated in declaration order (docs/codec.md §Structs).
 *
 * No field names, tags or lengths on the wire: the schema is the contract, and any change to
 * it is a new version of the message. Field names must be plain identifiers (not integer-like
 * strings, which JavaScript objects reorder, and not `__proto__`), so declaration order is
 * exactly `Object.keys` order. Properties of the encoded value that the schema does not name
 * are ignored. Decoded structs are frozen and always carry every declared key.
 */
import { encodeTypeError, rethrowWithSegment } from './_failure.ts';
import { failedValue } from './_reader.ts';
import { defineCodec, type Codec, type Infer } from './codec.ts';

export type StructFields = { readonly [name: string]: Codec<unknown> };

type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** Fields whose codec admits `undefined` (options) may be left out when encoding. */
type OptionalKeys<F extends StructFields> = { [K in keyof F]: undefined extends Infer<F[K]> ? K : never }[keyof F];

export type StructValue<F extends StructFields> = Simplify<
  { readonly [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & {
    readonly [K in OptionalKeys<F>]?: Infer<F[K]>;
  }
>;

/** An identifier, so JavaScript keeps the declared key order (integer-like keys sort first). */
const FIELD_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function struct<F extends StructFields>(fields: F): Codec<StructValue<F>> {
  const names = Object.keys(fields);
  const codecs = names.map((name) => {
    if (!FIELD_NAME.test(name) || name === '__proto__') throw new TypeError(`struct field name ${JSON.stringify(name)} must be a plain identifier`);
    return fields[name] as Codec<unknown>;
  });
  const fieldCount = names.length;
  const minBytes = codecs.reduce((sum, codec) => sum + codec.minBytes, 0);
  return defineCodec<StructValue<F>>({
    minBytes,
    write(writer, value) {
      if (typeof value !== 'object' || value === null) encodeTypeError(`struct must be an object, got ${value === null ? 'null' : typeof value}`);
      const record = value as Readonly<Record<string, unknown>>;
      let index = 0;
      try {
        for (; index < fieldCount; index++) (codecs[index] as Codec<unknown>).write(writer, record[names[index] as string]);
      } catch (e) {
        rethrowWithSegment(e, names[index] as string);
      }
    },
    read(reader) {
      const out: Record<string, unknown> = {};
      for (let index = 0; index < fieldCount; index++) {
        const name = names[index] as string;
        out[name] = (codecs[index] as Codec<unknown>).read(reader);
        if (reader.failed) {
          reader.addPathSegment(name);
          return failedValue();
        }
      }
      return Object.freeze(out) as StructValue<F>;
    },
  });
}
