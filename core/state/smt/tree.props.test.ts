import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyTree, type StateTree } from './tree.ts';
import { applyBatch, type TreeUpdate } from './applyBatch.ts';
import { hex, keyArb, pairsArb, referenceRoot, refEmpty, valueArb, type Pair } from './test/support.ts';

const build = (pairs: readonly Pair[]): StateTree => applyBatch(emptyTree(), pairs.map((p) => ({ key: p.key, value: p.value })));
const sortedByKey = (pairs: readonly Pair[]) => [...pairs].sort((a, b) => (hex(a.key) < hex(b.key) ? -1 : 1));

/** Random updates over a small key pool, so batches overwrite and delete existing keys. */
const updatesArb: fc.Arbitrary<TreeUpdate[]> = fc.array(keyArb, { minLength: 1, maxLength: 12 }).chain((pool) =>
  fc.array(fc.record({ key: fc.constantFrom(...pool), value: fc.option(valueArb, { nil: null, freq: 3 }) }), { maxLength: 40 }));

/** The map an update sequence leaves behind, applied one by one to `start`. */
function model(start: Map<string, Pair>, updates: readonly TreeUpdate[]): Map<string, Pair> {
  const result = new Map(start);
  for (const u of updates) {
    if (u.value === null) result.delete(hex(u.key));
    else result.set(hex(u.key), { key: u.key, value: u.value });
  }
  return result;
}

describe('state tree properties', () => {
  it('the root equals the naive reference over the same set', () => {
    fc.assert(fc.property(pairsArb, (pairs) => {
      expect(hex(build(pairs).root())).toBe(hex(referenceRoot(sortedByKey(pairs))));
    }), { numRuns: 150 });
  });

  it('the root is independent of insertion order and of how updates are split into batches', () => {
    fc.assert(fc.property(pairsArb, fc.array(fc.nat(), { maxLength: 5 }), fc.nat(), (pairs, cuts, seed) => {
      const once = build(pairs);
      // Another order: a rotation by `seed`, then batches cut at the given positions.
      const rotated = pairs.map((_, i) => pairs[(i + seed) % pairs.length] as Pair);
      const bounds = [...new Set(cuts.map((c) => (pairs.length === 0 ? 0 : c % pairs.length)))].sort((a, b) => a - b);
      let tree = emptyTree();
      let from = 0;
      for (const to of [...bounds, rotated.length]) {
        tree = applyBatch(tree, rotated.slice(from, to).map((p) => ({ key: p.key, value: p.value })));
        from = Math.max(from, to);
      }
      expect(hex(tree.root())).toBe(hex(once.root()));
      expect(tree.size).toBe(pairs.length);
    }), { numRuns: 100 });
  });

  it('the root depends only on the final set, not on history (inserts, overwrites, deletes)', () => {
    fc.assert(fc.property(pairsArb, updatesArb, updatesArb, (initial, first, second) => {
      const start = new Map(initial.map((p) => [hex(p.key), p] as const));
      const expected = model(model(start, first), second);
      const tree = applyBatch(applyBatch(build(initial), first), second);
      expect(hex(tree.root())).toBe(hex(referenceRoot(sortedByKey([...expected.values()]))));
      expect(hex(tree.root())).toBe(hex(build([...expected.values()]).root()));
      expect(tree.size).toBe(expected.size);
      for (const [, pair] of expected) expect(tree.get(pair.key)).toEqual(pair.value);
    }), { numRuns: 150 });
  });

  it('one batch equals the same updates applied one at a time', () => {
    fc.assert(fc.property(pairsArb, updatesArb, (initial, updates) => {
      const batched = applyBatch(build(initial), updates);
      let single = build(initial);
      for (const u of updates) single = applyBatch(single, [u]);
      expect(hex(batched.root())).toBe(hex(single.root()));
    }), { numRuns: 100 });
  });

  it('deleting every key returns the empty root', () => {
    fc.assert(fc.property(pairsArb, (pairs) => {
      const tree = applyBatch(build(pairs), pairs.map((p) => ({ key: p.key, value: null })));
      expect(hex(tree.root())).toBe(hex(refEmpty));
      expect(tree.size).toBe(0);
      expect(tree.rootNode).toBeNull();
    }), { numRuns: 100 });
  });

  it('entries lists every key once, in ascending order, across pages', () => {
    fc.assert(fc.property(pairsArb, fc.integer({ min: 1, max: 7 }), (pairs, pageSize) => {
      const tree = build(pairs);
      const seen: string[] = [];
      let startKey: Uint8Array | null = null;
      for (let page = 0; page <= pairs.length; page++) {
        const result = tree.entries(startKey === null ? { maxEntries: pageSize } : { startKey, maxEntries: pageSize });
        seen.push(...result.entries.map((e) => hex(e.key)));
        startKey = result.nextKey;
        if (startKey === null) break;
      }
      expect(seen).toEqual(sortedByKey(pairs).map((p) => hex(p.key)));
    }), { numRuns: 100 });
  });
});
