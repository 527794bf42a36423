import { describe, expect, it } from 'vitest';
import { EMPTY_SUBTREE_HASH, keyBit, stateLeafHash, stateNodeHash, stateValueHash } from './hashing.ts';
import { emptyTree } from './tree.ts';
import { applyBatch } from './applyBatch.ts';
import { hex, keyFromHex, refEmpty, refLeaf, refNode, refValueHash } from './test/support.ts';

const text = (s: string) => new TextEncoder().encode(s);
const KEY_A = keyFromHex('00'); // bit 0 = 0
const KEY_B = keyFromHex('80'); // bit 0 = 1
// KEY_C and KEY_D agree on their first 200 bits and differ in bit 200 (byte 25, top bit).
const KEY_C = keyFromHex('11'.repeat(25) + '00' + '22'.repeat(6));
const KEY_D = keyFromHex('11'.repeat(25) + '80' + '22'.repeat(6));

describe('state tree hash functions', () => {
  it('are BLAKE3 derive_key under their own contexts', () => {
    expect(hex(EMPTY_SUBTREE_HASH)).toBe(hex(refEmpty));
    expect(hex(stateValueHash(text('v')))).toBe(hex(refValueHash(text('v'))));
    expect(hex(stateLeafHash(KEY_A, stateValueHash(text('v'))))).toBe(hex(refLeaf(KEY_A, text('v'))));
    expect(hex(stateNodeHash(KEY_A, KEY_B))).toBe(hex(refNode(KEY_A, KEY_B)));
  });

  it('pins the empty-subtree constant', () => {
    expect(hex(EMPTY_SUBTREE_HASH)).toBe('c817d605e256491c879d9334cf259da19c1392ee36ef5f4f0e90e60c96e7c926');
  });

  it('reads key bits most significant first', () => {
    expect(keyBit(KEY_B, 0)).toBe(1);
    expect(keyBit(KEY_B, 1)).toBe(0);
    expect(keyBit(keyFromHex('01'), 7)).toBe(1);
    expect(keyBit(keyFromHex('0000000000000000000000000000000000000000000000000000000000000001'), 255)).toBe(1);
  });
});

describe('known-answer roots', () => {
  it('empty tree', () => {
    expect(hex(emptyTree().root())).toBe(hex(refEmpty));
    expect(emptyTree().size).toBe(0);
  });

  it('one key: the root is its leaf hash, whatever the key', () => {
    const tree = applyBatch(emptyTree(), [{ key: KEY_C, value: text('one') }]);
    expect(hex(tree.root())).toBe(hex(refLeaf(KEY_C, text('one'))));
    expect(hex(tree.root())).toBe('8444ee5eaa9bc213170c86469219a2a6f0a265026a3f5dc808dad14e57ea35c5');
  });

  it('two keys differing in the first bit: one internal node over two leaves', () => {
    const tree = applyBatch(emptyTree(), [{ key: KEY_B, value: text('b') }, { key: KEY_A, value: text('a') }]);
    expect(hex(tree.root())).toBe(hex(refNode(refLeaf(KEY_A, text('a')), refLeaf(KEY_B, text('b')))));
    expect(hex(tree.root())).toBe('38f171a4043b159fb3ff034b3bfda7e504d7e363c1240bbbb1b65d4c43fefac6');
  });

  it('two keys sharing a 200-bit prefix: a chain of 200 internal nodes with empty siblings', () => {
    const tree = applyBatch(emptyTree(), [{ key: KEY_C, value: text('c') }, { key: KEY_D, value: text('d') }]);
    let expected = refNode(refLeaf(KEY_C, text('c')), refLeaf(KEY_D, text('d')));
    for (let depth = 199; depth >= 0; depth--) {
      expected = keyBit(KEY_C, depth) === 0 ? refNode(expected, refEmpty) : refNode(refEmpty, expected);
    }
    expect(hex(tree.root())).toBe(hex(expected));
    expect(hex(tree.root())).toBe('c67feaf78bca2b469e1d2bc2c19ec429ae4fe81105d18ac68266e39fdd04dbaf');
  });

  it('deleting every key returns to the empty root; deleting one of two lifts the other leaf to the root', () => {
    const two = applyBatch(emptyTree(), [{ key: KEY_C, value: text('c') }, { key: KEY_D, value: text('d') }]);
    const one = applyBatch(two, [{ key: KEY_D, value: null }]);
    expect(hex(one.root())).toBe(hex(refLeaf(KEY_C, text('c'))));
    const none = applyBatch(one, [{ key: KEY_C, value: null }]);
    expect(hex(none.root())).toBe(hex(refEmpty));
    expect(none.size).toBe(0);
  });
});

