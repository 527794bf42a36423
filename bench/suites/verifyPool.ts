/**
 * The verify pool (core/crypto/verifyPool.ts with Node worker threads): ML-DSA-44 throughput
 * with 1 worker and with one per core, for the fast backend (liboqs) and the reference (noble);
 * the speed-up, read absolutely and against bare verify threads; the cost of cache keys; the
 * cache-hit path.
 *
 * Items are ML-DSA-44 signatures under the `kaldrix/tx/v1` context, as the ledger makes them.
 * Throughput runs use `cacheEntries: 0` (nothing skipped, nothing de-duplicated) so every
 * item is really verified; the "cache on" row adds the key hashing of real use.
 * Thread start-up (about a second each under tsx) is excluded by a warm-up batch.
 *
 * How the speed-up is measured on a shared, noisy 2-core machine (one 300 ms run of the same
 * pool varies by ±25% here): the pool is kept saturated as a node keeps it, several calls in
 * flight, each issuing the next as soon as it returns (one call at a time would add a barrier
 * per call that a node never has); 1-worker and N-worker runs alternate in adjacent pairs, and
 * the figure is the MEDIAN OF THE PER-PAIR RATIOS, with their range and interquartile range:
 * the two runs of a pair meet the same neighbours' load, which a ratio of medians would not
 * guarantee. Bare verify threads (bench/_cpuCeiling.ts), 1 vs N, run in the same pairs' rounds
 * (order reversed every other round) and give the machine's realistic ceiling under that load.
 */
import { availableParallelism } from 'node:os';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { contextBytes } from '../../core/crypto/contexts.ts';
import type { VerifyItem } from '../../core/crypto/types.ts';
import type { VerifyPool } from '../../core/crypto/verifyPool.ts';
import { createBlake3CacheKeyHasher, createVerifyCache } from '../../core/crypto/verifyCache.ts';
import { createNativeSha256CacheKeyHasher, createNodeVerifyPool, type NodeVerifyBackendName, type NodeVerifyPoolOptions } from '../../infra/node/verifyWorkers.ts';
import { createVerifyThreads, type VerifyThreads } from '../_cpuCeiling.ts';
import { median } from '../_harness.ts';
import { registerSuite, type SuiteContext } from '../_registry.ts';

const SUITE = 'verify pool';
/** Distinct signed items (signing costs ~7 ms each in pure JS, so few), repeated to fill a call. */
const DISTINCT_ITEMS = 64;
const ITEMS_PER_CALL = 256;
/** The bench target for the pool's speed-up with one worker per core (DESIGN.md §4 aims for 1.8×). */
const SPEEDUP_TARGET = 1.7;
/** DESIGN.md §4: verification per core at least 0.9× the fastest JS-callable verifier. */
const PER_CORE_TARGET = 0.9;
/** verifyBatch calls kept in flight by the saturated runs (a node has several vertices pending). */
const CALLS_IN_FLIGHT = 4;
/**
 * Items per call in the saturated runs. liboqs: 256, the size of one vertex's signature checks
 * (its own plus a few hundred transactions) — ≈ 45 ms of one core, split into full batches; with
 * 64-item calls the pool cut them into 32-item batches and lost ≈ 15% to per-batch overhead
 * (measured 1.53× vs 1.89× on this machine). noble: 16 (≈ 22 ms), so a run still completes many calls.
 */
const SATURATED_CALL_ITEMS: Readonly<Record<NodeVerifyBackendName, number>> = { liboqs: 256, noble: 16 };
/** Adjacent 1-vs-N pairs per backend (each pair's runs meet the same load); quick mode: 3. */
const SCALING_PAIRS = 9;
/** One run's length: long enough for dozens of calls, short enough that a pair sees one load. */
const SCALING_RUN_MS = 300;

const ceilingName = (cores: number, backend: string): string => `verify-thread ceiling: bare ${backend} verify, ${cores} threads vs 1`;
const speedUpName = (cores: number, backend: string): string => `speed-up, ${cores} workers vs 1 (${backend})`;
const relativeName = (backend: string): string => `speed-up / verify-thread ceiling (${backend})`;
const perCoreName = (backend: string): string => `1 worker / 1 bare verify thread (${backend})`;

