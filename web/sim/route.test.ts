import { describe, expect, it } from 'vitest';
import { pageOfFragment } from './route.svelte.ts';

describe('pageOfFragment', () => {
  it('names each page by its fragment, with or without arguments', () => {
    expect(pageOfFragment('#selftest')).toBe('selftest');
    expect(pageOfFragment('#light')).toBe('light');
    expect(pageOfFragment('#wallet')).toBe('wallet');
    expect(pageOfFragment('#explorer')).toBe('explorer');
    expect(pageOfFragment('#bench?vertices=5000')).toBe('bench');
  });

  it('falls back to the simulator for replay links, the empty fragment and unknown names', () => {
    expect(pageOfFragment('#run=abc&t=3')).toBe('simulator');
    expect(pageOfFragment('')).toBe('simulator');
    expect(pageOfFragment('#constructor')).toBe('simulator');
  });
});
