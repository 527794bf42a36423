import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blake3 } from '@noble/hashes/blake3.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { deriveContextKey, deriveKeyHash, deriveKeyHashPair } from './_blake3.ts';
import { hex } from './test/support.ts';

const reference = (context: string, input: Uint8Array) => hex(blake3(input, { context: utf8ToBytes(context) }));
const patterned = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);

describe('fast BLAKE3 derive_key', () => {
  const context = 'kaldrix/state-tree/test/v1';
  const key = deriveContextKey(context);

  it('matches @noble/hashes at every block and chunk boundary', () => {
    // 0 (one empty block), block edges, chunk edges (1024) and subtree edges (2, 3, 4, 5 chunks).
    for (const length of [0, 1, 63, 64, 65, 128, 1023, 1024, 1025, 2048, 2049, 3072, 3073, 4096, 4097, 5121, 8193]) {
      expect(hex(deriveKeyHash(key, patterned(length))), `length ${length}`).toBe(reference(context, patterned(length)));
    }
  });

  it('matches @noble/hashes on random inputs and contexts', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 90 }), fc.uint8Array({ maxLength: 2500 }), (ctx, input) => {
      expect(hex(deriveKeyHash(deriveContextKey(ctx), input))).toBe(reference(ctx, input));
    }), { numRuns: 60 });
  });

  it('the two-half form equals hashing the concatenation', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
      expect(hex(deriveKeyHashPair(key, a, b))).toBe(reference(context, concatBytes(a, b)));
    }), { numRuns: 100 });
  });

  it('matches the official BLAKE3 test vector (derive_key, empty input)', () => {
    // BLAKE3's test_vectors.json uses this context string; its derive_key output for the empty
    // input begins 2cc39783c223154fea8dfb7c1b1660f2ac2dcbd1c1de8277b0b0dd39b7e50d7d.
    const official = deriveContextKey('BLAKE3 2019-12-27 16:29:52 test vectors context');
    expect(hex(deriveKeyHash(official, new Uint8Array(0)))).toBe('2cc39783c223154fea8dfb7c1b1660f2ac2dcbd1c1de8277b0b0dd39b7e50d7d');
  });
});
