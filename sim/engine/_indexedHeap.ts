/**
 * A binary min-heap of timed entries ordered by (atMs, seq), where every entry knows its own
 * position, so removing an arbitrary entry (a cancelled timer) is O(log n) with no tombstones.
 * The scheduler's queue; folder-private.
 */
export type HeapEntry<E> = { readonly atMs: number; readonly seq: number; readonly event: E; index: number };

export type IndexedHeap<E> = {
  readonly size: number;
  push(entry: HeapEntry<E>): void;
  peek(): HeapEntry<E> | undefined;
  /** Removes the entry at its current position; the entry must be in this heap. */
  remove(entry: HeapEntry<E>): void;
};

const before = <E>(a: HeapEntry<E>, b: HeapEntry<E>): boolean => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);

export function createIndexedHeap<E>(): IndexedHeap<E> {
  const heap: HeapEntry<E>[] = [];
  const at = (i: number): HeapEntry<E> => heap[i] as HeapEntry<E>;
  const place = (entry: HeapEntry<E>, i: number): void => {
    heap[i] = entry;
    entry.index = i;
  };
  const siftUp = (start: number): void => {
    const entry = at(start);
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, at(parent))) break;
      place(at(parent), i);
      i = parent;
    }
    place(entry, i);
  };
  const siftDown = (start: number): void => {
    const entry = at(start);
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(at(right), at(left)) ? right : left;
      if (!before(at(child), entry)) break;
      place(at(child), i);
      i = child;
    }
    place(entry, i);
  };
  return {
    get size() {
      return heap.length;
    },
    push: (entry) => {
      place(entry, heap.length);
      siftUp(entry.index);
    },
    peek: () => heap[0],
    remove: (entry) => {
      if (heap[entry.index] !== entry) throw new Error('indexedHeap: entry is not in this heap');
      const last = heap.pop() as HeapEntry<E>;
      if (last === entry) return;
      place(last, entry.index);
      // The moved entry may belong above or below its new place.
      siftDown(last.index);
      siftUp(last.index);
    },
  };
}
