/**
 * Writer: an append-only byte buffer that grows by doubling (docs/codec.md §Integers).
 *
 * Doubling makes appending n bytes cost O(n) amortised (no quadratic re-copying). Integers are
 * written big-endian so that encoded fixed-width keys sort bytewise in numeric order. The
 * buffer is bounded by `maxBytes` (default 1 GiB, about the largest ArrayBuffer every engine
 * allocates reliably): writing past it is a programming error and throws RangeError.
 */

/** Initial capacity: a vertex header and a few parents fit without growing. */
const INITIAL_CAPACITY_BYTES = 256;
/** Upper bound on any one encoding (see module header). */
const DEFAULT_MAX_BYTES = 1 << 30;

export type WriterInit = {
  /** First buffer size in bytes; default 256. */
  readonly initialCapacityBytes?: number;
  /** Largest total length the writer accepts, in bytes; default 1 GiB. */
  readonly maxBytes?: number;
};

export class Writer {
  #buffer: Uint8Array;
  #view: DataView;
  #length = 0;
  readonly #maxBytes: number;

  constructor(init: WriterInit = {}) {
    const capacity = init.initialCapacityBytes ?? INITIAL_CAPACITY_BYTES;
    this.#maxBytes = init.maxBytes ?? DEFAULT_MAX_BYTES;
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('initialCapacityBytes must be a positive integer');
    if (!Number.isSafeInteger(this.#maxBytes) || this.#maxBytes < 0) throw new RangeError('maxBytes must be a non-negative integer');
    this.#buffer = new Uint8Array(capacity);
    this.#view = new DataView(this.#buffer.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  u8(value: number): void {
    this.#reserve(1);
    this.#buffer[this.#length++] = value;
  }

  u16(value: number): void {
    this.#reserve(2);
    this.#view.setUint16(this.#length, value, false);
    this.#length += 2;
  }

  u32(value: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.#length, value, false);
    this.#length += 4;
  }

  u64(value: bigint): void {
    this.#reserve(8);
    this.#view.setBigUint64(this.#length, value, false);
    this.#length += 8;
  }

  /** Appends raw bytes (no length prefix; the caller writes one when the format needs it). */
  bytes(value: Uint8Array): void {
    this.#reserve(value.length);
    this.#buffer.set(value, this.#length);
    this.#length += value.length;
  }

  /** A copy of the bytes written so far, exactly `length` long (safe to keep after reset). */
  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }

  /** Forgets the contents but keeps the buffer, so a long-lived writer stops allocating. */
  reset(): void {
    this.#length = 0;
  }

  #reserve(extraBytes: number): void {
    const needed = this.#length + extraBytes;
    if (needed <= this.#buffer.length) return;
    if (needed > this.#maxBytes) throw new RangeError(`encoding exceeds the writer's maxBytes (${this.#maxBytes})`);
    let capacity = this.#buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(Math.min(capacity, this.#maxBytes));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
  }
}
