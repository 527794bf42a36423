/**
 * Key helpers private to the state tree: bytewise order and argument checks.
 *
 * Bytewise order of 32-byte keys equals the tree's in-order (bit 0 most significant, 0 = left),
 * which is why sorting a batch by `compareKeys` lets each node split its slice with one binary
 * search.
 */
import { compareBytes } from '../../crypto/hash.ts';
import { isStateKey } from './hashing.ts';

/** Negative, zero or positive as `a` sorts before, equal to or after `b` (bytewise, unsigned). */
export const compareKeys: (a: Uint8Array, b: Uint8Array) => number = compareBytes;

/** Throws TypeError naming `what` unless `key` is a 32-byte Uint8Array (a bug in the caller). */
export function checkKey(key: unknown, what: string): asserts key is Uint8Array {
  if (!isStateKey(key)) throw new TypeError(`${what} must be a 32-byte Uint8Array`);
}

/** Plain byte equality (for public data: values, not secrets; see `bytesEqual` for those). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareKeys(a, b) === 0;
}
