/**
 * Failure records and field paths (folder-private).
 *
 * Decoding: a reader records the first failure (`DecodeFailure`) and every read after it
 * returns a harmless placeholder; each enclosing struct/list/union sees `reader.failed`, adds
 * its path segment and returns at once. No exception is thrown for bad input: a throw costs
 * microseconds in V8, and garbage from a peer must be cheap to reject.
 * Encoding: an invalid value is a bug in the caller, so it throws an `EncodeFailure`; each
 * enclosing codec adds its segment on the way out (zero cost when nothing fails), and the
 * public `encode` converts it into a RangeError/TypeError whose message starts with the path.
 * `EncodeFailure` is a plain object, not an `Error`, so raising it captures no stack trace.
 */
import type { DecodeError, DecodeErrorDetail } from './errors.ts';

/** A field name (`parents`), a list index (`3`) or a union variant (`<transfer>`). */
export type PathSegment = string | number;

export class DecodeFailure {
  /** Innermost segment first: enclosing codecs push as the failure unwinds. */
  readonly reversedPath: PathSegment[] = [];
  constructor(
    readonly detail: DecodeErrorDetail,
    readonly offset: number,
  ) {}

  toError(): DecodeError {
    // Object.assign, not spread: spread of a small object literal is ~10x slower on Node 20.
    const error: DecodeError = Object.assign({ path: formatPath(this.reversedPath), offset: this.offset }, this.detail);
    return Object.freeze(error);
  }
}

export class EncodeFailure {
  readonly reversedPath: PathSegment[] = [];
  constructor(
    readonly kind: 'range' | 'type',
    readonly reason: string,
  ) {}

  /** The public form: a RangeError/TypeError whose message starts with the field path. */
  toError(): RangeError | TypeError {
    const path = formatPath(this.reversedPath);
    const message = `${path === '' ? 'value' : path}: ${this.reason}`;
    return this.kind === 'range' ? new RangeError(message) : new TypeError(message);
  }
}

/** Re-throws `e` after recording `segment` when it is an encode failure; other errors pass. */
export function rethrowWithSegment(e: unknown, segment: PathSegment): never {
  if (e instanceof EncodeFailure) e.reversedPath.push(segment);
  throw e;
}

/** Raises an encode-side programming error (a bad value handed to `encode`). */
export function encodeRangeError(reason: string): never {
  throw new EncodeFailure('range', reason);
}

export function encodeTypeError(reason: string): never {
  throw new EncodeFailure('type', reason);
}

/** `['parents', 3]` reversed → `parents[3]`; `['amount', '<transfer>', 'body']` → `body<transfer>.amount`. */
export function formatPath(reversed: readonly PathSegment[]): string {
  let out = '';
  for (let i = reversed.length - 1; i >= 0; i--) {
    const segment = reversed[i];
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (segment === undefined) continue;
    else if (segment.startsWith('<') || out === '') out += segment;
    else out += `.${segment}`;
  }
  return out;
}
