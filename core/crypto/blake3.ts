/**
 * BLAKE3 (256-bit output) in all three modes: `hash`, `keyed_hash` and `derive_key`, one-shot and
 * streaming. KALDRIX's one BLAKE3: hash.ts, the Merkle trees and the state tree all use it.
 *
 * Spec: the BLAKE3 paper (O'Connor, Aumasson, Neves, Wilcox-O'Hearn, 2020):
 * - §2.2 the compression function: 7 rounds of the ChaCha-style G over a 16-word state, the
 *   message words permuted between rounds; output words 0..7 are the chaining value.
 * - §2.1 the tree: the input is split into 1024-byte chunks of 64-byte blocks (CHUNK_START on a
 *   chunk's first block, CHUNK_END on its last, the chunk index as the counter); chunk chaining
 *   values are joined by PARENT nodes into a binary tree whose left subtrees are complete (the
 *   largest power of two of chunks that leaves at least one byte on the right); the last
 *   compression (a chunk's, when it is the only chunk, else the top parent's) carries ROOT.
 * - §2.3 the modes: `hash` keys with the IV; `keyed_hash` with a 32-byte key and flag
 *   KEYED_HASH; `derive_key` first hashes the context string under the IV with flag
 *   DERIVE_KEY_CONTEXT, then hashes the key material under that context key with flag
 *   DERIVE_KEY_MATERIAL.
 * - §5.1.2 the incremental form: a stack of the chaining values of complete subtrees, merged
 *   as soon as the chunk count says a subtree is complete (the count's trailing zero bits), and
 *   a chunk finished only once more input arrives, since the last one may be the root.
 *
 * Why not `@noble/hashes/blake3` directly: it computes the same function, but on the target
 * machine it ran at 14–27 MB/s, took 17–25 µs for one 64-byte Merkle node through `clone()`, and
 * 200–300 µs for a 3.9 KB signature-cache key (object and buffer churn per call). This file keeps
 * the compression state in int32 locals (V8 keeps them in registers; an array-based version
 * measured several times slower), reads aligned input as little-endian words without copying,
 * and allocates nothing per block: one-shot calls reuse one module-level state and return only
 * the 32-byte digest. Measured on the same (loaded, 2-core) machine: 170–250 MB/s for 1 MiB,
 * about 0.5–0.9 µs per 64-byte input, 30–50 µs for that cache key: 6–11× `@noble/hashes`.
 * Reproduce with `npm run bench -- --filter blake3` (bench/suites/hash.ts: both, side by side).
 *
 * Caveats: output is always 32 bytes (no extendable output; the paper's XOF is not needed here).
 * The chunk counter is a JS number: streams past 2^53 chunks (8 EiB) are not supported.
 * Timing depends on the input's length, never on its content. A context key is an opaque
 * value: never write into it. The file runs past the 400-line house limit because it keeps
 * the whole spec in one place, with the compression function unrolled for speed.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** Digest length: 256 bits, 128-bit collision resistance. */
export const BLAKE3_OUT_BYTES = 32;
/** `keyed_hash` key length (paper §2.3). */
export const BLAKE3_KEY_BYTES = 32;

/** The IV: SHA-256's, the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const IV = Uint32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);

/** Domain flags of the compression function (paper Table 3). */
const CHUNK_START = 1;
const CHUNK_END = 2;
const PARENT = 4;
const ROOT = 8;
const KEYED_HASH = 16;
const DERIVE_KEY_CONTEXT = 32;
const DERIVE_KEY_MATERIAL = 64;

const BLOCK_BYTES = 64;
const CHUNK_BYTES = 1024;
const ROUNDS = 7;
/** Words of one chaining value (a key, a stack entry). */
const CV_WORDS = 8;
/** Stack entries allocated on first use; enough for 2^8 chunks (256 KiB) before it grows. */
const INITIAL_STACK_ENTRIES = 8;
/** Below this many direct blocks, loading bytes beats creating a word view of the input. */
const MIN_BLOCKS_FOR_WORD_VIEW = 4;

/** Word views read bytes in platform order; BLAKE3 words are little-endian (every JS engine in use). */
const IS_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Scratch message block (16 little-endian words), written in full before each use. */
const blockWords = new Uint32Array(16);
/** Scratch output chaining value of `digest`. */
const outWords = new Uint32Array(CV_WORDS);
const NO_STACK = new Uint32Array(0);

