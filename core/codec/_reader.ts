/**
 * Reader: a cursor over untrusted input (docs/codec.md §Integers).
 *
 * Every read checks the remaining length first and records a `TRUNCATED` failure instead of
 * reading past the end, so no read ever allocates for bytes that are not there. Integers are
 * big-endian. `take` returns fresh copies: a decoded value never aliases the input buffer, so
 * mutating the input afterwards cannot change it.
 *
 * Failure protocol (no exceptions for bad input, see `_failure.ts`): `fail` records the first
 * failure; from then on every read returns a placeholder (0, empty bytes) without reading or
 * allocating. A codec that reads a sub-value must check `failed` before using it, and if set,
 * call `addPathSegment` (composites) and return `failedValue()` at once. The top-level
 * `decode` turns the recorded failure into `err(DecodeError)`.
 */
import { DecodeFailure, type PathSegment } from './_failure.ts';
import type { DecodeErrorDetail } from './errors.ts';

const EMPTY = new Uint8Array(0);

/** What a read returns after a failure; never reaches a caller, since `decode` checks `failed`. */
export function failedValue<T>(): T {
  return undefined as T;
}

export class Reader {
  readonly #bytes: Uint8Array;
  /** Created on the first multi-byte integer read: many inputs (varints, bytes) never need it. */
  #view: DataView | undefined = undefined;
  #offset = 0;
  #failure: DecodeFailure | undefined = undefined;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Position of the next unread byte. */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  /** True once any read has failed; every later read is a placeholder. */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** The first failure recorded, if any. */
  get failure(): DecodeFailure | undefined {
    return this.#failure;
  }

  /** Records a decode failure at `offset` (default: the current position); the first one wins. */
  fail(detail: DecodeErrorDetail, offset: number = this.#offset): void {
    this.#failure ??= new DecodeFailure(detail, offset);
  }

  /** Called by a composite codec when a sub-read failed: names the field in the error path. */
  addPathSegment(segment: PathSegment): void {
    this.#failure?.reversedPath.push(segment);
  }

  /** True if `count` more bytes exist; otherwise records TRUNCATED (checked before allocating). */
  need(count: number, offset: number = this.#offset): boolean {
    if (this.#failure !== undefined) return false;
    const available = this.#bytes.length - this.#offset;
    if (count <= available) return true;
    this.fail({ code: 'TRUNCATED', neededBytes: count, availableBytes: available }, offset);
    return false;
  }

  u8(): number {
    const at = this.#offset;
    if (at < this.#bytes.length && this.#failure === undefined) {
      this.#offset = at + 1;
      return this.#bytes[at] as number;
    }
    this.need(1);
    return 0;
  }

  u16(): number {
    if (!this.need(2)) return 0;
    const value = this.#dataView().getUint16(this.#offset, false);
    this.#offset += 2;
    return value;
  }

  u32(): number {
    if (!this.need(4)) return 0;
    const value = this.#dataView().getUint32(this.#offset, false);
    this.#offset += 4;
    return value;
  }

  u64(): bigint {
    if (!this.need(8)) return 0n;
    const value = this.#dataView().getBigUint64(this.#offset, false);
    this.#offset += 8;
    return value;
  }

  /** The next `count` bytes as a fresh copy (never a view into the input). */
  take(count: number): Uint8Array {
    if (!this.need(count)) return EMPTY;
    const start = this.#offset;
    this.#offset = start + count;
    return this.#bytes.slice(start, start + count);
  }

  /** The next `count` bytes as a view, for callers that convert them at once (then `skip`). */
  peekView(count: number): Uint8Array {
    if (!this.need(count)) return EMPTY;
    return this.#bytes.subarray(this.#offset, this.#offset + count);
  }

  #dataView(): DataView {
    const bytes = this.#bytes;
    this.#view ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.#view;
  }

  /** Advances past bytes already examined with `peekView`. */
  skip(count: number): void {
    if (this.need(count)) this.#offset += count;
  }
}
