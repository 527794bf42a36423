/**
 * Tagged unions: `u8 tag ‖ variant encoding` (docs/codec.md §Unions).
 *
 * The value is `{ kind, value }`: `kind` is the variant's name in the schema, the tag byte is
 * what travels. Tags are explicit in the schema (not derived from declaration order) so that
 * reordering or adding variants never silently changes existing encodings. An unassigned tag
 * is UNKNOWN_TAG. Up to 256 variants; a variant with no payload uses `struct({})`.
 */
import { encodeTypeError, rethrowWithSegment } from './_failure.ts';
import { failedValue } from './_reader.ts';
import { defineCodec, type Codec, type Infer } from './codec.ts';

/** Variant name → [tag byte, payload codec]. */
export type UnionVariants = { readonly [kind: string]: readonly [tag: number, codec: Codec<unknown>] };

export type UnionValue<V extends UnionVariants> = {
  [K in keyof V & string]: { readonly kind: K; readonly value: Infer<V[K][1]> };
}[keyof V & string];

type Variant = { readonly kind: string; readonly tag: number; readonly codec: Codec<unknown> };

export function union<V extends UnionVariants>(variants: V): Codec<UnionValue<V>> {
  const byKind = new Map<string, Variant>();
  const byTag: (Variant | undefined)[] = new Array<Variant | undefined>(256).fill(undefined);
  for (const [kind, [tag, codec]] of Object.entries(variants)) {
    if (!Number.isInteger(tag) || tag < 0 || tag > 0xff) throw new RangeError(`union variant ${kind}: tag must be an integer in [0, 255], got ${tag}`);
    if (byTag[tag] !== undefined) throw new RangeError(`union variant ${kind}: tag ${tag} is already used by ${byTag[tag]?.kind}`);
    const variant = { kind, tag, codec };
    byKind.set(kind, variant);
    byTag[tag] = variant;
  }
  if (byKind.size === 0) throw new RangeError('union needs at least one variant');
  const minBytes = 1 + Math.min(...[...byKind.values()].map((v) => v.codec.minBytes));
  return defineCodec<UnionValue<V>>({
    minBytes,
    write(writer, value) {
      if (typeof value !== 'object' || value === null) encodeTypeError('union value must be an object { kind, value }');
      const variant = byKind.get(value.kind);
      if (variant === undefined) encodeTypeError(`union has no variant ${JSON.stringify(value.kind)}`);
      writer.u8(variant.tag);
      try {
        variant.codec.write(writer, value.value);
      } catch (e) {
        rethrowWithSegment(e, `<${variant.kind}>`);
      }
    },
    read(reader) {
      const offset = reader.offset;
      const tag = reader.u8();
      if (reader.failed) return failedValue();
      const variant = byTag[tag];
      if (variant === undefined) {
        reader.fail({ code: 'UNKNOWN_TAG', tag }, offset);
        return failedValue();
      }
      const payload = variant.codec.read(reader);
      if (reader.failed) {
        reader.addPathSegment(`<${variant.kind}>`);
        return failedValue();
      }
      return Object.freeze({ kind: variant.kind, value: payload }) as UnionValue<V>;
    },
  });
}