describe('tree behaviour', () => {
  const base = applyBatch(emptyTree(), [
    { key: KEY_A, value: text('a') },
    { key: KEY_B, value: text('b') },
    { key: KEY_C, value: text('c') },
  ]);

  it('get returns stored values as copies, null when absent', () => {
    expect(base.get(KEY_C)).toEqual(text('c'));
    expect(base.get(KEY_D)).toBeNull();
    base.get(KEY_C)?.fill(0);
    expect(base.get(KEY_C)).toEqual(text('c'));
  });

  it('copies input bytes: mutating a written value afterwards changes nothing', () => {
    const value = text('mutable');
    const tree = applyBatch(emptyTree(), [{ key: KEY_A, value }]);
    const root = hex(tree.root());
    value.fill(0);
    expect(tree.get(KEY_A)).toEqual(text('mutable'));
    expect(hex(tree.root())).toBe(root);
  });

  it('old versions stay valid after an update (persistence)', () => {
    const rootBefore = hex(base.root());
    const next = applyBatch(base, [{ key: KEY_A, value: null }, { key: KEY_D, value: text('d') }]);
    expect(hex(base.root())).toBe(rootBefore);
    expect(base.get(KEY_A)).toEqual(text('a'));
    expect(base.get(KEY_D)).toBeNull();
    expect(next.get(KEY_A)).toBeNull();
    expect(next.get(KEY_D)).toEqual(text('d'));
    expect(base.size).toBe(3);
    expect(next.size).toBe(3);
  });

  it('in one batch the last update of a key wins', () => {
    const tree = applyBatch(emptyTree(), [
      { key: KEY_A, value: text('first') },
      { key: KEY_A, value: null },
      { key: KEY_A, value: text('last') },
      { key: KEY_B, value: text('b') },
      { key: KEY_B, value: null },
    ]);
    expect(tree.get(KEY_A)).toEqual(text('last'));
    expect(tree.get(KEY_B)).toBeNull();
    expect(tree.size).toBe(1);
  });

  it('a batch that changes nothing returns the very same tree', () => {
    expect(applyBatch(base, [])).toBe(base);
    expect(applyBatch(base, [{ key: KEY_A, value: text('a') }, { key: KEY_D, value: null }])).toBe(base);
  });

  it('shares untouched subtrees with the previous version', () => {
    const next = applyBatch(base, [{ key: KEY_B, value: text('b2') }]);
    const before = base.rootNode;
    const after = next.rootNode;
    if (before?.kind !== 'internal' || after?.kind !== 'internal') throw new Error('expected internal roots');
    expect(after.left).toBe(before.left); // KEY_A and KEY_C both start with bit 0
    expect(after.right).not.toBe(before.right);
  });

  it('entries pages through keys in ascending order', () => {
    const first = base.entries({ maxEntries: 2 });
    expect(first.entries.map((e) => hex(e.key))).toEqual([hex(KEY_A), hex(KEY_C)]);
    expect(first.nextKey).toEqual(KEY_B);
    const second = base.entries({ startKey: first.nextKey as Uint8Array, maxEntries: 2 });
    expect(second.entries.map((e) => hex(e.key))).toEqual([hex(KEY_B)]);
    expect(second.nextKey).toBeNull();
    expect(base.entries({ startKey: keyFromHex('12'), maxEntries: 5 }).entries.map((e) => hex(e.key))).toEqual([hex(KEY_B)]);
  });

  it('rejects bad arguments with TypeError/RangeError and leaves the tree unchanged', () => {
    expect(() => applyBatch(base, [{ key: new Uint8Array(31), value: text('x') }])).toThrow(TypeError);
    expect(() => applyBatch(base, [{ key: KEY_A, value: 'x' as unknown as Uint8Array }])).toThrow(TypeError);
    expect(() => applyBatch(base, 'x' as unknown as [])).toThrow(TypeError);
    expect(() => base.get(new Uint8Array(33))).toThrow(TypeError);
    expect(() => base.entries({ maxEntries: 0 })).toThrow(RangeError);
    expect(base.size).toBe(3);
  });

  it('tree handles and nodes are frozen', () => {
    expect(Object.isFrozen(base)).toBe(true);
    expect(Object.isFrozen(base.rootNode)).toBe(true);
  });
});
