/**
 * Devnet: four validators as real `kaldrix start` processes on loopback (libp2p, LevelDB,
 * HTTP APIs), started fresh in a temporary directory for this run and stopped at its end
 * (DESIGN.md §4: "Local devnet of 4 validators on loopback: finality p50 under 300 ms at 1,000
 * TPS offered"; "Memory: a full node under load stays flat").
 *
 * Per offered rate (500, 1,000, 2,000 transfers/s, open loop, a bounded window each): the rate
 * really sent, accepted (HTTP 202) and committed (applied by the end of the drain that follows
 * the window, per second of the window), the
 * committed rate against the machine's verify ceiling, and finality p50/p90/p99 of a sample
 * (submission → the API reports `committed`; the later certified-checkpoint latency beside it) —
 * _devnetLoad.ts and _devnetFinality.ts say how. Then one node's resident set under steady load
 * over a run of KALDRIX_BENCH_MEMORY_MINUTES (default 10, quick mode 3; 0: none) — _devnetMemory.ts.
 * KALDRIX_BENCH_DEVNET_WINDOW_SECONDS sets the window per rate (default 60, quick mode 20).
 *
 * Caveats: the load generator, four validators and their verify threads share this machine's
 * cores, and every transfer is verified by all four nodes, so the devnet can commit at most about
 * a quarter of the verify ceiling even with nothing else to do; the committed/ceiling ratio is
 * therefore not DESIGN.md's single-node pipeline target. Nodes run with max_logged_commits = 128
 * (default 1,024) and api.tx_index_entries = 65,536 (default 100,000) so that these bounds, which
 * fill with load, are full within the memory run's warm-up (_devnetMemory.ts). No figure here is
 * asserted.
 */
import { registerSuite, type SuiteContext } from '../_registry.ts';
import { verifyCeiling, type VerifyCeiling } from './_devnetCeiling.ts';
import { cpuPerTransfer, readNodeCpuSeconds, type NodeCpuSpent } from './_devnetCpu.ts';
import { createApiClient, type ApiClient } from './_devnetHttp.ts';
import { startBenchDevnet } from './_devnetLife.ts';
import { runLoad, type LoadResult } from './_devnetLoad.ts';
import { runMemory, type MemoryResult } from './_devnetMemory.ts';
import { leastSquaresSlope, quantile } from './_devnetStats.ts';
import { createTransferSource, type TransferSource } from './_devnetTxs.ts';

const SUITE = 'devnet';
const VALIDATORS = 4;
/** The most funded users a devnet genesis holds (infra/peer/devnet genesis.ts): 100 nonce sequences. */
const USERS = 100;
const OFFERED_TPS = [500, 1_000, 2_000] as const;
const WINDOW_MS = { quick: 20_000, full: 60_000 } as const;
/** Bounds of the wait after a window; it ends early once the pools are empty and every sample is seen committed. */
const DRAIN_MS = { quick: 30_000, full: 60_000 } as const;
/** Finality samples per second: ≈ 400 per quick window, ≈ 1,200 per full one; lookups stay ≪ the load. */
const SAMPLES_PER_SECOND = 20;
const MEMORY_MINUTES = { quick: 3, full: 10 } as const;
/** Steady load of the memory run: a quarter of the design point, sustainable on a shared 2-core machine. */
const MEMORY_TPS = 250;
/** max_logged_commits of the bench nodes (see the header). */
const LOGGED_COMMITS = 128;
/**
 * api.tx_index_entries of the bench nodes: the size of the other count bounds on transactions
 * (consensus.max_verdicts and crypto.verify_cache_entries, both 65,536 by default), so the
 * memory run's warm-up ends once one such count is committed (≈ 4.4 min at 250 tx/s).
 */
