import { describe, expect, it } from 'vitest';
import { compilePartition, NO_PARTITION } from './partition.ts';

describe('compilePartition', () => {
  it('groups are symmetric: cut(a, b) === cut(b, a) for every pair', () => {
    const cut = compilePartition(10, { kind: 'groups', groups: [[0, 1, 2, 3], [4, 5, 6]] });
    for (let a = 0; a < 10; a++) for (let b = 0; b < 10; b++) expect(cut(a, b)).toBe(cut(b, a));
    expect(cut(0, 3)).toBe(false);
    expect(cut(0, 4)).toBe(true);
    expect(cut(7, 9)).toBe(false);
    expect(cut(7, 6)).toBe(true);
  });

  it('one-way cuts exactly from → to', () => {
    const cut = compilePartition(4, { kind: 'oneWay', from: [0], to: [1, 2] });
    const cuts: string[] = [];
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) if (cut(a, b)) cuts.push(`${a}->${b}`);
    expect(cuts).toEqual(['0->1', '0->2']);
    expect(NO_PARTITION(0, 1)).toBe(false);
  });

  it('between cuts a <-> b both ways and leaves third parties connected to both', () => {
    const cut = compilePartition(5, { kind: 'between', a: [0, 1], b: [2, 3] });
    const cuts: string[] = [];
    for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) if (cut(x, y)) cuts.push(`${x}-${y}`);
    expect(cuts).toEqual(['0-2', '0-3', '1-2', '1-3', '2-0', '2-1', '3-0', '3-1']);
    expect(() => compilePartition(5, { kind: 'between', a: [0], b: [0, 1] })).toThrow(RangeError);
  });
});
