/**
 * The determinism recorder: a running 64-bit digest that every random draw and every
 * dispatched event can be folded into, so two runs of one seed compare by one short string.
 *
 * Sui's msim checks determinism the same way (hash every random draw, run twice, compare).
 * Construction: two 32-bit lanes, each a MurmurHash3-style block mix (Austin Appleby, public
 * domain) with its own constants, finalized with MurmurHash3's fmix32 and the fold count.
 * NOT cryptographic: it detects accidental divergence (a Map iterated in a different order, a
 * stray Math.random), not an adversary; collisions can be constructed on purpose.
 */
import type { Prng } from '../../core/prng.ts';

export type DeterminismDigest = {
  /** Folds a 32-bit unsigned integer (other numbers are taken `>>> 0`). */
  foldU32(value: number): void;
  /** Folds any number by its IEEE-754 bits (so 1.5 and 1.25 differ). */
  foldNumber(value: number): void;
  /** Folds a string: its length, then its UTF-16 code units. */
  foldString(value: string): void;
  /** Values folded so far (u32 words). */
  readonly count: number;
  /** The digest so far as 16 lowercase hex digits; folding may continue afterwards. */
  hex(): string;
};

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** MurmurHash3's 32-bit finalizer: every input bit affects every output bit. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex8 = (x: number): string => (x >>> 0).toString(16).padStart(8, '0');

export function createDigest(): DeterminismDigest {
  let lane1 = 0x243f6a88; // pi's first fractional bits: arbitrary, fixed start values
  let lane2 = 0x85a308d3;
  let count = 0;
  const floatView = new DataView(new ArrayBuffer(8));

  const foldU32 = (value: number): void => {
    const x = value >>> 0;
    let k1 = Math.imul(x, 0xcc9e2d51);
    k1 = Math.imul(rotl(k1, 15), 0x1b873593);
    lane1 = (Math.imul(rotl(lane1 ^ k1, 13), 5) + 0xe6546b64) | 0;
    let k2 = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
    k2 = Math.imul(rotl(k2, 17), 0xc2b2ae35);
    lane2 = (Math.imul(rotl(lane2 ^ k2, 11), 9) + 0x7f4a7c15) | 0;
    count++;
  };
  return {
    foldU32,
    foldNumber: (value) => {
      floatView.setFloat64(0, value);
      foldU32(floatView.getUint32(0));
      foldU32(floatView.getUint32(4));
    },
    foldString: (value) => {
      foldU32(value.length);
      for (let i = 0; i < value.length; i += 2) foldU32(value.charCodeAt(i) | ((i + 1 < value.length ? value.charCodeAt(i + 1) : 0) << 16));
    },
    get count() {
      return count;
    },
    hex: () => {
      const a = fmix32(lane1 ^ count);
      const b = fmix32(lane2 ^ a);
      return hex8(fmix32(a ^ rotl(b, 16))) + hex8(b);
    },
  };
}

/**
 * A Prng that yields exactly the draws of `prng` and folds every u32 drawn into `digest`.
 * `nextFloat` and `nextInt` are computed from `nextU32` the way core/prng.ts computes them, so
 * the values are identical to the unwrapped generator's.
 */
export function recordingPrng(prng: Prng, digest: DeterminismDigest): Prng {
  const nextU32 = (): number => {
    const value = prng.nextU32();
    digest.foldU32(value);
    return value;
  };
  const nextFloat = (): number => nextU32() / 2 ** 32;
  const nextInt = (bound: number): number => {
    if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) throw new RangeError(`nextInt: bound must be an integer in 1..2^32, got ${bound}`);
    return Math.floor(nextFloat() * bound);
  };
  return Object.freeze({ nextU32, nextFloat, nextInt });
}