function signedItems(): { valid: VerifyItem[]; forged: VerifyItem[] } {
  const noble = createNobleBackend();
  const keys = noble.keygen('ml-dsa-44', new Uint8Array(32).fill(3));
  const context = contextBytes('kaldrix/tx/v1');
  const valid = Array.from({ length: DISTINCT_ITEMS }, (_, n): VerifyItem => {
    const message = new Uint8Array(200).fill(n);
    return { scheme: 'ml-dsa-44', publicKey: keys.publicKey, message, signature: noble.sign('ml-dsa-44', keys.secretKey, message, context), context };
  });
  // One signature over other messages: each is a distinct statement that fails, so never cached.
  const forged = Array.from({ length: ITEMS_PER_CALL }, (_, n): VerifyItem => ({ ...(valid[0] as VerifyItem), message: new Uint8Array(200).fill(n).fill(0xee, 0, 2) }));
  return { valid, forged };
}

async function throughput(ctx: SuiteContext, name: string, options: NodeVerifyPoolOptions, batch: readonly VerifyItem[], note: string): Promise<void> {
  if (!ctx.enabled(name)) return;
  const pool = createNodeVerifyPool(options);
  try {
    await warmUp(pool, batch, name);
    const m = await ctx.measure(() => pool.verifyBatch(batch), { itemsPerCall: batch.length, runMs: ctx.quick ? 200 : 700 });
    ctx.figure({ name, value: m.opsPerSecond, unit: 'verifies/s', note: `${note}; ${m.microsPerOp.toFixed(0)} µs/item` });
  } finally {
    await pool.close();
  }
}

/**
 * Verifies per second of `pool` with `CALLS_IN_FLIGHT` calls always pending for `runMs`: each
 * lane issues its next call as soon as the last one returns. Every item up to the last answer
 * counts, so the drain at the end is inside the rate (one small batch per worker at most).
 */
async function saturatedRate(pool: VerifyPool, call: readonly VerifyItem[], runMs: number): Promise<number> {
  const start = performance.now();
  let items = 0;
  const lane = async (): Promise<void> => {
    do {
      await pool.verifyBatch(call);
      items += call.length;
    } while (performance.now() - start < runMs);
  };
  await Promise.all(Array.from({ length: CALLS_IN_FLIGHT }, lane));
  return (items * 1000) / (performance.now() - start);
}

type ScalingSeries = { pool1: number[]; poolN: number[]; raw1: number[]; rawN: number[] };

/** `pairs` rounds of the four runs, order reversed every other round (ABBA), so drift hits each alike. */
async function interleavedRounds(runs: Readonly<Record<keyof ScalingSeries, () => Promise<number>>>, pairs: number): Promise<ScalingSeries> {
  const series: ScalingSeries = { pool1: [], poolN: [], raw1: [], rawN: [] };
  const forward: ReadonlyArray<keyof ScalingSeries> = ['raw1', 'rawN', 'pool1', 'poolN'];
  const backward = [...forward].reverse();
  for (let pair = 0; pair < pairs; pair++) {
    for (const run of pair % 2 === 0 ? forward : backward) series[run].push(await runs[run]());
  }
  return series;
}

/** a[i] / b[i] for each round. */
const perRound = (a: readonly number[], b: readonly number[]): number[] => a.map((x, i) => x / (b[i] as number));

/** Linear-interpolated quantile of `values` (p in 0..1). */
function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (sorted.length - 1) * p;
  const low = sorted[Math.floor(at)] as number;
  const high = sorted[Math.ceil(at)] as number;
  return low + (high - low) * (at - Math.floor(at));
}

/** "range 1.52–1.93, IQR 1.70–1.85 over 9 pairs" */
function spread(values: readonly number[], digits = 2): string {
  const f = (x: number): string => x.toFixed(digits);
  return `range ${f(Math.min(...values))}–${f(Math.max(...values))}, IQR ${f(quantile(values, 0.25))}–${f(quantile(values, 0.75))} over ${values.length} pairs`;
}

/**
 * 1 worker vs one per core, both pools alive at once and saturated, in adjacent pairs
 * interleaved with bare verify threads on 1 and N threads (the realistic ceiling, same load).
 */