const BOUNDED_TRANSACTIONS = 65_536;
/** DESIGN.md §4. */
const FINALITY_TARGET_MS = 300;
const FINALITY_CHECK_TPS = 1_000;
/**
 * "Flat": the least-squares RSS slope after warm-up at most 2 MiB/min. A node that kept every
 * transfer (≈ 2.6 KB each) at 250 tx/s would grow ≈ 37 MiB/min; 2 MiB/min catches keeping one in
 * about 20, while a V8 heap that merely breathes by tens of MiB averages out over minutes.
 */
const FLAT_MIB_PER_MINUTE = 2;
const CEILING_RUN_MS = { quick: 500, full: 1_500 } as const;

const rateNames = (tps: number) => {
  const at = `${tps.toLocaleString('en-US')} tx/s offered`;
  return {
    sent: `${at}: sent`,
    accepted: `${at}: accepted`,
    committed: `${at}: committed`,
    p50: `${at}: finality p50`,
    p90: `${at}: finality p90`,
    p99: `${at}: finality p99`,
    certifiedP50: `${at}: certified p50`,
    certifiedP99: `${at}: certified p99`,
    cpu: `${at}: node CPU per transfer`,
  } as const;
};
const MEMORY_NAMES = {
  warm: 'node v0 RSS after warm-up',
  end: 'node v0 RSS at the end',
  slope: 'node v0 RSS growth after warm-up',
  external: 'node v0 external (buffer) memory growth after warm-up',
} as const;
const MIB = 2 ** 20;

const progress = (line: string): void => void process.stderr.write(`  ${line}\n`);

/** The window per offered rate: KALDRIX_BENCH_DEVNET_WINDOW_SECONDS, else 20 s quick / 60 s full (signing ahead costs ≈ 0.5 ms per transfer on an idle core). */
function windowMs(quick: boolean): number {
  const text = process.env['KALDRIX_BENCH_DEVNET_WINDOW_SECONDS'];
  if (text === undefined || text === '') return quick ? WINDOW_MS.quick : WINDOW_MS.full;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) throw new RangeError(`KALDRIX_BENCH_DEVNET_WINDOW_SECONDS must be a number of seconds in 1..600, got ${text}`);
  return seconds * 1000;
}

function memoryMinutes(quick: boolean): number {
  const text = process.env['KALDRIX_BENCH_MEMORY_MINUTES'];
  if (text === undefined || text === '') return quick ? MEMORY_MINUTES.quick : MEMORY_MINUTES.full;
  const minutes = Number(text);
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > 120) throw new RangeError(`KALDRIX_BENCH_MEMORY_MINUTES must be a number of minutes in 0..120 (0: no memory run), got ${text}`);
  return minutes;
}

