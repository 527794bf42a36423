/**
 * One node's memory under steady devnet load (DESIGN.md §4 "Memory: a full node under load stays
 * flat (pruning works)"): node v0's resident set from its /metrics (prom-client's
 * `process_resident_memory_bytes`, with `nodejs_heap_size_used_bytes` beside it) every
 * SAMPLE_EVERY_MS while the open-loop load runs; transfers are signed a few seconds ahead during
 * the run (a long run cannot hold them all signed in advance: ≈ 2.6 KB each).
 *
 * Warm-up ends at the latest of a fixed share of the run, the moment the node has committed
 * `loggedCommits` leaders since the load began, and the moment it has committed
 * `boundedTransactions` transactions since then: the in-memory commit log (max_logged_commits),
 * the API's transaction index (api.tx_index_entries), the kept verdicts and the verify cache are
 * bounds that fill with load first, and their filling is growth by design, not a leak. Each
 * sample also reads V8's `external` memory (ArrayBuffers: transaction and vertex bytes), so a
 * report can tell buffers from heap objects from what neither covers (allocator, threads).
 */
import type { ApiClient } from './_devnetHttp.ts';
import { getText, metricValue } from './_devnetHttp.ts';
import { runLoad, type LoadResult } from './_devnetLoad.ts';
import type { TransferSource } from './_devnetTxs.ts';

export type MemoryPlan = {
  readonly minutes: number;
  readonly userAddresses: readonly string[];
  readonly offeredTps: number;
  /** The nodes' max_logged_commits: warm-up lasts at least until that many loaded commits. */
  readonly loggedCommits: number;
  /** The largest count bound on transactions (index, verdicts, verify cache): warm-up lasts until that many are committed. */
  readonly boundedTransactions: number;
  readonly progress: (line: string) => void;
};

export type MemorySample = {
  readonly atMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** V8's reserved heap (used plus free space it keeps): grows with its sizing heuristics, not only with data. */
  readonly heapTotalBytes: number;
  readonly externalBytes: number;
  readonly commitIndex: bigint;
  readonly committedTransactions: number;
};

export type MemoryResult = {
  readonly samples: readonly MemorySample[];
  /** ms into the run when warm-up ended; undefined when it did not end within the run. */
  readonly warmupEndMs: number | undefined;
  readonly load: LoadResult;
};

const SAMPLE_EVERY_MS = 5_000;
/** The least warm-up: a fifth of the run (JIT, caches, the first GC cycles of the old space). */
const WARMUP_SHARE = 0.2;
/** Transfers signed ahead of the load, in seconds of it. */
const SIGN_AHEAD_S = 4;
const METRICS_TIMEOUT_MS = 5_000;

async function readSample(node: ApiClient, atMs: number): Promise<MemorySample | undefined> {
  const [text, status] = await Promise.all([getText(node.apiUrl, '/metrics', METRICS_TIMEOUT_MS), node.getJson('/v1/status') as Promise<{ lastCommitIndex?: string } | undefined>]);
  const rssBytes = text === undefined ? undefined : metricValue(text, 'process_resident_memory_bytes');
  const heapUsedBytes = text === undefined ? undefined : metricValue(text, 'nodejs_heap_size_used_bytes');
  const heapTotalBytes = text === undefined ? undefined : metricValue(text, 'nodejs_heap_size_total_bytes');
  const externalBytes = text === undefined ? undefined : metricValue(text, 'nodejs_external_memory_bytes');
  const committedTransactions = text === undefined ? undefined : metricValue(text, 'kaldrix_committed_transactions_total');
  if (rssBytes === undefined || heapUsedBytes === undefined || heapTotalBytes === undefined || externalBytes === undefined || committedTransactions === undefined || status?.lastCommitIndex === undefined) return undefined;
  return Object.freeze({ atMs, rssBytes, heapUsedBytes, heapTotalBytes, externalBytes, commitIndex: BigInt(status.lastCommitIndex), committedTransactions });
}

export async function runMemory(plan: MemoryPlan, source: TransferSource, clients: readonly ApiClient[]): Promise<MemoryResult> {
  const node = clients[0] as ApiClient;
  const durationMs = plan.minutes * 60_000;
  const aheadPerUser = Math.ceil((plan.offeredTps * SIGN_AHEAD_S) / source.users.length);
  await source.topUp(2 * aheadPerUser);
  const samples: MemorySample[] = [];
  const first = await readSample(node, 0);
  if (first !== undefined) samples.push(first);
  let warmupEndMs: number | undefined;
  let lastSampleMs = 0;
  const everySecond = async (elapsedMs: number): Promise<void> => {
    await source.topUp(aheadPerUser);
    if (elapsedMs - lastSampleMs < SAMPLE_EVERY_MS) return;
    lastSampleMs = elapsedMs;
    const sample = await readSample(node, elapsedMs);
    if (sample === undefined) return;
    samples.push(sample);
    const start = samples[0] ?? sample;
    const boundsFull = sample.commitIndex - start.commitIndex >= BigInt(plan.loggedCommits) && sample.committedTransactions - start.committedTransactions >= plan.boundedTransactions;
    if (warmupEndMs === undefined && elapsedMs >= WARMUP_SHARE * durationMs && boundsFull) {
      warmupEndMs = elapsedMs;
      plan.progress(`memory: warm-up over at ${(elapsedMs / 1000).toFixed(0)} s (RSS ${(sample.rssBytes / 2 ** 20).toFixed(0)} MiB)`);
    }
  };
  const load = await runLoad(
    { label: `memory, ${plan.offeredTps} tx/s for ${plan.minutes} min`, userAddresses: plan.userAddresses, offeredTps: plan.offeredTps, durationMs, drainMs: 0, samplesPerSecond: 2, everySecond, progress: plan.progress },
    source.users,
    clients,
  );
  const last = await readSample(node, load.windowMs);
  if (last !== undefined) samples.push(last);
  return Object.freeze({ samples: Object.freeze(samples), warmupEndMs, load });
}