/**
 * A `derive_key` context key (paper §2.3): 8 words, made by `deriveContextKey`. Opaque: callers
 * only pass it back; the brand keeps any other `Uint32Array` from posing as one.
 */
export type Blake3ContextKey = Uint32Array & { readonly __brand: 'Blake3ContextKey' };

/** Mode of a streaming hasher: `{}` plain hash, `{ key }` keyed_hash, `{ contextKey }` derive_key material. */
export type Blake3Options = { readonly key?: Uint8Array } | { readonly contextKey: Blake3ContextKey };

/** An incremental BLAKE3-256: absorb bytes in any pieces, read the digest of everything so far. */
export interface Blake3Hasher {
  /** Absorbs `bytes` (any length; no copy is kept). Returns the hasher for chaining. */
  update(bytes: Uint8Array): this;
  /** The 32-byte digest of everything absorbed so far. Does not change the state: more updates may follow. */
  digest(): Uint8Array;
  /** An independent hasher in the same state (for a shared prefix such as a context key). */
  clone(): Blake3Hasher;
  /** Back to the initial state of its mode and key. */
  reset(): this;
}

/**
 * The compression function, truncated to output words 0..7 (all a 256-bit digest and a chaining
 * value need): `out[outAt..+8] = compress(cv[cvAt..+8], m[mAt..+16], counter, blockLength, flags)`.
 * `out` may alias `cv`: all inputs are read into locals first.
 */
function compress(cv: Uint32Array, m: Uint32Array, mAt: number, counter: number, blockLength: number, flags: number, out: Uint32Array): void {
  let m0 = m[mAt]! | 0, m1 = m[mAt + 1]! | 0, m2 = m[mAt + 2]! | 0, m3 = m[mAt + 3]! | 0;
  let m4 = m[mAt + 4]! | 0, m5 = m[mAt + 5]! | 0, m6 = m[mAt + 6]! | 0, m7 = m[mAt + 7]! | 0;
  let m8 = m[mAt + 8]! | 0, m9 = m[mAt + 9]! | 0, m10 = m[mAt + 10]! | 0, m11 = m[mAt + 11]! | 0;
  let m12 = m[mAt + 12]! | 0, m13 = m[mAt + 13]! | 0, m14 = m[mAt + 14]! | 0, m15 = m[mAt + 15]! | 0;
  let v0 = cv[0]! | 0, v1 = cv[1]! | 0, v2 = cv[2]! | 0, v3 = cv[3]! | 0, v4 = cv[4]! | 0, v5 = cv[5]! | 0, v6 = cv[6]! | 0, v7 = cv[7]! | 0;
  let v8 = IV[0]! | 0, v9 = IV[1]! | 0, v10 = IV[2]! | 0, v11 = IV[3]! | 0;
  // The 64-bit counter as two words: `| 0` keeps the low 32 bits, the division the high ones.
  let v12 = counter | 0, v13 = (counter / 0x1_0000_0000) | 0, v14 = blockLength | 0, v15 = flags | 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Columns.
    v0 = (v0 + v4 + m0) | 0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 16);
    v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 12) | (v4 << 20);
    v0 = (v0 + v4 + m1) | 0; v12 ^= v0; v12 = (v12 >>> 8) | (v12 << 24);
    v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 7) | (v4 << 25);
    v1 = (v1 + v5 + m2) | 0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 16);
    v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 12) | (v5 << 20);
    v1 = (v1 + v5 + m3) | 0; v13 ^= v1; v13 = (v13 >>> 8) | (v13 << 24);
    v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 7) | (v5 << 25);
    v2 = (v2 + v6 + m4) | 0; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 16);
    v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 12) | (v6 << 20);
    v2 = (v2 + v6 + m5) | 0; v14 ^= v2; v14 = (v14 >>> 8) | (v14 << 24);
    v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 7) | (v6 << 25);
    v3 = (v3 + v7 + m6) | 0; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 16);
    v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 12) | (v7 << 20);
    v3 = (v3 + v7 + m7) | 0; v15 ^= v3; v15 = (v15 >>> 8) | (v15 << 24);
    v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 7) | (v7 << 25);
    // Diagonals.
    v0 = (v0 + v5 + m8) | 0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 16);
    v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 12) | (v5 << 20);
    v0 = (v0 + v5 + m9) | 0; v15 ^= v0; v15 = (v15 >>> 8) | (v15 << 24);
    v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 7) | (v5 << 25);
    v1 = (v1 + v6 + m10) | 0; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 16);
    v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 12) | (v6 << 20);
    v1 = (v1 + v6 + m11) | 0; v12 ^= v1; v12 = (v12 >>> 8) | (v12 << 24);
    v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 7) | (v6 << 25);
    v2 = (v2 + v7 + m12) | 0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 16);
    v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 12) | (v7 << 20);
    v2 = (v2 + v7 + m13) | 0; v13 ^= v2; v13 = (v13 >>> 8) | (v13 << 24);
    v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 7) | (v7 << 25);
    v3 = (v3 + v4 + m14) | 0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 16);
    v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 12) | (v4 << 20);
    v3 = (v3 + v4 + m15) | 0; v14 ^= v3; v14 = (v14 >>> 8) | (v14 << 24);
    v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 7) | (v4 << 25);
    if (round === ROUNDS - 1) break;
    // Message permutation (paper §2.2, Table 2) for the next round.
    const t0 = m0, t1 = m1, t2 = m2, t3 = m3, t4 = m4, t5 = m5, t6 = m6, t7 = m7;
    const t8 = m8, t9 = m9, t10 = m10, t11 = m11, t12 = m12, t13 = m13, t14 = m14, t15 = m15;
    m0 = t2; m1 = t6; m2 = t3; m3 = t10; m4 = t7; m5 = t0; m6 = t4; m7 = t13;
    m8 = t1; m9 = t11; m10 = t12; m11 = t5; m12 = t9; m13 = t14; m14 = t15; m15 = t8;
  }
  out[0] = v0 ^ v8; out[1] = v1 ^ v9; out[2] = v2 ^ v10; out[3] = v3 ^ v11;
  out[4] = v4 ^ v12; out[5] = v5 ^ v13; out[6] = v6 ^ v14; out[7] = v7 ^ v15;
}

