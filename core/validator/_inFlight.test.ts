// Vertices awaiting a verdict: the same reference and signature once; a forged copy (another
// signature for the same reference) kept apart, so removing one leaves the other.
import { describe, expect, it } from 'vitest';
import { createInFlight } from './_inFlight.ts';

describe('createInFlight', () => {
  it('holds a reference and signature once, and a rival signature beside it', () => {
    const inFlight = createInFlight();
    const real = Uint8Array.of(1, 2, 3);
    const forged = Uint8Array.of(1, 2, 4);
    inFlight.add('5/1/aa', real);
    inFlight.add('5/1/aa', Uint8Array.of(1, 2, 3));
    expect(inFlight.size()).toBe(1);
    expect(inFlight.has('5/1/aa', forged)).toBe(false);
    inFlight.add('5/1/aa', forged);
    inFlight.add('6/0/bb', real);
    expect(inFlight.size()).toBe(3);
    inFlight.remove('5/1/aa', forged);
    expect([inFlight.has('5/1/aa', real), inFlight.has('5/1/aa', forged), inFlight.size()]).toEqual([true, false, 2]);
    inFlight.remove('5/1/aa', forged);
    inFlight.remove('7/0/cc', real);
    expect(inFlight.size()).toBe(2);
    inFlight.clear();
    expect([inFlight.size(), inFlight.has('6/0/bb', real)]).toEqual([0, false]);
  });
});
