/**
 * The ledger (core/state): mempool admission with real signature verification, block execution
 * (sequential, and the grouped plan → execute → merge path), the state commitment's share of
 * execution, and decoding with stateless validation (DESIGN.md §2 Ledger, §4).
 *
 * Every figure is also given as a ratio to the machine's signature-verify ceiling measured in
 * this same suite (see _ledgerAdmission.ts): a ratio above 1 means that stage outruns the
 * verification every transaction needs, so verification, not that stage, bounds throughput.
 *
 * Execution runs on a genesis ledger of 10,000 funded accounts, in blocks of 1,000 transfers
 * between random accounts (seeded), with 'pre-verified' signatures (the mempool verified them).
 * Each call executes a block on the same genesis ledger (ledgers are immutable values), cycling
 * over a few distinct blocks. The one-thread grouped path runs its groups one after another: it
 * shows the cost of planning and merging. The worker-thread path (infra/node/parallelExecution.ts,
 * one worker per core) runs the same groups on worker threads and merges on the main thread;
 * its main-thread time is split into prepare / wait / merge from the executor's own counters,
 * since the merge (one tree batch and the root) cannot be parallelised and bounds the speed-up.
 * Workloads: _ledgerWorkload.ts.
 */
import { availableParallelism } from 'node:os';
import { createNobleBackend, toHex } from '../../core/crypto/index.ts';
import { executeBlock, verifyItemWith } from '../../core/state/execute.ts';
import type { ExecutionContext } from '../../core/state/executeTypes.ts';
import { commitLedger, ledgerFromGenesis, stateRoot, type Ledger, type LedgerChanges } from '../../core/state/ledger.ts';
import { executeBlockInGroups, executeGroup, planGroups } from '../../core/state/parallel.ts';
import { decodeSignedTx } from '../../core/state/txDecode.ts';
import { encodeSignedTx } from '../../core/state/txCodec.ts';
import type { SignedTx } from '../../core/state/types.ts';
import type { Measurement } from '../_harness.ts';
import { createParallelExecutor, type ParallelExecutor, type ParallelExecutorStats } from '../../infra/node/parallelExecution.ts';
import { registerSuite, type Figure, type SuiteContext } from '../_registry.ts';
import { admissionFigures, admissionName } from './_ledgerAdmission.ts';
import { benchGenesis, benchParams, keyedAddressOf, realSenders, signedTransfers, standInAccounts, transferBlock, type KeyedAddress } from './_ledgerWorkload.ts';

const SUITE = 'ledger';
/**
 * DESIGN.md §4: the full pipeline must commit at least 0.8× the verify ceiling; a stage below
 * that bound caps the pipeline below it, whatever the other stages do.
 */
const PIPELINE_TARGET = 0.8;

/** Workload sizes: the full run stays within about a minute on 2 cores, the quick one far below. */
const SIZES = {
  full: { accounts: 10_000, senders: 48, perSender: 42, blocks: 4 },
  quick: { accounts: 10_000, senders: 32, perSender: 32, blocks: 2 },
} as const;
/** Transfers per executed block. */
const BLOCK_TXS = 1_000;
/** Warm-up transactions per sender (distinct statements from the timed set). */
const WARM_UP_PER_SENDER = 2;

const WORKERS = availableParallelism();

const NAMES = {
  parallel: `execution, ${WORKERS} worker threads (grouped)`,
  mergeShare: `execution, ${WORKERS} worker threads: main-thread merge share`,
  sequential: `executeBlock, sequential (${BLOCK_TXS.toLocaleString('en-US')} transfers/block)`,
  grouped: 'grouped execution, one thread (planGroups + executeGroup + mergeGroups)',
  commit: 'state commit of a block (commitLedger + root)',
  commitShare: 'state commit share of executeBlock',
  plan: 'planGroups',
  decode: 'decodeSignedTx (canonical decode + stateless validation)',
} as const;

type Workload = {
  readonly ledger: Ledger;
  readonly accounts: readonly KeyedAddress[];
  readonly signed: readonly SignedTx[];
  readonly warmUp: readonly SignedTx[];
};

