import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blake3 } from '@noble/hashes/blake3.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { bytesEqual, toHex } from './hash.ts';
import {
  decodeMerkleProof,
  EMPTY_MERKLE_ROOT,
  encodeMerkleProof,
  merkleLeafHash,
  merkleNodeHash,
  merklePathLength,
  merkleProof,
  merkleRoot,
  verifyMerkleProof,
  type MerkleProof,
} from './merkle.ts';

const text = (s: string) => utf8ToBytes(s);
// The construction written out with BLAKE3 directly, independent of merkle.ts.
const derive = (context: string, material: Uint8Array) => blake3(material, { context: text(context) });
const leaf = (s: string) => derive('kaldrix/merkle/leaf/v1', text(s));
const node = (l: Uint8Array, r: Uint8Array) => derive('kaldrix/merkle/node/v1', concatBytes(l, r));

const leavesArb = fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 40 });

describe('merkleRoot known answers', () => {
  it('root of no leaves is the fixed empty root', () => {
    expect(toHex(merkleRoot([]))).toBe(toHex(derive('kaldrix/merkle/empty/v1', new Uint8Array(0))));
    expect(toHex(EMPTY_MERKLE_ROOT)).toBe('696cdfd489d790097687997571da76a4e8c32cd8c7a3ed9f81e02d134595880e');
  });

  it('root of one leaf is its leaf hash', () => {
    expect(toHex(merkleRoot([text('a')]))).toBe(toHex(leaf('a')));
    expect(toHex(merkleRoot([text('a')]))).toBe('70b6ceb8b5172a41ab96e4d9715c8033badcaa0abb95f87cd2167eeddc0b5a6e');
  });

  it('three leaves split 2 + 1 (RFC 9162), the odd leaf not duplicated', () => {
    const expected = node(node(leaf('a'), leaf('b')), leaf('c'));
    expect(toHex(merkleRoot(['a', 'b', 'c'].map(text)))).toBe(toHex(expected));
    expect(toHex(expected)).toBe('98c65040cf4db61f23760c6a19ebe21c1ed81eb4998af6d1a2da9a965e803ba1');
  });

  it('five and seven leaves follow the largest-power-of-two split', () => {
    const h = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(leaf);
    const [a, b, c, d, e, f, g] = h as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const abcd = node(node(a, b), node(c, d));
    expect(toHex(merkleRoot(['a', 'b', 'c', 'd', 'e'].map(text)))).toBe(toHex(node(abcd, e)));
    const seven = node(abcd, node(node(e, f), g));
    expect(toHex(merkleRoot(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(text)))).toBe(toHex(seven));
  });

  it('duplicating the last leaf changes the root (no CVE-2012-2459 ambiguity)', () => {
    fc.assert(fc.property(leavesArb, (leaves) => {
      const last = leaves[leaves.length - 1] as Uint8Array;
      return !bytesEqual(merkleRoot(leaves), merkleRoot([...leaves, last]));
    }), { numRuns: 50 });
  });

  it('pins a proof encoding', () => {
    const proof = merkleProof(['a', 'b', 'c'].map(text), 2);
    expect(toHex(encodeMerkleProof(proof))).toBe(`000000020000000301${toHex(node(leaf('a'), leaf('b')))}`);
  });
});