function reportRate(ctx: SuiteContext, r: LoadResult, cpu: NodeCpuSpent | undefined, ceiling: VerifyCeiling): void {
  const names = rateNames(r.offeredTps);
  const seconds = r.windowMs / 1000;
  const figure = (name: string, value: number, unit: string, note: string, ratio?: { value: number; to: string }): void => {
    if (ctx.enabled(name) && Number.isFinite(value)) ctx.figure({ name, value, unit, note, ...(ratio === undefined ? {} : { ratio }) });
  };
  const rejects = Object.entries(r.rejected).map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
  figure(names.sent, r.sent / seconds, 'tx/s', `${r.slots} slots in ${seconds.toFixed(1)} s, ${r.sent} requests (retries of refused nonces included), ${r.dropped} slots dropped (user busy until the window closed)`);
  figure(names.accepted, r.accepted / seconds, 'tx/s', `HTTP 202; refused: ${rejects}; no answer ${r.noAnswer}; already known ${r.alreadyKnown}`);
  // Goodput of the window: what it put in was executed by the drain's end (which waits for the
  // pools to empty, bounded), per second of the window. Counting only commits inside the window
  // would read 0 whenever finality is longer than the window.
  const committedTps = (r.executedInWindow + r.executedInDrain) / seconds;
  figure(
    names.committed,
    committedTps,
    'tx/s',
    `transfers applied (users' nonces, certified state) from the window's start to the drain's end, per second of the window: ${r.executedInWindow} within the window, ${r.executedInDrain} in the drain ` +
      `(${(r.drainMs / 1000).toFixed(1)} s), ${r.mempoolAfterDrain} still pooled over all nodes after it; ` +
      `ceiling ${Math.round(ceiling.verifiesPerSecond).toLocaleString('en-US')} verifies/s (${ceiling.source}); each transfer is verified by all ${VALIDATORS} nodes on this machine`,
    { value: committedTps / ceiling.verifiesPerSecond, to: `verify ceiling (${ceiling.label})` },
  );
  const f = r.finality;
  const sampleNote = `${f.committedMs.length} of ${f.samples} sampled transfers seen committed (${f.unresolved} not by the drain's end, ${f.skipped} samples skipped: too many awaited); ${f.lookups} lookups`;
  figure(names.p50, quantile(f.committedMs, 0.5), 'ms', `submission → the API reports "committed" (PBFT commit on the DAG: final); ${sampleNote}`);
  figure(names.p90, quantile(f.committedMs, 0.9), 'ms', 'as p50');
  figure(names.p99, quantile(f.committedMs, 0.99), 'ms', 'as p50; unresolved samples are not in it');
  const certifiedNote = `submission → first certified checkpoint covering its commit (one every 500 ms), seen on node 0; ${f.certifiedMs.length} samples`;
  figure(names.certifiedP50, quantile(f.certifiedMs, 0.5), 'ms', certifiedNote);
  figure(names.certifiedP99, quantile(f.certifiedMs, 0.99), 'ms', certifiedNote);
  if (cpu !== undefined) {
    // The ceiling's cost of one signature on one core: the least a node can spend on a transfer it verifies.
    const verifyMs = (1000 * ceiling.cores) / ceiling.verifiesPerSecond;
    figure(
      names.cpu,
      cpu.msPerTransfer,
      'ms',
      `process_cpu_seconds_total of the ${cpu.nodes} nodes (all threads) over the window and its drain, ${cpu.totalSeconds.toFixed(1)} s in all, per committed transfer and node; one verify costs ${verifyMs.toFixed(3)} ms of a core at the ceiling`,
      { value: cpu.msPerTransfer / verifyMs, to: 'one verify at the ceiling' },
    );
  }
}

function finalityCheck(ctx: SuiteContext): void {
  const name = `devnet finality p50 < ${FINALITY_TARGET_MS} ms at ${FINALITY_CHECK_TPS.toLocaleString('en-US')} tx/s offered (${VALIDATORS} validators, loopback)`;
  const names = rateNames(FINALITY_CHECK_TPS);
  const p50 = ctx.find(SUITE, names.p50);
  if (p50 === undefined) return void ctx.check({ name, status: 'SKIP', detail: 'not measured in this run (or no sampled transfer committed)' });
  const committed = ctx.find(SUITE, names.committed);
  const p99 = ctx.find(SUITE, names.p99);
  ctx.check({
    name,
    status: p50.value < FINALITY_TARGET_MS ? 'PASS' : 'FAIL',
    detail: `p50 ${p50.value.toFixed(0)} ms${p99 ? `, p99 ${p99.value.toFixed(0)} ms` : ''}${committed ? `, ${committed.value.toFixed(0)} tx/s committed` : ''} (submission → "committed"; generator and 4 nodes on one shared machine)`,
  });
}

