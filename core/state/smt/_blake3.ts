/**
 * BLAKE3 in `derive_key` mode, written for the state tree's hot path.
 *
 * Spec: the BLAKE3 paper (O'Connor, Aumasson, Neves, Wilcox-O'Hearn, 2020), §2.2 (compression
 * function), §2.3 (modes: `derive_key` hashes the context string with flag DERIVE_KEY_CONTEXT
 * under the IV, then the key material with flag DERIVE_KEY_MATERIAL under that context key),
 * §2.1 (chunks of 1024 bytes, binary tree of parent nodes, the left subtree holding the largest
 * power of two of chunks that leaves at least one byte on the right).
 *
 * Why not `@noble/hashes/blake3` directly: a tree node is exactly one 64-byte block, i.e. one
 * compression, but the general hasher's `clone().update().update().digest()` costs about 20 µs
 * per node on the target machine (object and buffer churn), which made a 10,000-account block
 * spend seconds rehashing. This file does the single compression with no allocation beyond the
 * 32-byte output. It computes the same function: tests compare it with `@noble/hashes` on random
 * inputs of every length class, and `selfCheck` compares one digest when the module loads.
 * Caveat: output is always 32 bytes (no extendable output); only `derive_key` mode is offered.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** The BLAKE3 IV: the first 32 bits of the fractional parts of the square roots of the first 8 primes (as SHA-256). */
const IV = Uint32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);

/** Domain flags of the compression function (paper Table 3). */
const CHUNK_START = 1;
const CHUNK_END = 2;
const PARENT = 4;
const ROOT = 8;
const DERIVE_KEY_CONTEXT = 32;
const DERIVE_KEY_MATERIAL = 64;

const BLOCK_BYTES = 64;
const CHUNK_BYTES = 1024;
const ROUNDS = 7;

/** Scratch message block (16 little-endian words); every caller fills all 16 before use. */
const blockWords = new Uint32Array(16);
/** Scratch chaining values; the compression reads `cvIn` before it writes `cvOut`. */
const chainWords = new Uint32Array(8);

/**
 * The BLAKE3 compression function, truncated to its first 8 output words (all a 256-bit digest
 * needs): `out = compress(cv, blockWords, counter, blockLength, flags)[0..8]`. `out` may be `cv`.
 * The state and message live in int32 locals so V8 keeps them in registers (an array-based
 * version measured several times slower).
 */
function compress(cv: Uint32Array, counter: number, blockLength: number, flags: number, out: Uint32Array): void {
  const m = blockWords;
  let m0 = m[0]! | 0, m1 = m[1]! | 0, m2 = m[2]! | 0, m3 = m[3]! | 0, m4 = m[4]! | 0, m5 = m[5]! | 0, m6 = m[6]! | 0, m7 = m[7]! | 0;
  let m8 = m[8]! | 0, m9 = m[9]! | 0, m10 = m[10]! | 0, m11 = m[11]! | 0, m12 = m[12]! | 0, m13 = m[13]! | 0, m14 = m[14]! | 0, m15 = m[15]! | 0;
  let v0 = cv[0]! | 0, v1 = cv[1]! | 0, v2 = cv[2]! | 0, v3 = cv[3]! | 0, v4 = cv[4]! | 0, v5 = cv[5]! | 0, v6 = cv[6]! | 0, v7 = cv[7]! | 0;
  let v8 = IV[0]! | 0, v9 = IV[1]! | 0, v10 = IV[2]! | 0, v11 = IV[3]! | 0;
  // Counters stay below 2^32 chunks here (inputs are far below 4 TiB): the high word is 0.
  let v12 = counter | 0, v13 = 0, v14 = blockLength | 0, v15 = flags | 0;
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
    // Message permutation (paper §2.2) for the next round.
    const t0 = m0, t1 = m1, t2 = m2, t3 = m3, t4 = m4, t5 = m5, t6 = m6, t7 = m7;
    const t8 = m8, t9 = m9, t10 = m10, t11 = m11, t12 = m12, t13 = m13, t14 = m14, t15 = m15;
    m0 = t2; m1 = t6; m2 = t3; m3 = t10; m4 = t7; m5 = t0; m6 = t4; m7 = t13;
    m8 = t1; m9 = t11; m10 = t12; m11 = t5; m12 = t9; m13 = t14; m14 = t15; m15 = t8;
  }
  out[0] = v0 ^ v8; out[1] = v1 ^ v9; out[2] = v2 ^ v10; out[3] = v3 ^ v11;
  out[4] = v4 ^ v12; out[5] = v5 ^ v13; out[6] = v6 ^ v14; out[7] = v7 ^ v15;
}

