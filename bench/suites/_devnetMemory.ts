/**
 * One node's memory under steady devnet load (DESIGN.md §4 "Memory: a full node under load stays
 * flat (pruning works)"): node v0's resident set from its /metrics (prom-client's
 * `process_resident_memory_bytes`, with `nodejs_heap_size_used_bytes` beside it) every
 * SAMPLE_EVERY_MS while the open-loop load runs; transfers are signed a few seconds ahead during
 * the run (a long run cannot hold them all signed in advance: ≈ 2.6 KB each).
 *
 * Warm-up ends at the later of a fixed share of the run and the moment the node has committed
 * `loggedCommits` leaders since the load began: the in-memory commit log (max_logged_commits) is
 * a bound that fills with loaded commits first, and its filling is growth by design, not a leak.
 */
import type { ApiClient } from './_devnetHttp.ts';
import { getText } from './_devnetHttp.ts';
import { runLoad, type LoadResult } from './_devnetLoad.ts';
import type { TransferSource } from './_devnetTxs.ts';

export type MemoryPlan = {
  readonly minutes: number;
  readonly userAddresses: readonly string[];
  readonly offeredTps: number;
  /** The nodes' max_logged_commits: warm-up lasts at least until that many loaded commits. */
  readonly loggedCommits: number;
  readonly progress: (line: string) => void;
};

export type MemorySample = { readonly atMs: number; readonly rssBytes: number; readonly heapUsedBytes: number; readonly commitIndex: bigint };

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

function metricValue(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  const value = line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
  return Number.isFinite(value) ? value : undefined;
}

async function readSample(node: ApiClient, atMs: number): Promise<MemorySample | undefined> {
  const [text, status] = await Promise.all([getText(node.apiUrl, '/metrics', METRICS_TIMEOUT_MS), node.getJson('/v1/status') as Promise<{ lastCommitIndex?: string } | undefined>]);
  const rssBytes = text === undefined ? undefined : metricValue(text, 'process_resident_memory_bytes');
  const heapUsedBytes = text === undefined ? undefined : metricValue(text, 'nodejs_heap_size_used_bytes');
  if (rssBytes === undefined || heapUsedBytes === undefined || status?.lastCommitIndex === undefined) return undefined;
  return Object.freeze({ atMs, rssBytes, heapUsedBytes, commitIndex: BigInt(status.lastCommitIndex) });
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
    const start = samples[0]?.commitIndex ?? sample.commitIndex;
    if (warmupEndMs === undefined && elapsedMs >= WARMUP_SHARE * durationMs && sample.commitIndex - start >= BigInt(plan.loggedCommits)) {
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
