/**
 * Checked u64 arithmetic for the ledger: every amount, nonce and epoch stays in [0, 2^64 − 1].
 *
 * DESIGN.md §2 Ledger. Execution checks balances before it subtracts and the genesis caps the
 * total supply at U64_MAX (conservation keeps it there), so an overflow or underflow here means
 * a bug in execution, never bad input: these functions throw RangeError naming what overflowed.
 */
import { U64_MAX } from './types.ts';

export function addU64(a: bigint, b: bigint, what: string): bigint {
  const sum = a + b;
  if (a < 0n || b < 0n || sum > U64_MAX) throw new RangeError(`${what}: u64 overflow (${a} + ${b})`);
  return sum;
}

export function subU64(a: bigint, b: bigint, what: string): bigint {
  if (a < 0n || b < 0n || b > a) throw new RangeError(`${what}: u64 underflow (${a} − ${b})`);
  return a - b;
}

/** ⌊value × numerator / denominator⌋ with exact bigint intermediates; denominator > 0. */
export function mulDivFloor(value: bigint, numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n || value < 0n || numerator < 0n) throw new RangeError('mulDivFloor: needs value, numerator ≥ 0 and denominator > 0');
  return (value * numerator) / denominator;
}
