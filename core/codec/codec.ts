/**
 * The Codec type and `defineCodec`, which every combinator uses (docs/codec.md).
 *
 * A codec is a pair of low-level functions over a Writer/Reader plus metadata; `defineCodec`
 * adds the public entry points: `encode` (throws RangeError/TypeError naming the field path on
 * an invalid value: a bug in the caller), `decode` (returns `Result<T, DecodeError>`: bad bytes
 * are a value, never an exception), and `encodeInto` (append to a caller's Writer, for framing
 * several values into one buffer). `decode` rejects trailing bytes and accepts an optional
 * total-size cap; values come back deeply frozen, with byte arrays as fresh copies.
 * Decoding never throws on bad bytes; it throws only for a non-Uint8Array argument (a bug).
 */
import { err, ok, type Result } from '../result.ts';
import { EncodeFailure } from './_failure.ts';
import { Reader } from './_reader.ts';
import { Writer } from './_writer.ts';
import type { DecodeError } from './errors.ts';

export type DecodeOptions = {
  /** Reject inputs longer than this many bytes with `TOO_LARGE` before reading; default: no cap. */
  readonly maxBytes?: number;
};

export interface Codec<T> {
  /**
   * The fewest bytes any encoding of this codec takes. A list decoder multiplies it by the
   * declared count to reject an impossible count before allocating anything.
   */
  readonly minBytes: number;
  /** Low level: append `value`'s encoding; throws on a bad value (custom codecs: RangeError/TypeError). */
  write(writer: Writer, value: T): void;
  /**
   * Low level: read one value at the reader's position. Bad input is recorded with
   * `reader.fail` (never thrown); after any sub-read, check `reader.failed` before using the
   * value and, if set, return `failedValue()` at once (see `_reader.ts`).
   */
  read(reader: Reader): T;
  /** The canonical encoding of `value`; throws RangeError/TypeError naming the bad field. */
  encode(value: T): Uint8Array;
  /** Appends the canonical encoding of `value` to `writer` (partial output on a throw). */
  encodeInto(writer: Writer, value: T): void;
  /** Decodes exactly one value spanning all of `bytes`; frozen on success. */
  decode(bytes: Uint8Array, options?: DecodeOptions): Result<T, DecodeError>;
}

/** The value type a codec encodes and decodes: `Infer<typeof Vertex>`. */
export type Infer<C> = C extends Codec<infer T> ? T : never;

export type CodecParts<T> = {
  readonly minBytes: number;
  write(writer: Writer, value: T): void;
  read(reader: Reader): T;
};

/** Builds a complete, frozen codec from its low-level parts. */
export function defineCodec<T>(parts: CodecParts<T>): Codec<T> {
  const { minBytes, write, read } = parts;
  if (!Number.isSafeInteger(minBytes) || minBytes < 0) throw new RangeError('minBytes must be a non-negative integer');
  const codec: Codec<T> = {
    minBytes,
    write,
    read,
    encode: (value) => encodeWith(codec, value),
    encodeInto: (writer, value) => {
      try {
        write(writer, value);
      } catch (e) {
        throw toPublicError(e);
      }
    },
    decode: (bytes, options) => decodeWith(codec, bytes, options),
  };
  return Object.freeze(codec);
}

/**
 * One shared scratch writer: most encodings (vertices, transactions) then cost one final
 * copy and no growth. A nested `encode` (from inside a `map`/`refine` callback) finds it busy
 * and uses a fresh writer. After an unusually large encoding the scratch is replaced, so it
 * never pins more than SCRATCH_KEEP_BYTES between calls.
 */
const SCRATCH_KEEP_BYTES = 64 * 1024;
let scratch = new Writer({ initialCapacityBytes: 4096 });
let scratchBusy = false;

function encodeWith<T>(codec: Codec<T>, value: T): Uint8Array {
  if (scratchBusy) return encodeFresh(codec, value);
  scratchBusy = true;
  const writer = scratch;
  writer.reset();
  try {
    codec.write(writer, value);
    return writer.finish();
  } catch (e) {
    throw toPublicError(e);
  } finally {
    if (writer.length > SCRATCH_KEEP_BYTES) scratch = new Writer({ initialCapacityBytes: 4096 });
    scratchBusy = false;
  }
}

function encodeFresh<T>(codec: Codec<T>, value: T): Uint8Array {
  const writer = new Writer();
  try {
    codec.write(writer, value);
  } catch (e) {
    throw toPublicError(e);
  }
  return writer.finish();
}

function toPublicError(e: unknown): unknown {
  return e instanceof EncodeFailure ? e.toError() : e;
}

function decodeWith<T>(codec: Codec<T>, bytes: Uint8Array, options: DecodeOptions | undefined): Result<T, DecodeError> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decode: bytes must be a Uint8Array');
  const maxBytes = options?.maxBytes;
  if (maxBytes !== undefined && bytes.length > maxBytes) {
    return err(Object.freeze({ code: 'TOO_LARGE', sizeBytes: bytes.length, maxBytes, path: '', offset: 0 }));
  }
  const reader = new Reader(bytes);
  const value = codec.read(reader);
  const failure = reader.failure;
  if (failure !== undefined) return err(failure.toError());
  if (reader.remaining !== 0) {
    return err(Object.freeze({ code: 'TRAILING_BYTES', trailingBytes: reader.remaining, path: '', offset: reader.offset }));
  }
  return ok(value);
}
