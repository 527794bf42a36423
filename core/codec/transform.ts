/**
 * Derived codecs: `map` (a one-to-one change of representation), `refine` (extra validity
 * rules) and `parse` (both at once, when checking a value already builds the mapped one) over
 * an existing codec (docs/codec.md §Derived codecs).
 *
 * The wire format is the base codec's. Canonicality is preserved only if `map` is a bijection
 * between the base values and the mapped ones (`toWire(fromWire(x))` equals `x`); `map`
 * cannot check that, its caller must. `refine` rejects well-formed but invalid values: on
 * decode with INVALID_VALUE (bad input), on encode with RangeError (a bug in the caller).
 */
import { encodeRangeError } from './_failure.ts';
import { failedValue } from './_reader.ts';
import { defineCodec, type Codec } from './codec.ts';

export type MapFunctions<T, U> = {
  /** Turns a decoded base value into the mapped one; must be total (never throw). */
  readonly fromWire: (value: T) => U;
  /** Turns a mapped value back into the base value to encode. */
  readonly toWire: (value: U) => T;
};

export function map<T, U>(base: Codec<T>, functions: MapFunctions<T, U>): Codec<U> {
  const { fromWire, toWire } = functions;
  return defineCodec<U>({
    minBytes: base.minBytes,
    write: (writer, value) => base.write(writer, toWire(value)),
    read(reader) {
      const value = base.read(reader);
      return reader.failed ? failedValue() : freezeIfObject(fromWire(value));
    },
  });
}

/** `check` returns undefined when the value is valid, else the reason it is not. */
export function refine<T>(base: Codec<T>, check: (value: T) => string | undefined): Codec<T> {
  return defineCodec<T>({
    minBytes: base.minBytes,
    write(writer, value) {
      const reason = check(value);
      if (reason !== undefined) encodeRangeError(reason);
      base.write(writer, value);
    },
    read(reader) {
      const offset = reader.offset;
      const value = base.read(reader);
      if (reader.failed) return value;
      const reason = check(value);
      if (reason !== undefined) reader.fail({ code: 'INVALID_VALUE', reason }, offset);
      return value;
    },
  });
}

export type ParseFunctions<T, U> = {
  /** The mapped value of a decoded base value, or the reason the base value is not valid. */
  readonly fromWire: (value: T) => { readonly ok: true; readonly value: U } | { readonly ok: false; readonly reason: string };
  /** Turns a mapped value back into the base value to encode (a valid one, by its type). */
  readonly toWire: (value: U) => T;
};

/**
 * `refine` then `map` with one call on decode: where the check is the conversion (a tagged
 * signature's tag and length, say), it runs once instead of twice per decoded value. The
 * same rules as `map` apply: one-to-one, or the codec is not canonical.
 */
export function parse<T, U>(base: Codec<T>, functions: ParseFunctions<T, U>): Codec<U> {
  const { fromWire, toWire } = functions;
  return defineCodec<U>({
    minBytes: base.minBytes,
    write: (writer, value) => base.write(writer, toWire(value)),
    read(reader) {
      const offset = reader.offset;
      const value = base.read(reader);
      if (reader.failed) return failedValue();
      const parsed = fromWire(value);
      if (parsed.ok) return freezeIfObject(parsed.value);
      reader.fail({ code: 'INVALID_VALUE', reason: parsed.reason }, offset);
      return failedValue();
    },
  });
}

/** Decoded values are frozen; typed arrays cannot be (and are fresh copies anyway). */
function freezeIfObject<U>(value: U): U {
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) Object.freeze(value);
  return value;
}
