/**
 * A binary heap over an array: O(log n) push and pop, O(n) construction from a list.
 *
 * The mempool keeps its eviction order in one (with lazy deletion: stale items are skipped
 * when they surface) and builds one per `select` over the senders' ready heads. `before(a, b)`
 * is true when `a` must come out before `b`; it must be a strict weak order.
 */
export type BinaryHeap<T> = {
  push(item: T): void;
  pop(): T | undefined;
  peek(): T | undefined;
  size(): number;
  /** Replaces the contents with `items` in O(n). */
  reset(items: readonly T[]): void;
};

export function createBinaryHeap<T>(before: (a: T, b: T) => boolean, initial: readonly T[] = []): BinaryHeap<T> {
  let items: T[] = [];

  const at = (i: number): T => items[i] as T;
  const swap = (i: number, j: number): void => {
    const t = at(i);
    items[i] = at(j);
    items[j] = t;
  };

  const siftUp = (start: number): void => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(at(i), at(parent))) return;
      swap(i, parent);
      i = parent;
    }
  };

  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let first = i;
      if (left < items.length && before(at(left), at(first))) first = left;
      if (right < items.length && before(at(right), at(first))) first = right;
      if (first === i) return;
      swap(i, first);
      i = first;
    }
  };

  const reset = (list: readonly T[]): void => {
    items = [...list];
    for (let i = (items.length >> 1) - 1; i >= 0; i--) siftDown(i);
  };

  const push = (item: T): void => {
    items.push(item);
    siftUp(items.length - 1);
  };

  const pop = (): T | undefined => {
    if (items.length === 0) return undefined;
    const top = at(0);
    const last = items.pop() as T;
    if (items.length > 0) {
      items[0] = last;
      siftDown(0);
    }
    return top;
  };

  reset(initial);
  return Object.freeze({ push, pop, peek: () => items[0], size: () => items.length, reset });
}