async function scaling(ctx: SuiteContext, backend: NodeVerifyBackendName, valid: readonly VerifyItem[], cores: number): Promise<void> {
  const one = `ml-dsa-44, 1 worker (${backend})`;
  const batch = Array.from({ length: ITEMS_PER_CALL }, (_, n) => valid[n % valid.length] as VerifyItem);
  if (cores < 2) {
    await throughput(ctx, one, { backend, workers: 1, cacheEntries: 0 }, batch, 'no cache');
    return;
  }
  const all = `ml-dsa-44, ${cores} workers (${backend})`;
  if (!ctx.enabled(one) && !ctx.enabled(all)) return;
  const call = Array.from({ length: SATURATED_CALL_ITEMS[backend] }, (_, n) => valid[n % valid.length] as VerifyItem);
  const runMs = ctx.quick ? 100 : SCALING_RUN_MS;
  const pairs = ctx.quick ? 3 : SCALING_PAIRS;
  const pools = [1, cores].map((workers) => createNodeVerifyPool({ backend, workers, cacheEntries: 0 }));
  let threads: VerifyThreads | undefined;
  try {
    threads = await createVerifyThreads(backend, cores, valid);
    for (const pool of pools) {
      await warmUp(pool, batch, backend);
      await saturatedRate(pool, call, runMs / 2);
    }
    await threads.all(runMs / 2);
    const bare = threads;
    const [poolOne, poolAll] = pools as [VerifyPool, VerifyPool];
    const s = await interleavedRounds(
      {
        pool1: () => saturatedRate(poolOne, call, runMs),
        poolN: () => saturatedRate(poolAll, call, runMs),
        raw1: () => bare.one(runMs),
        rawN: () => bare.all(runMs),
      },
      pairs,
    );
    report(ctx, backend, cores, s);
  } finally {
    await Promise.all([...pools.map((pool) => pool.close()), threads?.close()]);
  }
}

function report(ctx: SuiteContext, backend: NodeVerifyBackendName, cores: number, s: ScalingSeries): void {
  const load = `${CALLS_IN_FLIGHT} calls of ${SATURATED_CALL_ITEMS[backend]} in flight, no cache`;
  const rate = (name: string, runs: readonly number[], what: string): void => {
    const value = median(runs);
    const range = `${Math.min(...runs).toFixed(0)}–${Math.max(...runs).toFixed(0)}`;
    ctx.figure({ name, value, unit: 'verifies/s', note: `${what}; median of ${runs.length} runs (range ${range}); ${(1e6 / value).toFixed(0)} µs/item` });
  };
  rate(`ml-dsa-44, 1 worker (${backend})`, s.pool1, load);
  rate(`ml-dsa-44, ${cores} workers (${backend})`, s.poolN, load);
  rate(`bare ${backend} verify, 1 thread`, s.raw1, 'raw verify loop in one worker thread: no pool, no messages');
  rate(`bare ${backend} verify, ${cores} threads`, s.rawN, `raw verify loop in ${cores} worker threads at once`);
  const speedUps = perRound(s.poolN, s.pool1);
  const ceilings = perRound(s.rawN, s.raw1);
  const ratio = (name: string, values: readonly number[], note: string): void => void ctx.figure({ name, value: median(values), unit: '×', note: `${note}; ${spread(values)}` });
  ratio(speedUpName(cores, backend), speedUps, `median of per-pair ratios, runs adjacent; ideal ${cores}×`);
  ratio(ceilingName(cores, backend), ceilings, 'bare threads, runs interleaved with the pools’; no pool can beat it');
  ratio(relativeName(backend), perRound(speedUps, ceilings), 'per round: the pool’s speed-up / the bare threads’; 1 = the pool loses nothing to scaling');
  ratio(perCoreName(backend), perRound(s.pool1, s.raw1), 'per round: the pool on one worker / one bare thread; 1 = the pool (packing, messages, queue) costs nothing');
}

/** Starts the threads, loads the backend, warms the JIT, and checks the answers. */
async function warmUp(pool: VerifyPool, batch: readonly VerifyItem[], what: string): Promise<void> {
  const results = await pool.verifyBatch(batch);
  const validCount = results.filter(Boolean).length;
  if (validCount !== batch.length && validCount !== 0) throw new Error(`${what}: ${validCount} of ${batch.length} valid, expected all or none`);
}