/** Loads `length` ≤ 64 bytes of `bytes` at `at` into `blockWords` as little-endian words, zero-padded. */
function loadBlockWords(bytes: Uint8Array, at: number, length: number): void {
  if (length === BLOCK_BYTES) {
    for (let i = 0, j = at; i < 16; i++, j += 4) {
      blockWords[i] = bytes[j]! | (bytes[j + 1]! << 8) | (bytes[j + 2]! << 16) | (bytes[j + 3]! << 24);
    }
    return;
  }
  blockWords.fill(0);
  for (let i = 0; i < length; i++) blockWords[i >>> 2]! |= bytes[at + i]! << ((i & 3) * 8);
}

/** Loads two chaining values into `blockWords` as a parent node's block: `left` words at `leftAt`, then `right`. */
function loadParentBlock(left: Uint32Array, leftAt: number, right: Uint32Array): void {
  for (let i = 0; i < CV_WORDS; i++) {
    blockWords[i] = left[leftAt + i]!;
    blockWords[CV_WORDS + i] = right[i]!;
  }
}

function wordsToBytes(words: Uint32Array): Uint8Array {
  const out = new Uint8Array(BLAKE3_OUT_BYTES);
  for (let i = 0, j = 0; i < CV_WORDS; i++, j += 4) {
    const w = words[i]!;
    out[j] = w; out[j + 1] = w >>> 8; out[j + 2] = w >>> 16; out[j + 3] = w >>> 24;
  }
  return out;
}

/** The incremental state (paper §5.1.2): the current chunk, and the stack of complete subtrees. */
type StreamState = {
  /** Key words of the mode (IV, keyed_hash key or context key); shared, never written. */
  key: Uint32Array;
  /** The mode flag added to every compression: 0, KEYED_HASH, DERIVE_KEY_CONTEXT or DERIVE_KEY_MATERIAL. */
  modeFlags: number;
  /** Chaining value of the current chunk's compressed blocks (the key before its first). */
  readonly chunkCv: Uint32Array;
  /** The current chunk's pending block: the last one may end the chunk or the input, so it waits. */
  readonly block: Uint8Array;
  blockLength: number;
  blocksCompressed: number;
  /** Index of the current chunk (the compression counter of its blocks). */
  chunkCounter: number;
  /** Chaining values of complete subtrees, CV_WORDS each, largest first; grows on demand. */
  stack: Uint32Array;
  stackLength: number;
};

function newState(key: Uint32Array, modeFlags: number): StreamState {
  const chunkCv = new Uint32Array(CV_WORDS);
  chunkCv.set(key);
  return { key, modeFlags, chunkCv, block: new Uint8Array(BLOCK_BYTES), blockLength: 0, blocksCompressed: 0, chunkCounter: 0, stack: NO_STACK, stackLength: 0 };
}

