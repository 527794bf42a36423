/**
 * The measuring loop every bench suite uses: warm up, then a few timed runs, each repeating
 * the operation until a time budget is spent (at least `minIterations` times), reporting the
 * median run. The median of a few runs resists one run disturbed by GC or a noisy neighbour;
 * the time budget bounds slow operations (SLH-DSA signing) without starving fast ones.
 */

export type MeasureOptions = {
  /** Time budget per run, in ms. */
  readonly runMs: number;
  /** Timed runs; the median is reported. */
  readonly runs: number;
  /** Untimed time spent first, in ms (JIT, caches, lazy loading). */
  readonly warmupMs: number;
  /** Calls per run at least, even past the budget. Default 1. */
  readonly minIterations?: number;
  /** Items one call processes (a batch of 256 verifications counts 256). Default 1. */
  readonly itemsPerCall?: number;
};

export type Measurement = {
  /** Median operations (items) per second over the runs. */
  readonly opsPerSecond: number;
  /** Median time per item, in microseconds. */
  readonly microsPerOp: number;
  readonly runs: readonly number[];
  readonly iterations: number;
};

export const QUICK: MeasureOptions = { runMs: 80, runs: 1, warmupMs: 20 };
export const FULL: MeasureOptions = { runMs: 300, runs: 3, warmupMs: 60 };

/** Measures `op` (sync or async) under `options`. */
export async function measure(op: () => unknown, options: MeasureOptions): Promise<Measurement> {
  const [only] = await measureInterleaved([op], options);
  return only as Measurement;
}

/**
 * Measures several operations whose RATIO matters (two backends, 1 worker vs N): their timed
 * runs alternate (A B A B …), so a load change on a shared machine hits all of them alike
 * instead of whichever happened to run during it.
 */
export async function measureInterleaved(ops: ReadonlyArray<() => unknown>, options: MeasureOptions): Promise<Measurement[]> {
  for (const op of ops) {
    const warmupEnd = performance.now() + options.warmupMs;
    do await settle(op());
    while (performance.now() < warmupEnd);
  }
  const rates = ops.map((): number[] => []);
  const iterations = ops.map(() => 0);
  for (let run = 0; run < options.runs; run++) {
    for (const [i, op] of ops.entries()) {
      const { calls, elapsedMs } = await timedRun(op, options);
      iterations[i] = (iterations[i] as number) + calls;
      rates[i]?.push((calls * (options.itemsPerCall ?? 1) * 1000) / elapsedMs);
    }
  }
  return rates.map((r, i) => {
    const opsPerSecond = median(r);
    return { opsPerSecond, microsPerOp: 1e6 / opsPerSecond, runs: r, iterations: iterations[i] as number };
  });
}

async function timedRun(op: () => unknown, options: MeasureOptions): Promise<{ calls: number; elapsedMs: number }> {
  const minIterations = options.minIterations ?? 1;
  const start = performance.now();
  let calls = 0;
  let elapsedMs = 0;
  while (calls < minIterations || elapsedMs < options.runMs) {
    const result = op();
    // Awaiting only real promises keeps a microtask hop out of sync figures (BLAKE3 of 64 B).
    if (result instanceof Promise) await result;
    calls++;
    elapsedMs = performance.now() - start;
  }
  return { calls, elapsedMs };
}

function settle(result: unknown): unknown {
  return result instanceof Promise ? result : undefined;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