function reportMemory(ctx: SuiteContext, m: MemoryResult, minutes: number): void {
  const checkName = `one node's memory flat after warm-up (RSS growth ≤ ${FLAT_MIB_PER_MINUTE} MiB/min, ${minutes} min at ${MEMORY_TPS} tx/s)`;
  const warmEnd = m.warmupEndMs;
  const after = warmEnd === undefined ? [] : m.samples.filter((s) => s.atMs >= warmEnd);
  const first = after[0];
  const last = m.samples[m.samples.length - 1];
  const load = `${m.load.accepted} transfers accepted, ${m.load.executedInWindow} applied in ${(m.load.windowMs / 60_000).toFixed(1)} min`;
  if (first === undefined || last === undefined || after.length < 3) {
    ctx.check({ name: checkName, status: 'SKIP', detail: `warm-up (≥ ${LOGGED_COMMITS} loaded commits and ${BOUNDED_TRANSACTIONS.toLocaleString('en-US')} committed transactions) did not end early enough to leave 3 samples; ${m.samples.length} samples; ${load}` });
    if (last !== undefined && ctx.enabled(MEMORY_NAMES.end)) ctx.figure({ name: MEMORY_NAMES.end, value: last.rssBytes / MIB, unit: 'MiB', note: `no warm-up end within the run; ${load}` });
    return;
  }
  const perMinute = (pick: (s: (typeof after)[number]) => number): number => leastSquaresSlope(after.map((s) => ({ x: s.atMs / 60_000, y: pick(s) / MIB })));
  const rssSlope = perMinute((s) => s.rssBytes);
  const heapSlope = perMinute((s) => s.heapUsedBytes);
  const externalSlope = perMinute((s) => s.externalBytes);
  const liveSlope = perMinute((s) => s.heapUsedBytes + s.externalBytes);
  const reservedSlope = perMinute((s) => s.heapTotalBytes);
  const peak = Math.max(...after.map((s) => s.rssBytes)) / MIB;
  const figure = (name: string, value: number, unit: string, note: string): void => void (ctx.enabled(name) && ctx.figure({ name, value, unit, note }));
  figure(MEMORY_NAMES.warm, first.rssBytes / MIB, 'MiB', `process_resident_memory_bytes of node v0 at ${(first.atMs / 1000).toFixed(0)} s (warm-up: ≥ ${LOGGED_COMMITS} loaded commits, ≥ ${BOUNDED_TRANSACTIONS.toLocaleString('en-US')} committed transactions, a fifth of the run)`);
  figure(MEMORY_NAMES.end, last.rssBytes / MIB, 'MiB', `at ${(last.atMs / 1000).toFixed(0)} s; peak after warm-up ${peak.toFixed(0)} MiB; ${load}`);
  figure(MEMORY_NAMES.slope, rssSlope, 'MiB/min', `least squares over ${after.length} samples after warm-up (every 5 s); V8 heap used ${heapSlope.toFixed(2)} MiB/min (reserved ${reservedSlope.toFixed(2)}), external ${externalSlope.toFixed(2)} MiB/min`);
  figure(MEMORY_NAMES.external, externalSlope, 'MiB/min', `nodejs_external_memory_bytes (ArrayBuffers: transaction and vertex bytes), least squares over the same samples`);
  // What the node keeps (JS objects and the buffers they hold) apart from what the process has
  // reserved: a leak shows in both; heap reservation and allocator growth only in the RSS.
  ctx.check({
    name: `one node's live memory (V8 heap used + external buffers) flat after warm-up (growth ≤ ${FLAT_MIB_PER_MINUTE} MiB/min, ${minutes} min at ${MEMORY_TPS} tx/s)`,
    status: liveSlope <= FLAT_MIB_PER_MINUTE ? 'PASS' : 'FAIL',
    detail: `${liveSlope.toFixed(2)} MiB/min after warm-up (heap ${heapSlope.toFixed(2)}, external ${externalSlope.toFixed(2)}); ${after.length} samples`,
  });
  ctx.check({ name: checkName, status: rssSlope <= FLAT_MIB_PER_MINUTE ? 'PASS' : 'FAIL', detail: `${rssSlope.toFixed(2)} MiB/min after warm-up (${(first.rssBytes / MIB).toFixed(0)} → ${(last.rssBytes / MIB).toFixed(0)} MiB); heap used ${heapSlope.toFixed(2)} MiB/min (reserved ${reservedSlope.toFixed(2)}), external ${externalSlope.toFixed(2)} MiB/min` });
}

