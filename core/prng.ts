/**
 * A small seeded pseudo-random generator for deterministic tests, benchmarks and workloads.
 *
 * Algorithm: mulberry32 (Tommy Ettinger, public domain): 32-bit state, one multiply-xorshift
 * mix per draw. Pinned by a known-answer test (prng.test.ts), so a seed reproduces the same
 * sequence everywhere (HOUSE-RULES 4). It is NOT cryptographic and its period is 2^32: use it
 * to shuffle, pick and jitter, never for keys or nonces.
 */
export type Prng = {
  /** The next 32-bit unsigned integer. */
  nextU32(): number;
  /** A float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number;
  /** An integer in [0, bound), for 1 ≤ bound ≤ 2^32. */
  nextInt(bound: number): number;
};

export function createPrng(seed: number): Prng {
  if (!Number.isInteger(seed)) throw new TypeError(`createPrng: seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  const nextU32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const nextFloat = (): number => nextU32() / 2 ** 32;
  const nextInt = (bound: number): number => {
    if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) throw new RangeError(`nextInt: bound must be an integer in 1..2^32, got ${bound}`);
    return Math.floor(nextFloat() * bound);
  };
  return Object.freeze({ nextU32, nextFloat, nextInt });
}
