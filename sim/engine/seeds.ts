/**
 * One root seed, many independent named random streams.
 *
 * HOUSE-RULES 4 ("one seed decides everything"; a seed per validator, link and fault plan).
 * A stream's seed is a pure function of (root seed, label, ids): it is never drawn from another
 * stream, so adding, removing or consuming a stream never shifts any other one, and a run
 * replays from the root seed alone.
 *
 * Derivation (documented, pinned by a known-answer test in seeds.test.ts):
 *   labelWords = the first 8 bytes of BLAKE3 derive_key('kaldrix/sim-stream-label/v1', label),
 *                computed once per label (labels are code constants, so the cache is small);
 *   seed       = MurmurHash3-x86-32-style mix of the u32 words
 *                [labelWord0, labelWord1, ids..., idCount] with the root seed as the hash seed.
 * The mix is an integer hash, not BLAKE3, because a network of 1,000 validators has ~10^6 links
 * and each needs its own stream: hashing each with BLAKE3 would take seconds at setup.
 * Each stream is core/prng.ts (mulberry32, pinned), so a stream has 32 bits of state:
 * different streams may overlap somewhere in the 2^32 cycle. That is harmless for jitter,
 * loss and fault draws; it is not a source of secrets.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { createDomainHash } from '../../core/crypto/index.ts';
import { createPrng, type Prng } from '../../core/prng.ts';
import { fmix32, recordingPrng, type DeterminismDigest } from './digest.ts';

export type Seeds = {
  readonly rootSeed: number;
  /** The derived 32-bit seed of stream (label, ids). */
  seedFor(label: string, ...ids: readonly number[]): number;
  /** A fresh generator for stream (label, ids): the same arguments always give the same sequence. */
  streamFor(label: string, ...ids: readonly number[]): Prng;
};

export type SeedsInit = {
  /** When given, every draw of every stream is folded into it. */
  readonly digest?: DeterminismDigest;
};

const labelHash = createDomainHash('kaldrix/sim-stream-label/v1');
/** Most ids a stream name takes: (link, from, to) needs two; the bound keeps misuse visible. */
const MAX_STREAM_IDS = 8;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function mixWord(h: number, word: number): number {
  let k = Math.imul(word >>> 0, 0xcc9e2d51);
  k = Math.imul(rotl(k, 15), 0x1b873593);
  return (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
}

export function createSeeds(rootSeed: number, init: SeedsInit = {}): Seeds {
  if (!Number.isInteger(rootSeed) || rootSeed < 0 || rootSeed > 0xffff_ffff) throw new RangeError(`createSeeds: rootSeed must be a u32, got ${rootSeed}`);
  const labelWords = new Map<string, readonly [number, number]>();
  const wordsOf = (label: string): readonly [number, number] => {
    let words = labelWords.get(label);
    if (words === undefined) {
      if (typeof label !== 'string' || label.length === 0) throw new TypeError('streamFor: label must be a non-empty string');
      const digest = labelHash(utf8ToBytes(label));
      const view = new DataView(digest.buffer, digest.byteOffset, 8);
      words = [view.getUint32(0, true), view.getUint32(4, true)];
      labelWords.set(label, words);
    }
    return words;
  };
  const seedFor = (label: string, ...ids: readonly number[]): number => {
    if (ids.length > MAX_STREAM_IDS) throw new RangeError(`streamFor: at most ${MAX_STREAM_IDS} ids, got ${ids.length}`);
    const [w0, w1] = wordsOf(label);
    let h = mixWord(mixWord(rootSeed | 0, w0), w1);
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id > 0xffff_ffff) throw new RangeError(`streamFor(${label}): ids must be u32 integers, got ${id}`);
      h = mixWord(h, id);
    }
    return fmix32(h ^ ids.length);
  };
  const digest = init.digest;
  return Object.freeze({
    rootSeed,
    seedFor,
    streamFor: (label: string, ...ids: readonly number[]): Prng => {
      const prng = createPrng(seedFor(label, ...ids));
      return digest === undefined ? prng : recordingPrng(prng, digest);
    },
  });
}
