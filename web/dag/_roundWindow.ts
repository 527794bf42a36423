/**
 * The bounded store behind the DAG view model: one bucket per round, at most `maxRounds`
 * rounds below and including the highest round seen. When the head moves on, whole rounds fall
 * out of the window and only their counts are kept (DESIGN.md §4: the view must stay smooth
 * and bounded however long a run goes).
 *
 * Within a round, vertices are kept sorted by (author, digest), so equivocating vertices of a
 * slot always appear in the same order whatever order they arrived in.
 */
import type { DecisionHow } from './types.ts';
import type { ViewVertex, VertexKey } from './vertex.ts';

/** A leader slot's outcome as one validator reported it. */
export type ObserverDecision =
  | { readonly status: 'committed'; readonly round: number; readonly leader: number; readonly digest: string; readonly index: number; readonly how: DecisionHow | undefined; readonly timeMs: number }
  | { readonly status: 'skipped'; readonly round: number; readonly leader: number; readonly how: DecisionHow | undefined; readonly timeMs: number };

export type RoundBucket = {
  readonly round: number;
  /** Sorted by (author, digest). */
  readonly vertices: ViewVertex[];
  readonly slots: Map<number, ViewVertex[]>;
  readonly byKey: Map<VertexKey, ViewVertex>;
  /** Per vertex, a bitmap of the validators that accepted it. */
  readonly acceptedBy: Map<VertexKey, Uint8Array>;
  /** Per observer validator, its decision on this round's leader slot. */
  readonly decisions: Map<number, ObserverDecision>;
  /** Validators proven (by reported evidence) to have equivocated at this round. */
  readonly evidenceOffenders: Set<number>;
  leader: number | undefined;
};

export type DroppedSummary = {
  readonly rounds: number;
  readonly vertices: number;
  readonly transactions: number;
};

export type RoundWindow = {
  readonly maxRounds: number;
  /** Highest round any event named; 0 before the first. */
  highestRound(): number;
  /** Lowest round still kept (rounds below were dropped); 1 before any drop. */
  lowestRound(): number;
  bucket(round: number): RoundBucket | undefined;
  /** The bucket of `round`, created if needed (moving the window); undefined when the round fell out of it. */
  ensureBucket(round: number): RoundBucket | undefined;
  /** Inserts a vertex in its round's order; false when it was already there. */
  insertVertex(bucket: RoundBucket, vertex: ViewVertex): boolean;
  dropped(): DroppedSummary;
  /** Called with each round number evicted. */
  onEvict: ((round: number) => void) | undefined;
};

function compareVertices(a: ViewVertex, b: ViewVertex): number {
  if (a.author !== b.author) return a.author - b.author;
  return a.ref.digest < b.ref.digest ? -1 : a.ref.digest > b.ref.digest ? 1 : 0;
}

/** Index at which `vertex` keeps `sorted` ordered (binary search: rounds hold up to n·k vertices). */
function insertionIndex(sorted: readonly ViewVertex[], vertex: ViewVertex): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareVertices(sorted[mid] as ViewVertex, vertex) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createRoundWindow(maxRounds: number): RoundWindow {
  if (!Number.isSafeInteger(maxRounds) || maxRounds < 3) throw new RangeError(`maxRounds: at least 3 rounds (one PBFT wave) are needed, got ${maxRounds}`);
  const buckets = new Map<number, RoundBucket>();
  let highest = 0;
  let lowest = 1;
  let dropped = { rounds: 0, vertices: 0, transactions: 0 };

  function evictBelow(window: RoundWindow, newLowest: number): void {
    // Loop over whichever is smaller: the rounds skipped over, or the rounds held.
    const rounds = newLowest - lowest <= buckets.size ? range(lowest, newLowest) : [...buckets.keys()].filter((r) => r < newLowest);
    for (const round of rounds) {
      const bucket = buckets.get(round);
      if (bucket === undefined) continue;
      buckets.delete(round);
      dropped = {
        rounds: dropped.rounds + 1,
        vertices: dropped.vertices + bucket.vertices.length,
        transactions: dropped.transactions + bucket.vertices.reduce((sum, v) => sum + v.transactions, 0),
      };
      window.onEvict?.(round);
    }
    lowest = newLowest;
  }

  const window: RoundWindow = {
    maxRounds,
    highestRound: () => highest,
    lowestRound: () => lowest,
    bucket: (round) => buckets.get(round),
    ensureBucket(round) {
      if (round < lowest) return undefined;
      if (round > highest) {
        highest = round;
        const newLowest = highest - maxRounds + 1;
        if (newLowest > lowest) evictBelow(window, newLowest);
      }
      let bucket = buckets.get(round);
      if (bucket === undefined) {
        bucket = { round, vertices: [], slots: new Map(), byKey: new Map(), acceptedBy: new Map(), decisions: new Map(), evidenceOffenders: new Set(), leader: undefined };
        buckets.set(round, bucket);
      }
      return bucket;
    },
    insertVertex(bucket, vertex) {
      if (bucket.byKey.has(vertex.key)) return false;
      bucket.byKey.set(vertex.key, vertex);
      bucket.vertices.splice(insertionIndex(bucket.vertices, vertex), 0, vertex);
      const slot = bucket.slots.get(vertex.author);
      if (slot === undefined) bucket.slots.set(vertex.author, [vertex]);
      else slot.splice(insertionIndex(slot, vertex), 0, vertex);
      return true;
    },
    dropped: () => Object.freeze({ ...dropped }),
    onEvict: undefined,
  };
  return window;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let r = from; r < to; r++) out.push(r);
  return out;
}
