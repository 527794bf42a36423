import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Receipt } from '../../core/state/index.ts';
import { createMetricsRecorder, createRecentSamples, percentilesOf, RECENT_FINALITY_SAMPLES } from './metrics.ts';

const idOf = (n: number): Uint8Array => {
  const id = new Uint8Array(32);
  new DataView(id.buffer).setUint32(0, n);
  return id;
};
const applied = (n: number): Receipt => ({ id: idOf(n), status: 'applied', feeCharged: 0n });

describe('createRecentSamples', () => {
  it('keeps every sample, in order, until it is full', () => {
    const ring = createRecentSamples(4);
    [5, 1, 3].forEach((x) => ring.add(x));
    expect(ring.values()).toEqual([5, 1, 3]);
    expect(ring.total).toBe(3);
  });

  it('keeps exactly the newest `capacity` samples, oldest first, whatever was added', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 80 }), (capacity, samples) => {
        const ring = createRecentSamples(capacity);
        samples.forEach((x) => ring.add(x));
        expect(ring.values()).toEqual(samples.slice(-capacity));
        expect(ring.total).toBe(samples.length);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => createRecentSamples(0)).toThrow(RangeError);
    expect(() => createRecentSamples(2.5)).toThrow(/capacity/);
  });
});

describe('createMetricsRecorder', () => {
  it('measures finality from submission to the certificate and commit latency to the commit', () => {
    const metrics = createMetricsRecorder();
    metrics.onSubmitted(idOf(1), 100);
    metrics.onSubmitted(idOf(2), 150);
    metrics.onReferenceCommit(0, [applied(1)], 400);
    metrics.onReferenceCommit(1, [applied(2)], 500);
    metrics.onCertified(0, 900);
    expect(metrics.recentFinalityMs()).toEqual([800]);
    metrics.onCertified(1, 1_000);
    expect(metrics.recentFinalityMs()).toEqual([800, 850]);
    expect(metrics.commitLatencyMs()).toEqual(percentilesOf([300, 350]));
    expect(metrics.finalityMs()).toEqual(percentilesOf([800, 850]));
    expect(metrics.committedTxs()).toBe(2);
  });

  it('bounds the recent finality sample while the percentiles still count every latency', () => {
    const metrics = createMetricsRecorder();
    const count = RECENT_FINALITY_SAMPLES + 25;
    for (let i = 0; i < count; i++) {
      metrics.onSubmitted(idOf(i), i);
      metrics.onReferenceCommit(i, [applied(i)], i + 10);
      metrics.onCertified(i, 2 * i + 20);
    }
    const recent = metrics.recentFinalityMs();
    expect(recent).toHaveLength(RECENT_FINALITY_SAMPLES);
    // Latency of transaction i is i + 20: the ring holds the newest ones, oldest first.
    expect(recent[0]).toBe(25 + 20);
    expect(recent.at(-1)).toBe(count - 1 + 20);
    expect(metrics.finalityMs().samples).toBe(count);
  });
});