async function buildWorkload(ctx: SuiteContext): Promise<Workload> {
  const size = ctx.quick ? SIZES.quick : SIZES.full;
  const started = performance.now();
  const senders = realSenders(size.senders);
  const accounts = standInAccounts(size.accounts, 'bench-ledger-account');
  const ledger = ledgerFromGenesis(benchGenesis([...accounts, ...senders.map(keyedAddressOf)]));
  const signed = await signedTransfers(senders, size.perSender, accounts, 0n);
  const warmUp = await signedTransfers(senders, WARM_UP_PER_SENDER, accounts, 1_000_000n);
  ctx.log(`  (workload: ${accounts.length + senders.length} accounts, ${signed.length + warmUp.length} signed transfers, built in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return { ledger, accounts, signed, warmUp };
}

/** The changes `executeBlock` would commit for `txs`, computed once so the commit can be timed alone. */
function blockChanges(ledger: Ledger, txs: readonly SignedTx[], exec: ExecutionContext): LedgerChanges {
  const group = executeGroup(ledger, txs.map((signedTx, index) => ({ index, signedTx })), exec);
  return {
    accounts: group.accounts,
    slashedSlots: group.slashedSlots,
    epoch: ledger.epoch,
    feePool: ledger.feePool + group.feesCollected,
    burned: ledger.burned + group.burned,
  };
}

/** A call that runs `op` on the next block of `blocks` each time. */
function cycling<T>(blocks: readonly T[], op: (block: T) => unknown): () => unknown {
  let next = 0;
  return () => op(blocks[next++ % blocks.length] as T);
}

function executionFigures(ctx: SuiteContext, work: Workload, ceiling: Figure): Promise<void> | undefined {
  if (!Object.values(NAMES).some((name) => name !== NAMES.decode && ctx.enabled(name))) return undefined;
  const exec: ExecutionContext = Object.freeze({ params: benchParams, txSignatures: 'pre-verified', verifyItem: verifyItemWith(createNobleBackend()) });
  const size = ctx.quick ? SIZES.quick : SIZES.full;
  const blocks = Array.from({ length: size.blocks }, (_, i) => transferBlock(work.accounts, BLOCK_TXS, i + 1));
  // Checked once: every transfer applies, and both paths reach the same state root.
  for (const block of blocks) {
    const sequential = executeBlock(work.ledger, block, exec);
    const grouped = executeBlockInGroups(work.ledger, block, exec);
    if (!sequential.receipts.every((r) => r.status === 'applied')) throw new Error('ledger bench: a workload transfer was rejected');
    if (toHex(sequential.stateRoot) !== toHex(grouped.stateRoot)) throw new Error('ledger bench: grouped execution reached another root');
  }
  const changes = blocks.map((block) => blockChanges(work.ledger, block, exec));
  const groupCounts = blocks.map((block) => planGroups(block).length);
  return withExecutor(async (executor) => {
    for (const block of blocks) {
      const parallel = await executor.executeBlock(work.ledger, block, exec);
      if (toHex(parallel.stateRoot) !== toHex(executeBlock(work.ledger, block, exec).stateRoot)) throw new Error('ledger bench: worker execution reached another root');
    }
    await measureExecution(ctx, { ledger: work.ledger, blocks, changes, exec, ceiling, groupCounts, executor });
  });
}

/** Runs `use` with a parallel executor of one worker per core, closed afterwards. */
async function withExecutor(use: (executor: ParallelExecutor) => Promise<void>): Promise<void> {
  const executor = createParallelExecutor({ workers: WORKERS });
  try {
    await use(executor);
  } finally {
    await executor.close();
  }
}

type ExecutionRun = {
  readonly ledger: Ledger;
  readonly blocks: readonly SignedTx[][];
  readonly changes: readonly LedgerChanges[];
  readonly exec: ExecutionContext;
  readonly ceiling: Figure;
  readonly groupCounts: readonly number[];
  readonly executor: ParallelExecutor;
};

async function measureExecution(ctx: SuiteContext, run: ExecutionRun): Promise<void> {
  const { ledger, blocks, changes, exec, ceiling, groupCounts, executor } = run;
  const ops = [
    cycling(blocks, (block) => executeBlock(ledger, block, exec)),
    cycling(blocks, (block) => executeBlockInGroups(ledger, block, exec)),
    cycling(changes, (change) => stateRoot(commitLedger(ledger, change))),
    cycling(blocks, (block) => planGroups(block)),
    cycling(blocks, (block) => executor.executeBlock(ledger, block, exec)),
  ];
  const before = executor.stats();
  const [sequential, grouped, commit, plan, parallel] = (await ctx.measureInterleaved(ops, { itemsPerCall: BLOCK_TXS })) as [Measurement, Measurement, Measurement, Measurement, Measurement];
  const split = statsSince(before, executor.stats());
  const ratio = (m: Measurement): NonNullable<Figure['ratio']> => ({ value: m.opsPerSecond / ceiling.value, to: 'verify ceiling' });
  const accounts = `${ledger.tree.size.toLocaleString('en-US')} funded accounts`;
  const blockMs = (m: Measurement): string => `${((m.microsPerOp * BLOCK_TXS) / 1000).toFixed(1)} ms/block`;
  const meanGroups = Math.round(groupCounts.reduce((a, b) => a + b, 0) / groupCounts.length);
  const figure = (name: string, m: Measurement, note: string): void => {
    if (ctx.enabled(name)) ctx.figure({ name, value: m.opsPerSecond, unit: 'transfers/s', ratio: ratio(m), note });
  };
  figure(NAMES.sequential, sequential, `'pre-verified' signatures; ${accounts}; random sender and recipient; ${blockMs(sequential)}`);
  figure(
    NAMES.grouped,
    grouped,
    `${meanGroups} conflict-free groups per block, run one after another in this thread (the grouping overhead; the worker-thread figure is the parallel one); ${(grouped.opsPerSecond / sequential.opsPerSecond).toFixed(2)}× sequential; ${blockMs(grouped)}`,
  );
  const commitShare = sequential.opsPerSecond / commit.opsPerSecond;
  // Amdahl with the commit serial and everything else spread perfectly over the workers.
  const amdahlBound = 1 / (commitShare + (1 - commitShare) / WORKERS);
  figure(
    NAMES.parallel,
    parallel,
    `${(parallel.opsPerSecond / sequential.opsPerSecond).toFixed(2)}× sequential (Amdahl bound with the commit serial: ${amdahlBound.toFixed(2)}×); ` +
      `groups dealt by size, read sets shipped, mergeGroups on the main thread; ${blockMs(parallel)} = ${split.prepareMs.toFixed(1)} prepare + ${split.waitMs.toFixed(1)} waiting for workers + ${split.mergeMs.toFixed(1)} merge/root (main thread, per block)`,
  );
  if (ctx.enabled(NAMES.mergeShare)) {
    const total = split.prepareMs + split.waitMs + split.mergeMs;
    ctx.figure({
      name: NAMES.mergeShare,
      value: (100 * split.mergeMs) / total,
      unit: '% of block time',
      note: `mergeGroups (one tree batch + root) on the main thread / worker-path block time; prepare (plan, read sets, posting) ${((100 * split.prepareMs) / total).toFixed(0)}%, workers ${((100 * split.waitMs) / total).toFixed(0)}%${split.mergeMs > split.waitMs ? '; the serial merge dominates: more workers cannot help until the root is cheaper' : ''}`,
    });
  }
  figure(NAMES.commit, commit, `one tree batch of the block's ~${2 * BLOCK_TXS} account writes + 3 ledger entries, root included; ${blockMs(commit)}`);
  figure(NAMES.plan, plan, 'union-find over touched accounts');
  if (ctx.enabled(NAMES.commitShare)) {
    ctx.figure({ name: NAMES.commitShare, value: (100 * sequential.opsPerSecond) / commit.opsPerSecond, unit: '% of block time', note: 'state commit time / executeBlock time, same interleaved runs; the rest is per-transaction execution' });
  }
}

/** Mean main-thread milliseconds per parallel block between two stats snapshots. */
function statsSince(before: ParallelExecutorStats, after: ParallelExecutorStats): { prepareMs: number; waitMs: number; mergeMs: number } {
  const blocks = after.parallelBlocks - before.parallelBlocks;
  if (blocks <= 0 || after.fallbacks !== before.fallbacks) throw new Error('ledger bench: worker execution fell back to in-line execution');
  return { prepareMs: (after.prepareMs - before.prepareMs) / blocks, waitMs: (after.waitMs - before.waitMs) / blocks, mergeMs: (after.mergeMs - before.mergeMs) / blocks };
}

async function decodeFigure(ctx: SuiteContext, signed: readonly SignedTx[], ceiling: Figure): Promise<void> {
  if (!ctx.enabled(NAMES.decode)) return;
  const encoded = signed.map(encodeSignedTx);
  const m = await ctx.measure(
    cycling(encoded, (bytes) => {
      if (!decodeSignedTx(bytes, benchParams).ok) throw new Error('ledger bench: a workload transaction does not decode');
    }),
  );
  ctx.figure({
    name: NAMES.decode,
    value: m.opsPerSecond,
    unit: 'tx/s',
    ratio: { value: m.opsPerSecond / ceiling.value, to: 'verify ceiling' },
    note: `ML-DSA-44 transfers of ${encoded[0]?.length ?? 0} B; ${m.microsPerOp.toFixed(1)} µs/tx`,
  });
}

/** Each ledger stage on the pipeline's path against the §4 bound (a stage's check, not the pipeline's). */
function stageChecks(ctx: SuiteContext): void {
  const stages = [
    ['mempool admission', admissionName(availableParallelism())],
    ['sequential execution', NAMES.sequential],
    [`execution on ${WORKERS} worker threads`, NAMES.parallel],
  ] as const;
  for (const [label, figureName] of stages) {
    const name = `ledger stage: ${label} ≥ ${PIPELINE_TARGET}× verify ceiling`;
    const found = ctx.find(SUITE, figureName);
    if (found?.ratio === undefined) ctx.check({ name, status: 'SKIP', detail: 'not measured in this run' });
    else {
      const detail = `${found.ratio.value.toFixed(2)}× (${Math.round(found.value)} ${found.unit}); the §4 pipeline target needs every stage at least this fast`;
      ctx.check({ name, status: found.ratio.value >= PIPELINE_TARGET ? 'PASS' : 'FAIL', detail });
    }
  }
}

registerSuite({
  name: SUITE,
  description: 'mempool admission (real ML-DSA-44 verification), block execution, state commit, tx decode',
  async run(ctx) {
    const anyEnabled = ['verify ceiling', 'mempool admission', ...Object.values(NAMES)].some((name) => ctx.enabled(name)) || ctx.enabled('');
    if (!anyEnabled) return;
    const work = await buildWorkload(ctx);
    const ceiling = await admissionFigures(ctx, { ledger: work.ledger, timed: work.signed, warmUp: work.warmUp });
    await executionFigures(ctx, work, ceiling);
    await decodeFigure(ctx, work.signed, ceiling);
    stageChecks(ctx);
  },
});
