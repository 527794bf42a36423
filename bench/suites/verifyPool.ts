/**
 * The verify pool (core/crypto/verifyPool.ts with Node worker threads): ML-DSA-44 throughput
 * with 1 worker and with one per core, for the fast backend (liboqs) and the reference (noble);
 * the speed-up; the cost of cache keys; the cache-hit path.
 *
 * Items are ML-DSA-44 signatures under the `kaldrix/tx/v1` context, as the ledger makes them.
 * Throughput runs use `cacheEntries: 0` (nothing skipped, nothing de-duplicated) so every
 * item is really verified; the "cache on" row adds the key hashing of real use.
 * Thread start-up (about a second each under tsx) is excluded by a warm-up batch.
 */
import { availableParallelism } from 'node:os';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { contextBytes } from '../../core/crypto/contexts.ts';
import type { VerifyItem } from '../../core/crypto/types.ts';
import type { VerifyPool } from '../../core/crypto/verifyPool.ts';
import { createBlake3CacheKeyHasher, createVerifyCache } from '../../core/crypto/verifyCache.ts';
import { createNativeSha256CacheKeyHasher, createNodeVerifyPool, type NodeVerifyBackendName, type NodeVerifyPoolOptions } from '../../infra/node/verifyWorkers.ts';
import { createCpuSpinners } from '../_cpuCeiling.ts';
import { registerSuite, type SuiteContext } from '../_registry.ts';

const SUITE = 'verify pool';
/** Distinct signed items (signing costs ~7 ms each in pure JS, so few), repeated to fill a call. */
const DISTINCT_ITEMS = 64;
const ITEMS_PER_CALL = 256;
/** The bench target for the pool's speed-up with one worker per core (DESIGN.md §4 aims for 1.8×). */
const SPEEDUP_TARGET = 1.7;
/** DESIGN.md §4: verification per core at least 0.9× the fastest JS-callable verifier. */
const PER_CORE_TARGET = 0.9;

const ceilingName = (cores: number, backend: string): string => `machine ceiling: CPU loop, ${cores} threads vs 1 (${backend} runs)`;
const speedUpName = (cores: number, backend: string): string => `speed-up, ${cores} workers vs 1 (${backend})`;

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
 * 1 worker vs one per core, both pools alive at once, their runs interleaved with a CPU loop on
 * 1 and N threads (the machine's ceiling under the same load).
 */
async function scaling(ctx: SuiteContext, backend: NodeVerifyBackendName, batch: readonly VerifyItem[], cores: number): Promise<void> {
  const one = `ml-dsa-44, 1 worker (${backend})`;
  if (cores < 2) {
    await throughput(ctx, one, { backend, workers: 1, cacheEntries: 0 }, batch, 'no cache');
    return;
  }
  const all = `ml-dsa-44, ${cores} workers (${backend})`;
  if (!ctx.enabled(one) && !ctx.enabled(all)) return;
  const pools = [1, cores].map((workers) => createNodeVerifyPool({ backend, workers, cacheEntries: 0 }));
  const spinners = createCpuSpinners(cores);
  try {
    for (const pool of pools) await warmUp(pool, batch, backend);
    // More, shorter alternating runs than elsewhere: the speed-up is the figure most hurt by load.
    const overrides = ctx.quick ? { runMs: 200 } : { runMs: 400, runs: 5 };
    // All four alternate; `itemsPerCall` scales the spin rates too, which cancels in their ratio.
    const runs = [() => pools[0]?.verifyBatch(batch), () => pools[1]?.verifyBatch(batch), spinners.one, spinners.all];
    const [poolOne, poolAll, spinOne, spinAll] = await ctx.measureInterleaved(runs, { itemsPerCall: batch.length, ...overrides });
    if (!poolOne || !poolAll || !spinOne || !spinAll) return;
    ctx.figure({ name: one, value: poolOne.opsPerSecond, unit: 'verifies/s', note: `no cache; ${poolOne.microsPerOp.toFixed(0)} µs/item` });
    ctx.figure({ name: all, value: poolAll.opsPerSecond, unit: 'verifies/s', note: `no cache; ${poolAll.microsPerOp.toFixed(0)} µs/item` });
    const speedUp = poolAll.opsPerSecond / poolOne.opsPerSecond;
    const ceiling = (cores * spinAll.opsPerSecond) / spinOne.opsPerSecond;
    ctx.figure({ name: speedUpName(cores, backend), value: speedUp, unit: '×', note: `ideal ${cores}×; runs interleaved` });
    ctx.figure({ name: ceilingName(cores, backend), value: ceiling, unit: '×', note: 'CPU loop, runs interleaved with the pools’; no pool can beat it' });
    ctx.figure({ name: `speed-up / machine ceiling (${backend})`, value: speedUp / ceiling, unit: '×', note: 'the pool’s own scaling loss; 1 = none' });
  } finally {
    await Promise.all([...pools.map((pool) => pool.close()), spinners.close()]);
  }
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
    ctx.check({
      name,
      status: speedUp.value >= SPEEDUP_TARGET ? 'PASS' : 'FAIL',
      detail:
        `${speedUp.value.toFixed(2)}× with liboqs${noble ? `, ${noble.value.toFixed(2)}× with noble` : ''}` +
        `${ceiling ? `; the machine's ceiling under the same load: ${ceiling.value.toFixed(2)}× (CPU loop)` : ''} (DESIGN.md §4 aims for 1.8× on 2 cores)`,
    });
  }
  const perCore = ctx.find(SUITE, 'ml-dsa-44, 1 worker (liboqs)');
  const raw = ctx.find('signatures', 'ml-dsa-44 verify (raw liboqs-js)');
  const perCoreName = `pool verification per core ≥ ${PER_CORE_TARGET}× the fastest JS-callable verifier`;
  if (perCore === undefined || raw === undefined) ctx.check({ name: perCoreName, status: 'SKIP', detail: 'not measured in this run' });
  else {
    const ratio = perCore.value / raw.value;
    ctx.check({ name: perCoreName, status: ratio >= PER_CORE_TARGET ? 'PASS' : 'FAIL', detail: `${ratio.toFixed(2)}× (1 liboqs worker vs raw liboqs-js in this thread)` });
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
    const batch = Array.from({ length: ITEMS_PER_CALL }, (_, n) => valid[n % valid.length] as VerifyItem);
    await scaling(ctx, 'liboqs', batch, cores);
    await scaling(ctx, 'noble', batch, cores);
    await cachePaths(ctx, valid, forged, cores);
    checks(ctx, cores);
  },
});