async function runRates(ctx: SuiteContext, source: TransferSource, clients: readonly ApiClient[], ceiling: VerifyCeiling, userAddresses: readonly string[]): Promise<void> {
  const rateWindowMs = windowMs(ctx.quick);
  for (const tps of OFFERED_TPS) {
    if (!Object.values(rateNames(tps)).some((n) => ctx.enabled(n))) continue;
    const perUser = Math.ceil((tps * rateWindowMs) / 1000 / source.users.length);
    const started = performance.now();
    const signed = await source.topUp(perUser, (n) => n % 2_000 === 0 && progress(`signing transfers for ${tps} tx/s: ${n} signed`));
    progress(`signed ${signed} transfers in ${((performance.now() - started) / 1000).toFixed(1)} s; offering ${tps} tx/s for ${rateWindowMs / 1000} s`);
    const cpuBefore = await readNodeCpuSeconds(clients);
    const result = await runLoad(
      { label: `${tps} tx/s`, userAddresses, offeredTps: tps, durationMs: rateWindowMs, drainMs: ctx.quick ? DRAIN_MS.quick : DRAIN_MS.full, samplesPerSecond: SAMPLES_PER_SECOND, progress },
      source.users,
      clients,
    );
    const cpu = cpuPerTransfer(cpuBefore, await readNodeCpuSeconds(clients), result.executedInWindow + result.executedInDrain);
    reportRate(ctx, result, cpu, ceiling);
  }
  finalityCheck(ctx);
}

registerSuite({
  name: SUITE,
  description: `${VALIDATORS} validators as real processes on loopback: committed TPS and finality at offered rates, one node's memory under load`,
  async run(ctx) {
    const wantsRates = OFFERED_TPS.some((tps) => Object.values(rateNames(tps)).some((n) => ctx.enabled(n)));
    const minutes = memoryMinutes(ctx.quick);
    const wantsMemory = minutes > 0 && Object.values(MEMORY_NAMES).some((n) => ctx.enabled(n));
    if (!wantsRates && !wantsMemory) return;
    const ceiling = wantsRates ? await verifyCeiling(ctx, ctx.quick ? CEILING_RUN_MS.quick : CEILING_RUN_MS.full) : undefined;
    if (ceiling?.measuredHere === true && ctx.enabled(`verify ceiling: ${ceiling.label}`)) {
      ctx.figure({ name: `verify ceiling: ${ceiling.label}`, value: ceiling.verifiesPerSecond, unit: 'verifies/s', note: ceiling.source });
    }
    const env = { KALDRIX_CONSENSUS_MAX_LOGGED_COMMITS: String(LOGGED_COMMITS), KALDRIX_API_TX_INDEX_ENTRIES: String(BOUNDED_TRANSACTIONS) };
    const net = await startBenchDevnet({ validators: VALIDATORS, users: USERS, env, progress });
    const clients = net.manifest.nodes.map((n) => createApiClient(n.apiUrl, { submitSockets: 64, lookupSockets: 8, timeoutMs: 10_000 }));
    try {
      const source = await createTransferSource(net.manifest);
      const userAddresses = net.manifest.users.map((u) => u.address);
      if (ceiling !== undefined) await runRates(ctx, source, clients, ceiling, userAddresses);
      if (wantsMemory) reportMemory(ctx, await runMemory({ minutes, userAddresses, offeredTps: MEMORY_TPS, loggedCommits: LOGGED_COMMITS, boundedTransactions: BOUNDED_TRANSACTIONS, progress }, source, clients), minutes);
      const exits = net.devnet.unexpectedExits();
      if (exits.size > 0) throw new Error(`devnet bench: nodes exited during the run: ${[...exits].map(([n, c]) => `${n} (${c})`).join(', ')}\n${net.recentLines().slice(-20).join('\n')}`);
    } finally {
      for (const c of clients) c.close();
      progress('devnet: stopping');
      await net.stop();
      progress('devnet: stopped, no node process left');
    }
  },
});