function checks(ctx: SuiteContext, cores: number): void {
  const name = `pool speed-up on N cores ≥ ${SPEEDUP_TARGET}× (N = ${cores}, liboqs)`;
  const speedUp = ctx.find(SUITE, speedUpName(cores, 'liboqs'));
  if (cores < 2) ctx.check({ name, status: 'SKIP', detail: 'a single core: nothing to scale over' });
  else if (speedUp === undefined) ctx.check({ name, status: 'SKIP', detail: 'not measured in this run' });
  else {
    const noble = ctx.find(SUITE, speedUpName(cores, 'noble'));
    const ceiling = ctx.find(SUITE, ceilingName(cores, 'liboqs'));
    const relative = ctx.find(SUITE, relativeName('liboqs'));
    ctx.check({
      name,
      status: speedUp.value >= SPEEDUP_TARGET ? 'PASS' : 'FAIL',
      detail:
        `${speedUp.value.toFixed(2)}× with liboqs (${speedUp.note?.replace(/^.*; /, '') ?? ''})${noble ? `, ${noble.value.toFixed(2)}× with noble` : ''}` +
        `${ceiling ? `; bare liboqs verify threads under the same load: ${ceiling.value.toFixed(2)}×` : ''}` +
        `${relative ? `, so the pool reaches ${relative.value.toFixed(2)} of the machine's ceiling` : ''} (DESIGN.md §4 aims for 1.8× on 2 cores)`,
    });
  }
  const perCoreCheck = `pool verification per core ≥ ${PER_CORE_TARGET}× the fastest JS-callable verifier`;
  const paired = ctx.find(SUITE, perCoreName('liboqs'));
  const perCore = ctx.find(SUITE, 'ml-dsa-44, 1 worker (liboqs)');
  const raw = ctx.find('signatures', 'ml-dsa-44 verify (raw liboqs-js)');
  if (paired !== undefined) {
    const status = paired.value >= PER_CORE_TARGET ? 'PASS' : 'FAIL';
    ctx.check({ name: perCoreCheck, status, detail: `${paired.value.toFixed(2)}× (1 liboqs worker vs a bare liboqs-js verify thread, runs paired)` });
  } else if (perCore === undefined || raw === undefined) ctx.check({ name: perCoreCheck, status: 'SKIP', detail: 'not measured in this run' });
  else {
    const ratio = perCore.value / raw.value;
    const status = ratio >= PER_CORE_TARGET ? 'PASS' : 'FAIL';
    ctx.check({ name: perCoreCheck, status, detail: `${ratio.toFixed(2)}× (1 liboqs worker vs raw liboqs-js in this thread)` });
  }
}

async function cachePaths(ctx: SuiteContext, valid: readonly VerifyItem[], forged: readonly VerifyItem[], cores: number): Promise<void> {
  for (const [label, hasher] of [['BLAKE3, pure JS', createBlake3CacheKeyHasher()], ['SHA-256, native', createNativeSha256CacheKeyHasher()]] as const) {
    const name = `cache key of an ML-DSA-44 statement (${label})`;
    if (!ctx.enabled(name)) continue;
    const cache = createVerifyCache({ hasher });
    const item = valid[0] as VerifyItem;
    const m = await ctx.measure(() => cache.keyOf(item));
    ctx.figure({ name, value: m.microsPerOp, unit: 'µs', note: '3.9 KB hashed: key, signature, message' });
  }
  await throughput(ctx, `ml-dsa-44, ${cores} workers, cache on, all misses (liboqs)`, { backend: 'liboqs', workers: cores }, forged, 'distinct forged items: hashed, verified, never cached');
  const batch = Array.from({ length: ITEMS_PER_CALL }, (_, n) => valid[n % valid.length] as VerifyItem);
  await throughput(ctx, `cache hits (verifyBatch of known-valid items)`, { backend: 'liboqs', workers: 1 }, batch, 'answered from the cache, no worker involved');
}

registerSuite({
  name: SUITE,
  description: 'worker-thread verify pool: ML-DSA-44 throughput, scaling, cache',
  async run(ctx) {
    const cores = availableParallelism();
    const { valid, forged } = signedItems();
    await scaling(ctx, 'liboqs', valid, cores);
    await scaling(ctx, 'noble', valid, cores);
    await cachePaths(ctx, valid, forged, cores);
    checks(ctx, cores);
  },
});