function copyState(state: StreamState): StreamState {
  const copy = newState(state.key, state.modeFlags);
  copy.chunkCv.set(state.chunkCv);
  copy.block.set(state.block);
  copy.blockLength = state.blockLength;
  copy.blocksCompressed = state.blocksCompressed;
  copy.chunkCounter = state.chunkCounter;
  copy.stack = state.stackLength === 0 ? NO_STACK : state.stack.slice(0, state.stackLength * CV_WORDS);
  copy.stackLength = state.stackLength;
  return copy;
}

function resetState(state: StreamState, key: Uint32Array, modeFlags: number): void {
  state.key = key;
  state.modeFlags = modeFlags;
  state.chunkCv.set(key);
  state.blockLength = 0;
  state.blocksCompressed = 0;
  state.chunkCounter = 0;
  state.stackLength = 0;
}

function chunkStartFlag(state: StreamState): number {
  return state.blocksCompressed === 0 ? CHUNK_START : 0;
}

/** Absorbs `input`, a chunk at a time. */
function absorb(state: StreamState, input: Uint8Array): void {
  let at = 0;
  while (at < input.length) {
    let chunkBytes = state.blocksCompressed * BLOCK_BYTES + state.blockLength;
    // A full chunk is finished only now that more input exists: it cannot be the root.
    if (chunkBytes === CHUNK_BYTES) {
      finishChunk(state);
      chunkBytes = 0;
    }
    const take = Math.min(CHUNK_BYTES - chunkBytes, input.length - at);
    absorbIntoChunk(state, input, at, at + take);
    at += take;
  }
}

/** Absorbs `input[at, stop)` (1 to the chunk's remaining room) into the current chunk. */
function absorbIntoChunk(state: StreamState, input: Uint8Array, at: number, stop: number): void {
  if (state.blockLength > 0) {
    const take = Math.min(BLOCK_BYTES - state.blockLength, stop - at);
    for (let i = 0; i < take; i++) state.block[state.blockLength + i] = input[at + i]!;
    state.blockLength += take;
    at += take;
    if (at === stop) return;
    // More bytes follow in this chunk, so the now-full pending block is not its last.
    loadBlockWords(state.block, 0, BLOCK_BYTES);
    compress(state.chunkCv, blockWords, 0, state.chunkCounter, BLOCK_BYTES, state.modeFlags | chunkStartFlag(state), state.chunkCv);
    state.blocksCompressed++;
    state.blockLength = 0;
  }
  // Whole blocks with at least one more byte after them in this chunk go straight from the input.
  const directBlocks = Math.floor((stop - at - 1) / BLOCK_BYTES);
  if (directBlocks > 0) {
    compressInputBlocks(state, input, at, directBlocks);
    at += directBlocks * BLOCK_BYTES;
  }
  // 1 to 64 bytes remain: the pending block.
  for (let i = 0; at + i < stop; i++) state.block[i] = input[at + i]!;
  state.blockLength = stop - at;
}

/** Compresses `count` whole blocks of `input` from `at`, none of them its chunk's last. */
function compressInputBlocks(state: StreamState, input: Uint8Array, at: number, count: number): void {
  const { chunkCv, chunkCounter, modeFlags } = state;
  let flags = modeFlags | chunkStartFlag(state);
  if (IS_LITTLE_ENDIAN && count >= MIN_BLOCKS_FOR_WORD_VIEW && ((input.byteOffset + at) & 3) === 0) {
    const words = new Uint32Array(input.buffer, input.byteOffset + at, count * 16);
    for (let b = 0; b < count; b++) {
      compress(chunkCv, words, b * 16, chunkCounter, BLOCK_BYTES, flags, chunkCv);
      flags = modeFlags;
    }
  } else {
    for (let b = 0; b < count; b++) {
      loadBlockWords(input, at + b * BLOCK_BYTES, BLOCK_BYTES);
      compress(chunkCv, blockWords, 0, chunkCounter, BLOCK_BYTES, flags, chunkCv);
      flags = modeFlags;
    }
  }
  state.blocksCompressed += count;
}