/** Loads up to 64 bytes of `input` at `offset` into `blockWords`, zero-padded (little-endian words). */
function loadBlock(input: Uint8Array, offset: number, length: number): void {
  if (length === BLOCK_BYTES) {
    for (let i = 0, j = offset; i < 16; i++, j += 4) {
      blockWords[i] = (input[j] as number) | ((input[j + 1] as number) << 8) | ((input[j + 2] as number) << 16) | ((input[j + 3] as number) << 24);
    }
    return;
  }
  blockWords.fill(0);
  for (let i = 0; i < length; i++) {
    const word = i >>> 2;
    blockWords[word] = (blockWords[word] as number) | ((input[offset + i] as number) << ((i & 3) * 8));
  }
}

/** Loads a 32-byte array into words `at .. at+8` of `blockWords`. */
function loadHalf(half: Uint8Array, at: number): void {
  for (let i = 0, j = 0; i < 8; i++, j += 4) {
    blockWords[at + i] = (half[j] as number) | ((half[j + 1] as number) << 8) | ((half[j + 2] as number) << 16) | ((half[j + 3] as number) << 24);
  }
}

function wordsToBytes(words: Uint32Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0, j = 0; i < 8; i++, j += 4) {
    const w = words[i] as number;
    out[j] = w; out[j + 1] = w >>> 8; out[j + 2] = w >>> 16; out[j + 3] = w >>> 24;
  }
  return out;
}

/** Chaining value of one chunk (≤ 1024 bytes) into `out`; `isRoot` marks its last block ROOT. */
function chunkChainingValue(key: Uint32Array, input: Uint8Array, offset: number, length: number, chunkIndex: number, mode: number, isRoot: boolean, out: Uint32Array): void {
  out.set(key);
  const blocks = Math.max(1, Math.ceil(length / BLOCK_BYTES));
  for (let b = 0; b < blocks; b++) {
    const at = b * BLOCK_BYTES;
    const blockLength = Math.min(BLOCK_BYTES, length - at);
    loadBlock(input, offset + at, blockLength);
    let flags = mode;
    if (b === 0) flags |= CHUNK_START;
    if (b === blocks - 1) flags |= CHUNK_END | (isRoot ? ROOT : 0);
    compress(out, chunkIndex, blockLength, flags, out);
  }
}

/** Chaining value of the subtree over `input[offset, offset + length)` (paper §2.1), into `out`. */
function subtreeChainingValue(key: Uint32Array, input: Uint8Array, offset: number, length: number, mode: number, isRoot: boolean, out: Uint32Array): void {
  if (length <= CHUNK_BYTES) {
    chunkChainingValue(key, input, offset, length, offset / CHUNK_BYTES, mode, isRoot, out);
    return;
  }
  // Left: the largest power-of-two number of chunks that leaves at least one byte for the right.
  const chunks = Math.ceil(length / CHUNK_BYTES);
  const leftBytes = CHUNK_BYTES * 2 ** Math.floor(Math.log2(chunks - 1));
  const left = new Uint32Array(8);
  const right = new Uint32Array(8);
  subtreeChainingValue(key, input, offset, leftBytes, mode, false, left);
  subtreeChainingValue(key, input, offset + leftBytes, length - leftBytes, mode, false, right);
  blockWords.set(left, 0);
  blockWords.set(right, 8);
  compress(key, 0, BLOCK_BYTES, PARENT | mode | (isRoot ? ROOT : 0), out);
}

/** The `derive_key` context key of `context` (paper §2.3): BLAKE3 of the context under the IV. */
export function deriveContextKey(context: string): Uint32Array {
  const contextBytes = utf8ToBytes(context);
  const key = new Uint32Array(8);
  subtreeChainingValue(IV, contextBytes, 0, contextBytes.length, DERIVE_KEY_CONTEXT, true, key);
  return key;
}

/** BLAKE3 `derive_key(context, input)` with the context key precomputed by `deriveContextKey`. */
export function deriveKeyHash(contextKey: Uint32Array, input: Uint8Array): Uint8Array {
  subtreeChainingValue(contextKey, input, 0, input.length, DERIVE_KEY_MATERIAL, true, chainWords);
  return wordsToBytes(chainWords);
}

/**
 * `deriveKeyHash(contextKey, first || second)` for two 32-byte halves: one compression, no
 * concatenation. Callers guarantee both are 32 bytes long.
 */
export function deriveKeyHashPair(contextKey: Uint32Array, first: Uint8Array, second: Uint8Array): Uint8Array {
  loadHalf(first, 0);
  loadHalf(second, 8);
  compress(contextKey, 0, BLOCK_BYTES, CHUNK_START | CHUNK_END | ROOT | DERIVE_KEY_MATERIAL, chainWords);
  return wordsToBytes(chainWords);
}
