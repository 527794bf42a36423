import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY_SUBTREE_HASH, stateValueHash } from './hashing.ts';
import { emptyTree, type StateTree } from './tree.ts';
import { applyBatch } from './applyBatch.ts';
import { prove } from './prove.ts';
import { decodeStateProof, encodeStateProof, MAX_STATE_PROOF_BYTES, type StateProof } from './proof.ts';
import { verifyProof } from './verify.ts';
import { hex, keyArb, keyFromHex, pairsArb, type Pair } from './test/support.ts';

const text = (s: string) => new TextEncoder().encode(s);
const build = (pairs: readonly Pair[]): StateTree => applyBatch(emptyTree(), pairs.map((p) => ({ key: p.key, value: p.value })));
const nonEmptyPairsArb = pairsArb.filter((pairs) => pairs.length > 0);
const flipBit = (bytes: Uint8Array, index: number) => {
  const copy = bytes.slice();
  copy[index >> 3] = (copy[index >> 3] as number) ^ (0x80 >> (index % 8));
  return copy;
};
const withSiblings = (proof: StateProof, siblings: Uint8Array[]): StateProof => ({ ending: proof.ending, siblings });

describe('proofs verify', () => {
  it('every present key has an inclusion proof that verifies, also after an encode/decode trip', () => {
    fc.assert(fc.property(nonEmptyPairsArb, (pairs) => {
      const tree = build(pairs);
      for (const { key, value } of pairs) {
        const proof = prove(tree, key);
        expect(proof.ending.kind).toBe('inclusion');
        expect(verifyProof(tree.root(), key, value, proof)).toBe(true);
        const decoded = decodeStateProof(encodeStateProof(proof));
        if (!decoded.ok) throw new Error(decoded.error.code);
        expect(verifyProof(tree.root(), key, value, decoded.value)).toBe(true);
      }
    }), { numRuns: 80 });
  });

  it('every absent key has an exclusion proof that verifies', () => {
    fc.assert(fc.property(pairsArb, fc.array(keyArb, { minLength: 1, maxLength: 10 }), (pairs, probes) => {
      const tree = build(pairs);
      const present = new Set(pairs.map((p) => hex(p.key)));
      for (const key of probes.filter((k) => !present.has(hex(k)))) {
        const proof = prove(tree, key);
        expect(proof.ending.kind).not.toBe('inclusion');
        expect(verifyProof(tree.root(), key, null, proof)).toBe(true);
        const decoded = decodeStateProof(encodeStateProof(proof));
        if (!decoded.ok) throw new Error(decoded.error.code);
        expect(verifyProof(tree.root(), key, null, decoded.value)).toBe(true);
      }
    }), { numRuns: 80 });
  });

  it('covers both exclusion endings: an empty subtree and another key\'s leaf', () => {
    const a = keyFromHex('00');
    const tree = applyBatch(emptyTree(), [{ key: a, value: text('a') }, { key: keyFromHex('40'), value: text('b') }]);
    const emptyEnding = prove(tree, keyFromHex('80')); // bit 0 = 1: the right subtree is empty
    expect(emptyEnding.ending.kind).toBe('empty');
    expect(verifyProof(tree.root(), keyFromHex('80'), null, emptyEnding)).toBe(true);
    const leafEnding = prove(tree, keyFromHex('01')); // shares bits 0, 1 with `a`
    expect(leafEnding.ending).toMatchObject({ kind: 'otherLeaf', key: a });
    expect(verifyProof(tree.root(), keyFromHex('01'), null, leafEnding)).toBe(true);
    expect(verifyProof(emptyTree().root(), a, null, prove(emptyTree(), a))).toBe(true);
  });
});