/** Ends the full current chunk: its chaining value joins the stack, merging complete subtrees. */
function finishChunk(state: StreamState): void {
  const { chunkCv, key, modeFlags } = state;
  loadBlockWords(state.block, 0, state.blockLength);
  compress(chunkCv, blockWords, 0, state.chunkCounter, state.blockLength, modeFlags | chunkStartFlag(state) | CHUNK_END, chunkCv);
  // Each trailing zero bit of the chunk count closes one complete subtree (paper §5.1.2).
  for (let chunks = state.chunkCounter + 1; chunks % 2 === 0; chunks /= 2) {
    state.stackLength--;
    loadParentBlock(state.stack, state.stackLength * CV_WORDS, chunkCv);
    compress(key, blockWords, 0, 0, BLOCK_BYTES, modeFlags | PARENT, chunkCv);
  }
  if ((state.stackLength + 1) * CV_WORDS > state.stack.length) {
    const grown = new Uint32Array(Math.max(INITIAL_STACK_ENTRIES * CV_WORDS, state.stack.length * 2));
    grown.set(state.stack);
    state.stack = grown;
  }
  state.stack.set(chunkCv, state.stackLength * CV_WORDS);
  state.stackLength++;
  state.chunkCounter++;
  chunkCv.set(key);
  state.blockLength = 0;
  state.blocksCompressed = 0;
}

/** The root chaining value of everything absorbed, into `out`; the state is left as it was. */
function finish(state: StreamState, out: Uint32Array): void {
  const { modeFlags, stackLength } = state;
  loadBlockWords(state.block, 0, state.blockLength);
  const chunkFlags = modeFlags | chunkStartFlag(state) | CHUNK_END | (stackLength === 0 ? ROOT : 0);
  compress(state.chunkCv, blockWords, 0, state.chunkCounter, state.blockLength, chunkFlags, out);
  // The right edge of the tree: each stacked subtree is the left child of the node above.
  for (let i = stackLength - 1; i >= 0; i--) {
    loadParentBlock(state.stack, i * CV_WORDS, out);
    compress(state.key, blockWords, 0, 0, BLOCK_BYTES, modeFlags | PARENT | (i === 0 ? ROOT : 0), out);
  }
}

class Blake3Stream implements Blake3Hasher {
  readonly #state: StreamState;

  constructor(state: StreamState) {
    this.#state = state;
  }