describe('merkle proofs', () => {
  it('every proof of every leaf verifies and round-trips through bytes', () => {
    fc.assert(fc.property(leavesArb, (leaves) => {
      const root = merkleRoot(leaves);
      return leaves.every((l, i) => {
        const proof = merkleProof(leaves, i);
        const decoded = decodeMerkleProof(encodeMerkleProof(proof));
        return verifyMerkleProof(root, l, proof)
          && decoded.ok && verifyMerkleProof(root, l, decoded.value)
          && proof.siblings.length === merklePathLength(i, leaves.length);
      });
    }), { numRuns: 40 });
  });

  it('rejects a wrong leaf, a wrong index, a wrong root, and any flipped sibling bit', () => {
    fc.assert(fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, pick, bit) => {
      const index = pick % leaves.length;
      const leafBytes = leaves[index] as Uint8Array;
      const root = merkleRoot(leaves);
      const proof = merkleProof(leaves, index);
      const wrongLeaf = concatBytes(leafBytes, Uint8Array.of(0));
      if (verifyMerkleProof(root, wrongLeaf, proof)) return false;
      const flippedRoot = root.slice();
      flippedRoot[bit % 32] = (flippedRoot[bit % 32] as number) ^ 1;
      if (verifyMerkleProof(flippedRoot, leafBytes, proof)) return false;
      for (let other = 0; other < leaves.length; other++) {
        const sameBytes = bytesEqual(leaves[other] as Uint8Array, leafBytes);
        const moved = { ...proof, index: other };
        if (other !== index && !sameBytes && verifyMerkleProof(root, leafBytes, moved)) return false;
      }
      return proof.siblings.every((_, s) => {
        const siblings = proof.siblings.map((x) => x.slice());
        const target = siblings[s] as Uint8Array;
        target[(bit >> 3) % 32] = (target[(bit >> 3) % 32] as number) ^ (1 << (bit % 8));
        return !verifyMerkleProof(root, leafBytes, { ...proof, siblings });
      });
    }), { numRuns: 40 });
  });

  it('rejects an inner node presented as a leaf (second preimage)', () => {
    const leaves = ['a', 'b', 'c', 'd'].map(text);
    const root = merkleRoot(leaves);
    const left = merkleNodeHash(merkleLeafHash(text('a')), merkleLeafHash(text('b')));
    const right = merkleNodeHash(merkleLeafHash(text('c')), merkleLeafHash(text('d')));
    // A forger claims a 2-leaf tree whose leaves are the two inner nodes' children concatenated.
    const forgedLeaf = concatBytes(merkleLeafHash(text('a')), merkleLeafHash(text('b')));
    expect(verifyMerkleProof(root, forgedLeaf, { index: 0, leafCount: 2, siblings: [right] })).toBe(false);
    expect(verifyMerkleProof(root, left, { index: 0, leafCount: 2, siblings: [right] })).toBe(false);
    // Control: the honest shape verifies.
    expect(verifyMerkleProof(root, text('a'), merkleProof(leaves, 0))).toBe(true);
  });

  it('is total on malformed proof objects', () => {
    const leaves = ['a', 'b', 'c'].map(text);
    const root = merkleRoot(leaves);
    const good = merkleProof(leaves, 0);
    const bad: unknown[] = [
      null, {}, { ...good, index: -1 }, { ...good, index: 3 }, { ...good, leafCount: 0 },
      { ...good, index: 0.5 }, { ...good, siblings: good.siblings.slice(1) },
      { ...good, siblings: [...good.siblings, good.siblings[0]] }, { ...good, siblings: ['x', 'y'] },
      { ...good, leafCount: 2 ** 32 },
    ];
    for (const proof of bad) expect(verifyMerkleProof(root, text('a'), proof as MerkleProof)).toBe(false);
    expect(verifyMerkleProof(root.subarray(1), text('a'), good)).toBe(false);
    expect(() => merkleProof(leaves, 3)).toThrow(RangeError);
  });
});

describe('decodeMerkleProof', () => {
  it('returns typed errors', () => {
    expect(decodeMerkleProof(new Uint8Array(5))).toMatchObject({ ok: false, error: { code: 'BAD_LENGTH' } });
    const header = (index: number, count: number, siblings: number) => {
      const b = new Uint8Array(9 + 32 * siblings);
      const v = new DataView(b.buffer);
      v.setUint32(0, index);
      v.setUint32(4, count);
      v.setUint8(8, siblings);
      return b;
    };
    expect(decodeMerkleProof(header(0, 3, 2).subarray(0, 40))).toMatchObject({ ok: false, error: { code: 'BAD_LENGTH' } });
    expect(decodeMerkleProof(header(3, 3, 2))).toMatchObject({ ok: false, error: { code: 'INDEX_OUT_OF_RANGE' } });
    expect(decodeMerkleProof(header(0, 0, 0))).toMatchObject({ ok: false, error: { code: 'INDEX_OUT_OF_RANGE' } });
    expect(decodeMerkleProof(header(2, 3, 2))).toMatchObject({ ok: false, error: { code: 'SIBLING_COUNT_MISMATCH', expected: 1 } });
    expect(decodeMerkleProof(header(0, 1, 0))).toMatchObject({ ok: true, value: { index: 0, leafCount: 1 } });
  });

  it('never throws, and encode(decode(b)) = b for every accepted b', () => {
    const candidate = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 7 }))
        .map(([index, count, siblings]) => {
          const b = new Uint8Array(9 + 32 * siblings).fill(7);
          const v = new DataView(b.buffer);
          v.setUint32(0, index);
          v.setUint32(4, count);
          v.setUint8(8, siblings);
          return b;
        }),
    );
    let accepted = 0;
    fc.assert(fc.property(candidate, (bytes) => {
      const r = decodeMerkleProof(bytes);
      if (!r.ok) return true;
      accepted++;
      return Object.isFrozen(r.value) && bytesEqual(encodeMerkleProof(r.value), bytes);
    }), { numRuns: 500 });
    expect(accepted).toBeGreaterThan(0);
  });
});
