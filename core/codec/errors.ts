/**
 * Typed decode errors of the canonical codec (docs/codec.md §Errors).
 *
 * Bytes from a peer are untrusted: every way they can be wrong is a value here, keyed by
 * `code`, so a caller can score the peer, log the cause, or translate it into its own reject
 * union. Every error carries `path` (the field path, e.g. `vertex.parents[3]`, empty at the top
 * level) and `offset` (the byte offset in the input where the faulty item begins).
 */

/** Every decode error code, as a value (for exhaustive tests and switch statements). */
export const DECODE_ERROR_CODES = [
  'TRUNCATED',
  'TRAILING_BYTES',
  'NON_MINIMAL_VARINT',
  'VARINT_OVERFLOW',
  'LENGTH_TOO_LARGE',
  'INVALID_BOOL',
  'UNKNOWN_TAG',
  'INVALID_UTF8',
  'INVALID_OPTION',
  'TOO_LARGE',
  'INVALID_VALUE',
] as const;

export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[number];

type At = {
  /** Field path from the top-level value, e.g. `vertex.parents[3]`; `''` for the value itself. */
  readonly path: string;
  /** Byte offset in the input where the faulty item (or prefix) begins. */
  readonly offset: number;
};

/** What went wrong, with the facts that prove it; `path`/`offset` say where. */
export type DecodeErrorDetail =
  /** The input ends before the item does. */
  | { readonly code: 'TRUNCATED'; readonly neededBytes: number; readonly availableBytes: number }
  /** A complete value was decoded but bytes remain after it. */
  | { readonly code: 'TRAILING_BYTES'; readonly trailingBytes: number }
  /** A varint used more bytes than needed (e.g. `0x80 0x00` for 0): not canonical. */
  | { readonly code: 'NON_MINIMAL_VARINT' }
  /** A varint's value exceeds its declared width (2^53−1 or 2^64−1). */
  | { readonly code: 'VARINT_OVERFLOW' }
  /** A length or count prefix is above the field's declared maximum. */
  | { readonly code: 'LENGTH_TOO_LARGE'; readonly declared: number; readonly max: number }
  /** A boolean byte other than 0x00 or 0x01. */
  | { readonly code: 'INVALID_BOOL'; readonly byte: number }
  /** A union tag (or literal code) no variant claims. */
  | { readonly code: 'UNKNOWN_TAG'; readonly tag: number }
  /** String bytes that are not well-formed UTF-8. */
  | { readonly code: 'INVALID_UTF8' }
  /** An option marker other than 0x00 (absent) or 0x01 (present). */
  | { readonly code: 'INVALID_OPTION'; readonly byte: number }
  /** The whole input is above the caller's `maxBytes` cap. */
  | { readonly code: 'TOO_LARGE'; readonly sizeBytes: number; readonly maxBytes: number }
  /** Well-formed bytes whose value a `refine` check rejected. */
  | { readonly code: 'INVALID_VALUE'; readonly reason: string };

export type DecodeError = DecodeErrorDetail & At;

/** One line for logs: `LENGTH_TOO_LARGE at vertex.parents (offset 41): declared 300 > max 256`. */
export function formatDecodeError(error: DecodeError): string {
  const where = `${error.path === '' ? '<root>' : error.path} (offset ${error.offset})`;
  return `${error.code} at ${where}${describe(error)}`;
}

function describe(error: DecodeErrorDetail): string {
  switch (error.code) {
    case 'TRUNCATED':
      return `: needs ${error.neededBytes} bytes, ${error.availableBytes} left`;
    case 'TRAILING_BYTES':
      return `: ${error.trailingBytes} bytes after the value`;
    case 'LENGTH_TOO_LARGE':
      return `: declared ${error.declared} > max ${error.max}`;
    case 'INVALID_BOOL':
    case 'INVALID_OPTION':
      return `: byte 0x${error.byte.toString(16).padStart(2, '0')}`;
    case 'UNKNOWN_TAG':
      return `: tag ${error.tag}`;
    case 'TOO_LARGE':
      return `: ${error.sizeBytes} bytes > max ${error.maxBytes}`;
    case 'INVALID_VALUE':
      return `: ${error.reason}`;
    case 'NON_MINIMAL_VARINT':
    case 'VARINT_OVERFLOW':
    case 'INVALID_UTF8':
      return '';
  }
}