describe('proof soundness', () => {
  it('fails for a wrong value, a wrong key, a wrong root, a flipped sibling bit, and a swapped claim', () => {
    fc.assert(fc.property(nonEmptyPairsArb, keyArb, fc.nat(), (pairs, other, pick) => {
      const tree = build(pairs);
      const root = tree.root();
      const { key, value } = pairs[pick % pairs.length] as Pair;
      const proof = prove(tree, key);
      expect(verifyProof(root, key, Uint8Array.of(...value, 1), proof)).toBe(false);
      expect(verifyProof(flipBit(root, pick % 256), key, value, proof)).toBe(false);
      expect(verifyProof(root, key, null, proof)).toBe(false); // inclusion presented as exclusion
      if (hex(other) !== hex(key)) expect(verifyProof(root, other, value, proof)).toBe(false);
      expect(verifyProof(root, flipBit(key, pick % 256), value, proof)).toBe(false);
      proof.siblings.forEach((_, d) => {
        const siblings = proof.siblings.map((s) => s.slice());
        siblings[d] = flipBit(siblings[d] as Uint8Array, (pick + d) % 256);
        expect(verifyProof(root, key, value, withSiblings(proof, siblings))).toBe(false);
      });
      // Exclusion proofs of absent keys, presented as inclusion of any value, fail.
      if (tree.get(other) === null) {
        const exclusion = prove(tree, other);
        expect(verifyProof(root, other, value, exclusion)).toBe(false);
        expect(verifyProof(root, other, null, { ...exclusion, ending: { kind: 'inclusion' } })).toBe(false);
      }
    }), { numRuns: 80 });
  });

  it('an otherLeaf ending cannot name the queried key, nor a leaf off its path', () => {
    const tree = applyBatch(emptyTree(), [{ key: keyFromHex('00'), value: text('a') }, { key: keyFromHex('40'), value: text('b') }]);
    const key = keyFromHex('00');
    const inclusion = prove(tree, key);
    const forged: StateProof = { ending: { kind: 'otherLeaf', key, valueHash: stateValueHash(text('a')) }, siblings: inclusion.siblings };
    expect(verifyProof(tree.root(), key, null, forged)).toBe(false);
    const offPath = prove(tree, keyFromHex('01'));
    expect(verifyProof(tree.root(), keyFromHex('c0'), null, offPath)).toBe(false);
  });

  it('rejects a non-canonical proof with an empty deepest sibling, and malformed arguments', () => {
    const tree = applyBatch(emptyTree(), [{ key: keyFromHex('00'), value: text('a') }]);
    const key = keyFromHex('00');
    const padded: StateProof = { ending: { kind: 'inclusion' }, siblings: [EMPTY_SUBTREE_HASH] };
    expect(verifyProof(tree.root(), key, text('a'), padded)).toBe(false);
    const good = prove(tree, key);
    expect(verifyProof(tree.root(), key, text('a'), good)).toBe(true);
    expect(verifyProof(tree.root().subarray(1), key, text('a'), good)).toBe(false);
    expect(verifyProof(tree.root(), key.subarray(1), text('a'), good)).toBe(false);
    expect(verifyProof(tree.root(), key, 'a' as unknown as Uint8Array, good)).toBe(false);
    expect(verifyProof(tree.root(), key, text('a'), null as unknown as StateProof)).toBe(false);
    expect(verifyProof(tree.root(), key, text('a'), { ending: { kind: 'x' }, siblings: [] } as unknown as StateProof)).toBe(false);
    expect(verifyProof(tree.root(), key, text('a'), { ending: { kind: 'inclusion' }, siblings: [new Uint8Array(3)] })).toBe(false);
  });
});

describe('proof encoding', () => {
  it('pins an encoding: two keys sharing 9 bits, proof of the first', () => {
    const a = keyFromHex('0000');
    const b = keyFromHex('0040'); // first difference at bit 9
    const tree = applyBatch(emptyTree(), [{ key: a, value: text('a') }, { key: b, value: text('b') }]);
    const proof = prove(tree, a);
    expect(proof.siblings.length).toBe(10);
    const bytes = encodeStateProof(proof);
    // inclusion tag, depth 10, a 2-byte bitmap with only bit 9 set, one listed sibling.
    expect(hex(bytes.subarray(0, 6))).toBe('000a02004001');
    expect(bytes.length).toBe(6 + 32);
  });

  it('decodes random bytes without throwing; whatever it accepts re-encodes identically', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const decoded = decodeStateProof(bytes);
      if (decoded.ok) expect(hex(encodeStateProof(decoded.value))).toBe(hex(bytes));
      else expect(typeof decoded.error.code).toBe('string');
    }), { numRuns: 2000 });
  });

  it('mutated real proofs: never throws; accepted ones re-encode identically', () => {
    fc.assert(fc.property(nonEmptyPairsArb, keyArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (pairs, probe, at, byte) => {
      const bytes = encodeStateProof(prove(build(pairs), probe));
      const mutated = bytes.slice();
      mutated[at % mutated.length] = byte;
      const decoded = decodeStateProof(mutated);
      if (decoded.ok) expect(hex(encodeStateProof(decoded.value))).toBe(hex(mutated));
    }), { numRuns: 300 });
  });

  it('refuses non-canonical forms with typed errors', () => {
    const tree = applyBatch(emptyTree(), [{ key: keyFromHex('0000'), value: text('a') }, { key: keyFromHex('0040'), value: text('b') }]);
    const good = encodeStateProof(prove(tree, keyFromHex('0000')));
    const padBit = good.slice();
    padBit[4] = 0x40 | 0x01; // a padding bit beyond depth 10
    expect(decodeStateProof(padBit)).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE' } });
    const listedEmpty = Uint8Array.of(0, 1, 1, 0x80, 1, ...EMPTY_SUBTREE_HASH);
    expect(decodeStateProof(listedEmpty)).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE' } });
    const deepestMissing = Uint8Array.of(1, 2, 1, 0x80, 1, ...new Uint8Array(32).fill(7));
    expect(decodeStateProof(deepestMissing)).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE' } });
    expect(decodeStateProof(Uint8Array.of(0, 0x81, 0x02, 0))).toMatchObject({ ok: false });
    expect(decodeStateProof(new Uint8Array(MAX_STATE_PROOF_BYTES + 1))).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(decodeStateProof(Uint8Array.of(3))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_TAG' } });
    expect(decodeStateProof(Uint8Array.of(0, 0, 0, 0, 0))).toMatchObject({ ok: false, error: { code: 'TRAILING_BYTES' } });
  });

  it('decoded proofs are frozen and own their bytes', () => {
    const tree = applyBatch(emptyTree(), [{ key: keyFromHex('00'), value: text('a') }, { key: keyFromHex('80'), value: text('b') }]);
    const bytes = encodeStateProof(prove(tree, keyFromHex('00')));
    const decoded = decodeStateProof(bytes);
    if (!decoded.ok) throw new Error(decoded.error.code);
    bytes.fill(0);
    expect(Object.isFrozen(decoded.value)).toBe(true);
    expect(Object.isFrozen(decoded.value.siblings)).toBe(true);
    expect(verifyProof(tree.root(), keyFromHex('00'), text('a'), decoded.value)).toBe(true);
  });
});
