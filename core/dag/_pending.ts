/**
 * The pending buffer: vertices whose parents have not all arrived yet, bounded per author, in
 * count and in bytes (HOUSE-RULES 6; DESIGN.md §2 "every per-peer buffer is bounded").
 *
 * Each entry knows the parents it still waits for; `waiters` maps a missing parent to the
 * entries waiting on it, so an arrival releases exactly its now-complete children. Every
 * loop here runs over entries or their parents, both bounded by the caps.
 */
import type { VertexRef } from './types.ts';
import type { SignedVertex } from './vertex.ts';

export type PendingEntry = {
  readonly key: string;
  readonly ref: VertexRef;
  readonly signed: SignedVertex;
  readonly sizeBytes: number;
  /** Keys of parents not yet accepted. */
  readonly missing: Set<string>;
};

export type PendingLimits = {
  readonly maxPendingPerAuthor: number;
  readonly maxPendingVertices: number;
  readonly maxPendingBytes: number;
};

export type PendingFullScope = 'author' | 'total' | 'bytes';

type Waiting = { readonly ref: VertexRef; readonly children: Set<string> };

export type PendingBuffer = ReturnType<typeof createPendingBuffer>;

export function createPendingBuffer(limits: PendingLimits) {
  const entries = new Map<string, PendingEntry>();
  const waiters = new Map<string, Waiting>();
  const perAuthor = new Map<number, number>();
  let totalBytes = 0;

  /** Why `entry` would not fit, or undefined when it does. */
  function fullScope(author: number, sizeBytes: number): PendingFullScope | undefined {
    if ((perAuthor.get(author) ?? 0) >= limits.maxPendingPerAuthor) return 'author';
    if (entries.size >= limits.maxPendingVertices) return 'total';
    if (totalBytes + sizeBytes > limits.maxPendingBytes) return 'bytes';
    return undefined;
  }

  /** The buffered entry with the highest round, of `author` or of anyone; ties: the later one. */
  function highestEntry(author: number | undefined): PendingEntry | undefined {
    let highest: PendingEntry | undefined;
    for (const e of entries.values()) {
      if (author !== undefined && e.ref.author !== author) continue;
      if (highest === undefined || e.ref.round >= highest.ref.round) highest = e;
    }
    return highest;
  }

  /**
   * Makes room for an entry of `author` at `round` by evicting buffered entries at higher rounds
   * (of that author when its share is full, of anyone when the total or the bytes are), and
   * says why it still does not fit, if it does not. Why lower rounds win: a validator catching
   * up fetches parents downwards, from the newest vertex towards what it holds, and a chain
   * completes from the bottom; a full buffer of high rounds that refused the low ones would
   * wait for ever. An evicted vertex is simply missing again: a child still waiting for it
   * fetches it later. Scans the buffer (bounded by its caps), and only when it is full.
   */
  function makeRoom(author: number, round: number, sizeBytes: number): PendingFullScope | undefined {
    for (let scope = fullScope(author, sizeBytes); scope !== undefined; scope = fullScope(author, sizeBytes)) {
      const victim = highestEntry(scope === 'author' ? author : undefined);
      if (victim === undefined || victim.ref.round <= round) return scope;
      remove(victim);
    }
    return undefined;
  }

  function add(entry: PendingEntry, missingRefs: readonly { readonly key: string; readonly ref: VertexRef }[]): void {
    if (entries.has(entry.key)) throw new Error('pending.add: entry already buffered');
    if (fullScope(entry.ref.author, entry.sizeBytes) !== undefined) throw new Error('pending.add: buffer full (check fullScope first)');
    entries.set(entry.key, entry);
    perAuthor.set(entry.ref.author, (perAuthor.get(entry.ref.author) ?? 0) + 1);
    totalBytes += entry.sizeBytes;
    for (const { key, ref } of missingRefs) {
      const w = waiters.get(key) ?? { ref, children: new Set<string>() };
      w.children.add(entry.key);
      waiters.set(key, w);
    }
  }

  function remove(entry: PendingEntry): void {
    entries.delete(entry.key);
    const count = (perAuthor.get(entry.ref.author) ?? 0) - 1;
    if (count < 0) throw new Error('pending.remove: per-author count below zero');
    if (count === 0) perAuthor.delete(entry.ref.author);
    else perAuthor.set(entry.ref.author, count);
    totalBytes -= entry.sizeBytes;
    for (const parentKey of entry.missing) {
      const w = waiters.get(parentKey);
      if (w === undefined) continue;
      w.children.delete(entry.key);
      if (w.children.size === 0) waiters.delete(parentKey);
    }
  }

  /** `parentKey` is now present (accepted or below gc): the children it completes, removed. */
  function arrived(parentKey: string): PendingEntry[] {
    const w = waiters.get(parentKey);
    if (w === undefined) return [];
    waiters.delete(parentKey);
    const complete: PendingEntry[] = [];
    for (const childKey of w.children) {
      const child = entries.get(childKey);
      if (child === undefined) continue;
      child.missing.delete(parentKey);
      if (child.missing.size === 0) {
        remove(child);
        complete.push(child);
      }
    }
    return complete;
  }

  /** Drops `key`'s waiting descendants: they reference a vertex that will never be accepted. */
  function dropDescendants(key: string): number {
    let dropped = 0;
    const stack = [key];
    // Each entry is removed at most once, so this runs at most `entries.size` times.
    while (stack.length > 0) {
      const w = waiters.get(stack.pop() as string);
      if (w === undefined) continue;
      for (const childKey of [...w.children]) {
        const child = entries.get(childKey);
        if (child === undefined) continue;
        remove(child);
        dropped++;
        stack.push(childKey);
      }
    }
    return dropped;
  }

  /** Drops entries below `round`; missing parents below it now count as present. */
  function dropBelow(round: number): { readonly dropped: number; readonly complete: PendingEntry[] } {
    let dropped = 0;
    for (const entry of [...entries.values()]) {
      if (entry.ref.round < round) {
        remove(entry);
        dropped++;
      }
    }
    const complete: PendingEntry[] = [];
    for (const [parentKey, w] of [...waiters]) if (w.ref.round < round) complete.push(...arrived(parentKey));
    return { dropped, complete };
  }

  return Object.freeze({
    has: (key: string): boolean => entries.has(key),
    isWaitedOn: (key: string): boolean => waiters.has(key),
    fullScope,
    makeRoom,
    add,
    arrived,
    dropDescendants,
    dropBelow,
    /** Parents some entry waits for and that are not themselves buffered: what to fetch. */
    missingRefs: (): VertexRef[] => [...waiters].filter(([k]) => !entries.has(k)).map(([, w]) => w.ref),
    size: (): number => entries.size,
    sizeBytes: (): number => totalBytes,
    authorCount: (author: number): number => perAuthor.get(author) ?? 0,
  });
}
