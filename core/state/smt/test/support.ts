/**
 * Test support for the state tree: key and batch generators, and a naive reference root.
 *
 * The reference computes a root straight from the definition in docs/state-tree.md (sort the
 * entries, split by bit, a lone entry is its leaf) with `@noble/hashes` BLAKE3, sharing no code
 * with the tree, so agreement is evidence that both follow the spec.
 */
import fc from 'fast-check';
import { blake3 } from '@noble/hashes/blake3.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export const derive = (context: string, material: Uint8Array): Uint8Array => blake3(material, { context: utf8ToBytes(context) });
export const refEmpty = derive('kaldrix/state-tree/empty/v1', new Uint8Array(0));
export const refValueHash = (value: Uint8Array) => derive('kaldrix/state-tree/value/v1', value);
export const refLeaf = (key: Uint8Array, value: Uint8Array) => derive('kaldrix/state-tree/leaf/v1', concatBytes(key, refValueHash(value)));
export const refNode = (left: Uint8Array, right: Uint8Array) => derive('kaldrix/state-tree/node/v1', concatBytes(left, right));

const bit = (key: Uint8Array, depth: number) => ((key[depth >> 3] as number) >> (7 - (depth % 8))) & 1;

export type Pair = { readonly key: Uint8Array; readonly value: Uint8Array };

/** Root of the set `pairs` (distinct keys) by the definition, top down. */
export function referenceRoot(pairs: readonly Pair[], depth = 0): Uint8Array {
  if (pairs.length === 0) return refEmpty;
  if (pairs.length === 1) return refLeaf((pairs[0] as Pair).key, (pairs[0] as Pair).value);
  const left = pairs.filter((p) => bit(p.key, depth) === 0);
  const right = pairs.filter((p) => bit(p.key, depth) === 1);
  return refNode(referenceRoot(left, depth + 1), referenceRoot(right, depth + 1));
}

export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
export const keyFromHex = (text: string) => Uint8Array.from(Buffer.from(text.padEnd(64, '0'), 'hex'));

/**
 * 32-byte keys, half uniformly random, half from a tiny byte alphabet so that many keys share
 * long prefixes (deep paths, long chains of empty siblings, neighbours differing in bit 255).
 */
export const keyArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
  fc.array(fc.constantFrom(0x00, 0x01, 0x80, 0xff), { minLength: 32, maxLength: 32 }).map((b) => Uint8Array.from(b)),
);

export const valueArb: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 80 });

/** A map from key hex to pair: distinct keys. */
export const pairsArb: fc.Arbitrary<Pair[]> = fc
  .uniqueArray(fc.record({ key: keyArb, value: valueArb }), { selector: (p) => hex(p.key), maxLength: 40 });
