// A seated node's clients' transactions: carried by its own vertex, gossiped only when that has
// not happened after the delay; a node without a seat gossips at once; bounded; stops cleanly.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClientRelay, type ClientRelayInit } from './_clientRelay.ts';

const idOf = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const bytesOf = (n: number): Uint8Array => Uint8Array.of(n, n, n);

function setup(overrides: Partial<ClientRelayInit> = {}) {
  const published: number[] = [];
  /** Ids (by first byte) still pooled and riding in no vertex. */
  const waiting = new Set<number>();
  let seated = true;
  const relay = createClientRelay({
    publish: (bytes) => published.push(bytes[0] as number),
    proposes: () => seated,
    waiting: (id) => waiting.has(id[0] as number),
    relayAfterMs: 400,
    maxHeld: 3,
    ...overrides,
  });
  const admit = (n: number): void => {
    waiting.add(n);
    relay.admitted(bytesOf(n), idOf(n));
  };
  return { relay, published, waiting, admit, unseat: () => (seated = false) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the client relay', () => {
  it('gossips at once on a node without a seat', () => {
    const t = setup();
    t.unseat();
    t.admit(1);
    expect(t.published).toEqual([1]);
    expect(t.relay.held()).toBe(0);
  });

  it('holds a seated node’s transactions and gossips, after the delay, only those no vertex carries', () => {
    const t = setup();
    t.admit(1);
    t.admit(2);
    vi.advanceTimersByTime(100);
    t.admit(3);
    expect(t.published).toEqual([]);
    expect(t.relay.held()).toBe(3);
    // 1 now rides in the node's own vertex; 2 is still waiting (the node did not carry it).
    t.waiting.delete(1);
    vi.advanceTimersByTime(299);
    expect(t.published).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(t.published).toEqual([2]);
    expect(t.relay.held()).toBe(1);
    // 3 was committed in the meantime: nothing more goes out.
    t.waiting.delete(3);
    vi.advanceTimersByTime(100);
    expect(t.published).toEqual([2]);
    expect(t.relay.held()).toBe(0);
  });

  it('gossips at once beyond maxHeld, holds an id once, and forgets everything when stopped', () => {
    const t = setup();
    for (const n of [1, 2, 3]) t.admit(n);
    t.admit(3);
    expect(t.relay.held()).toBe(3);
    t.admit(4);
    expect(t.published).toEqual([4]);
    t.relay.stop();
    t.admit(5);
    vi.advanceTimersByTime(10_000);
    expect(t.published).toEqual([4]);
    expect(t.relay.held()).toBe(0);
  });

  it('refuses a bad delay or bound', () => {
    expect(() => setup({ relayAfterMs: -1 })).toThrow(RangeError);
    expect(() => setup({ maxHeld: 1.5 })).toThrow(RangeError);
  });
});
