// Collected vertices are served for `retainRounds` rounds below the gc round, then forgotten.
import { describe, expect, it } from 'vitest';
import type { StoredVertex } from '../dag/index.ts';
import { createCollectedVertices } from './_collected.ts';

const digestOf = (round: number, author: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => (round * 7 + author * 13 + i) & 0xff);
const stored = (round: number, author: number): StoredVertex => ({ ref: { round, author, digest: digestOf(round, author) }, parents: [] }) as unknown as StoredVertex;

describe('collected vertices', () => {
  it('answers by round, author and digest within the retained rounds', () => {
    const collected = createCollectedVertices(3);
    collected.keep([stored(1, 0), stored(2, 0), stored(2, 1), stored(3, 0)], 4);
    expect(collected.get({ round: 2, author: 1, digest: digestOf(2, 1) })).toBeDefined();
    // Same slot, another digest (an equivocation nobody sent us): not ours to serve.
    expect(collected.get({ round: 2, author: 1, digest: digestOf(9, 9) })).toBeUndefined();
    expect(collected.get({ round: 2, author: 2, digest: digestOf(2, 2) })).toBeUndefined();
  });

  it('forgets rounds more than retainRounds below the gc round', () => {
    const collected = createCollectedVertices(2);
    collected.keep([stored(1, 0), stored(2, 0), stored(3, 0)], 4);
    expect(collected.get({ round: 1, author: 0, digest: digestOf(1, 0) })).toBeUndefined();
    expect(collected.rounds()).toBe(2);
    collected.keep([stored(4, 0), stored(5, 0)], 6);
    expect(collected.get({ round: 3, author: 0, digest: digestOf(3, 0) })).toBeUndefined();
    expect(collected.get({ round: 5, author: 0, digest: digestOf(5, 0) })).toBeDefined();
    expect(collected.rounds()).toBe(2);
  });

  it('keeps nothing with retainRounds 0, and refuses a negative retention', () => {
    const collected = createCollectedVertices(0);
    collected.keep([stored(3, 0)], 4);
    expect(collected.rounds()).toBe(0);
    expect(() => createCollectedVertices(-1)).toThrow(RangeError);
  });
});
