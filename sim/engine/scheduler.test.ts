import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createScheduler, type ScheduledEvent } from './scheduler.ts';
import { createDigest } from './digest.ts';

const drain = <E>(s: ReturnType<typeof createScheduler<E>>): ScheduledEvent<E>[] => {
  const out: ScheduledEvent<E>[] = [];
  for (let e = s.next(); e !== undefined; e = s.next()) out.push(e);
  return out;
};

describe('createScheduler', () => {
  it('dispatches by time, ties by insertion sequence', () => {
    const s = createScheduler<string>();
    s.schedule(20, 'c');
    s.schedule(10, 'a');
    s.schedule(20, 'd');
    s.schedule(10, 'b');
    s.schedule(5, 'first');
    expect(s.size).toBe(5);
    expect(s.peekTime()).toBe(5);
    expect(drain(s).map((e) => e.event)).toEqual(['first', 'a', 'b', 'c', 'd']);
    expect(s.nowMs).toBe(20);
    expect(s.dispatched).toBe(5);
    expect(s.size).toBe(0);
    expect(s.peekTime()).toBeUndefined();
  });

  it('orders any schedule like a stable sort by time (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 300 }), (items) => {
        const s = createScheduler<number>();
        const handles = items.map(([t], i) => s.schedule(t, i));
        const cancelled = new Set<number>();
        items.forEach(([, cancel], i) => {
          if (cancel) {
            expect(s.cancel(handles[i] as number)).toBe(true);
            cancelled.add(i);
          }
        });
        expect(s.size).toBe(items.length - cancelled.size);
        const expected = items
          .map(([t], i) => ({ t, i }))
          .filter(({ i }) => !cancelled.has(i))
          .sort((a, b) => a.t - b.t || a.i - b.i)
          .map(({ i }) => i);
        expect(drain(s).map((e) => e.event)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('cancels a pending event once, and stale handles do nothing', () => {
    const s = createScheduler<string>();
    const a = s.schedule(1, 'a');
    const b = s.schedule(2, 'b');
    expect(s.cancel(a)).toBe(true);
    expect(s.cancel(a)).toBe(false);
    expect(s.next()?.event).toBe('b');
    expect(s.cancel(b)).toBe(false);
    expect(s.cancel(12345)).toBe(false);
  });

  it('throws on events in the past and on non-finite times', () => {
    const s = createScheduler<string>({ startMs: 100 });
    expect(() => s.schedule(99, 'late')).toThrow(RangeError);
    expect(() => s.schedule(Number.NaN, 'nan')).toThrow(RangeError);
    expect(() => s.schedule(Infinity, 'never')).toThrow(RangeError);
    expect(() => s.scheduleAfter(-1, 'late')).toThrow(RangeError);
    s.schedule(100, 'now');
    s.scheduleAfter(2.5, 'soon');
    expect(drain(s).map((e) => [e.atMs, e.event])).toEqual([[100, 'now'], [102.5, 'soon']]);
  });

  it('runUntil a time runs events at or before it and sets the clock to it', () => {
    const s = createScheduler<number>();
    for (const t of [1, 5, 10, 11]) s.schedule(t, t);
    const seen: number[] = [];
    const outcome = s.runUntil(10, (e) => seen.push(e.event));
    expect(outcome).toEqual({ stop: 'time', events: 3, nowMs: 10 });
    expect(seen).toEqual([1, 5, 10]);
    expect(s.size).toBe(1);
    expect(() => s.runUntil(9, () => undefined)).toThrow(RangeError);
  });

  it('runUntil a predicate stops before the event where it holds; events may schedule events', () => {
    const s = createScheduler<number>();
    s.schedule(0, 0);
    const outcome = s.runUntil((sch) => sch.nowMs >= 30, (e) => {
      s.scheduleAfter(10, e.event + 1);
    });
    expect(outcome).toEqual({ stop: 'predicate', events: 4, nowMs: 30 });
    expect(s.size).toBe(1);
  });

  it('runUntil is bounded by maxEvents and reports an empty queue', () => {
    const s = createScheduler<string>();
    s.schedule(0, 'loop');
    const forever = s.runUntil(() => false, () => s.scheduleAfter(0, 'loop'), { maxEvents: 1000 });
    expect(forever).toEqual({ stop: 'maxEvents', events: 1000, nowMs: 0 });
    const t = createScheduler<string>();
    t.schedule(3, 'x');
    expect(t.runUntil(() => false, () => undefined)).toEqual({ stop: 'empty', events: 1, nowMs: 3 });
    expect(() => t.runUntil(() => false, () => undefined, { maxEvents: -1 })).toThrow(RangeError);
  });

  it('folds every dispatched event into the digest', () => {
    const run = (times: number[]): string => {
      const digest = createDigest();
      const s = createScheduler<number>({ digest });
      for (const t of times) s.schedule(t, t);
      drain(s);
      return digest.hex();
    };
    expect(run([1, 2, 3])).toBe(run([1, 2, 3]));
    expect(run([1, 2, 3])).not.toBe(run([1, 2, 4]));
  });

  it('stays ordered with many events (heap, not a sorted array)', () => {
    const s = createScheduler<number>();
    let x = 12345;
    for (let i = 0; i < 50_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      s.schedule(x % 10_000, i);
    }
    let last = -1;
    let count = 0;
    let ordered = true;
    for (let e = s.next(); e !== undefined; e = s.next()) {
      ordered &&= e.atMs >= last;
      last = e.atMs;
      count++;
    }
    expect(ordered).toBe(true);
    expect(count).toBe(50_000);
  });
});