  update(bytes: Uint8Array): this {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('BLAKE3 update: bytes must be a Uint8Array');
    absorb(this.#state, bytes);
    return this;
  }

  digest(): Uint8Array {
    finish(this.#state, outWords);
    return wordsToBytes(outWords);
  }

  clone(): Blake3Hasher {
    return new Blake3Stream(copyState(this.#state));
  }

  reset(): this {
    resetState(this.#state, this.#state.key, this.#state.modeFlags);
    return this;
  }
}

/** Reused by the one-shot functions: they run to completion, so no two calls share it at once. */
const scratch = newState(IV, 0);

function oneShot(key: Uint32Array, modeFlags: number, input: Uint8Array, out: Uint32Array): void {
  if (!(input instanceof Uint8Array)) throw new TypeError('BLAKE3: input must be a Uint8Array');
  if (input.length <= CHUNK_BYTES) {
    singleChunkRoot(key, modeFlags, input, out);
    return;
  }
  resetState(scratch, key, modeFlags);
  absorb(scratch, input);
  finish(scratch, out);
}

/**
 * The root of an input of one chunk (≤ 1024 bytes: ids, tree nodes, transactions), read
 * straight from the input without the streaming state's pending-block copy.
 */
function singleChunkRoot(key: Uint32Array, modeFlags: number, input: Uint8Array, out: Uint32Array): void {
  const lastBlock = Math.max(0, Math.ceil(input.length / BLOCK_BYTES) - 1);
  const words = IS_LITTLE_ENDIAN && lastBlock >= MIN_BLOCKS_FOR_WORD_VIEW && (input.byteOffset & 3) === 0
    ? new Uint32Array(input.buffer, input.byteOffset, lastBlock * 16)
    : undefined;
  out.set(key);
  for (let b = 0; b < lastBlock; b++) {
    const flags = modeFlags | (b === 0 ? CHUNK_START : 0);
    if (words === undefined) {
      loadBlockWords(input, b * BLOCK_BYTES, BLOCK_BYTES);
      compress(out, blockWords, 0, 0, BLOCK_BYTES, flags, out);
    } else {
      compress(out, words, b * 16, 0, BLOCK_BYTES, flags, out);
    }
  }
  const lastAt = lastBlock * BLOCK_BYTES;
  loadBlockWords(input, lastAt, input.length - lastAt);
  compress(out, blockWords, 0, 0, input.length - lastAt, modeFlags | (lastBlock === 0 ? CHUNK_START : 0) | CHUNK_END | ROOT, out);
}

function keyWords(key: Uint8Array): Uint32Array {
  if (!(key instanceof Uint8Array)) throw new TypeError('BLAKE3 key must be a Uint8Array');
  if (key.length !== BLAKE3_KEY_BYTES) throw new RangeError(`BLAKE3 key must be ${BLAKE3_KEY_BYTES} bytes, got ${key.length}`);
  const words = new Uint32Array(CV_WORDS);
  for (let i = 0, j = 0; i < CV_WORDS; i++, j += 4) words[i] = key[j]! | (key[j + 1]! << 8) | (key[j + 2]! << 16) | (key[j + 3]! << 24);
  return words;
}

function isContextKey(value: unknown): value is Blake3ContextKey {
  return value instanceof Uint32Array && value.length === CV_WORDS;
}

/** A streaming BLAKE3-256 hasher: plain (`{}`), keyed (`{ key }`, 32 bytes) or derive_key material (`{ contextKey }`). */
export function createBlake3(options: Blake3Options = {}): Blake3Hasher {
  if ('contextKey' in options) {
    if (!isContextKey(options.contextKey)) throw new TypeError('contextKey must come from deriveContextKey');
    return new Blake3Stream(newState(options.contextKey, DERIVE_KEY_MATERIAL));
  }
  if (options.key !== undefined) return new Blake3Stream(newState(keyWords(options.key), KEYED_HASH));
  return new Blake3Stream(newState(IV, 0));
}

/** BLAKE3-256 `hash` mode of `input`. */
export function blake3Hash(input: Uint8Array): Uint8Array {
  oneShot(IV, 0, input, outWords);
  return wordsToBytes(outWords);
}

/** BLAKE3-256 `keyed_hash` mode: a MAC/PRF of `input` under a 32-byte `key`. */
export function blake3KeyedHash(key: Uint8Array, input: Uint8Array): Uint8Array {
  oneShot(keyWords(key), KEYED_HASH, input, outWords);
  return wordsToBytes(outWords);
}

/**
 * The `derive_key` context key of `context` (a string is UTF-8 encoded): BLAKE3 of the context
 * under the IV with flag DERIVE_KEY_CONTEXT. Compute it once per context and reuse it.
 */
export function deriveContextKey(context: string | Uint8Array): Blake3ContextKey {
  const contextBytes = typeof context === 'string' ? utf8ToBytes(context) : context;
  const key = new Uint32Array(CV_WORDS);
  oneShot(IV, DERIVE_KEY_CONTEXT, contextBytes, key);
  return key as Blake3ContextKey;
}

/** BLAKE3-256 `derive_key(context, material)` with the context key from `deriveContextKey`. */
export function deriveKeyHash(contextKey: Blake3ContextKey, material: Uint8Array): Uint8Array {
  if (!isContextKey(contextKey)) throw new TypeError('contextKey must come from deriveContextKey');
  oneShot(contextKey, DERIVE_KEY_MATERIAL, material, outWords);
  return wordsToBytes(outWords);
}

/** BLAKE3-256 `derive_key(context, material)` in one call (recomputes the context key). */
export function blake3DeriveKey(context: string | Uint8Array, material: Uint8Array): Uint8Array {
  return deriveKeyHash(deriveContextKey(context), material);
}

/**
 * `deriveKeyHash(contextKey, first || second)` for two 32-byte halves (a tree node): a single
 * compression, no concatenation.
 */
export function deriveKeyHashPair(contextKey: Blake3ContextKey, first: Uint8Array, second: Uint8Array): Uint8Array {
  if (first.length !== BLAKE3_OUT_BYTES || second.length !== BLAKE3_OUT_BYTES) throw new RangeError('deriveKeyHashPair: both halves must be 32 bytes');
  loadHalf(first, 0);
  loadHalf(second, CV_WORDS);
  compress(contextKey, blockWords, 0, 0, BLOCK_BYTES, CHUNK_START | CHUNK_END | ROOT | DERIVE_KEY_MATERIAL, outWords);
  return wordsToBytes(outWords);
}

/** Loads a 32-byte array into words `at .. at+8` of `blockWords`. */
function loadHalf(half: Uint8Array, at: number): void {
  for (let i = 0, j = 0; i < CV_WORDS; i++, j += 4) {
    blockWords[at + i] = half[j]! | (half[j + 1]! << 8) | (half[j + 2]! << 16) | (half[j + 3]! << 24);
  }
}
