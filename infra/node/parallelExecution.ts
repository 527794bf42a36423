/**
 * Parallel block execution on worker threads: the Node shell around core/state/parallel.ts.
 * `createParallelExecutor({ workers })` returns an `executeBlock` whose result is IDENTICAL to
 * core `executeBlock` (same receipts, same ledger, same state root; tested).
 *
 * DESIGN.md §2 Ledger ("non-conflicting transactions may execute in parallel; the result must
 * be identical to sequential execution"). Per block, on the main thread: `planGroups`, deal the
 * groups to the workers (largest first onto the least-loaded worker, by transaction count), and
 * send each worker its groups with their READ SET — the start ledger's entries at the keys those
 * groups can read (core/state/groupInput.ts), packed in one moved buffer. Each worker runs
 * `executeGroup` on a read-set view and returns the groups' results (the main thread may execute
 * one hand itself meanwhile: `mainThreadHand`). Then the main thread runs
 * `mergeGroups`: one tree batch, the state root.
 *
 * Why read sets and not a full ledger copy per worker: a copy must follow every block, and
 * following means either rehashing the tree in every worker (as dear as the root itself, on a
 * machine with as many cores as workers) or an unauthenticated mirror kept in step by hand; and
 * `executeBlock(ledger, …)` may be called on ANY ledger (a fork, a replay, an older checkpoint),
 * which a read set serves as is. A read set costs the main thread one `tree.get` per touched key.
 *
 * Caveats:
 * - Groups that need a signature verdict run on the main thread with the caller's
 *   `ctx.verifyItem` (evidence always; every group when `ctx.txSignatures` is `'verify'`), so
 *   the caller's verifier and cache decide exactly as in core `executeBlock`.
 * - Amdahl: the merge (account-leaf encoding, the tree batch and its hashing) stays on the main
 *   thread and is about half of a sequential block; no number of workers removes it.
 * - A worker that fails or dies is retired and its groups run in-line: the result is the same,
 *   only slower. Threads are `unref`ed while idle, so a forgotten `close()` never keeps the
 *   process alive.
 */
import { availableParallelism } from 'node:os';
import { startWorker } from './tsWorker.ts';
import { executeBlock as executeBlockInline, MAX_BLOCK_TXS } from '../../core/state/execute.ts';
import type { BlockResult, ExecutionContext, GroupResult, IndexedTx } from '../../core/state/executeTypes.ts';
import { readSetOf } from '../../core/state/groupInput.ts';
import type { Ledger } from '../../core/state/ledger.ts';
import { executeGroup, mergeGroups, planGroups } from '../../core/state/parallel.ts';
import type { SignedTx } from '../../core/state/types.ts';
import { isExecuteWorkerMessage, packReads, type ExecuteRequest } from './_executeProtocol.ts';

export type ParallelExecutorOptions = {
  /** Worker threads. Default: `os.availableParallelism()`. 0 runs every block in-line. */
  readonly workers?: number;
  /**
   * Blocks with fewer transactions run in-line: a round trip to the workers costs more than
   * executing them. Default 64 (≈ 5 ms of sequential execution here, against a round trip of
   * about a millisecond).
   */
  readonly minParallelTxs?: number;
  /**
   * Whether the main thread executes a share of the groups itself (one hand, like a worker,
   * with no cloning) while the workers run, instead of idling. Default false: with one worker
   * per core (the default) it would put three busy threads on two cores; worth it with
   * `workers` = cores − 1.
   */
  readonly mainThreadHand?: boolean;
};

/** Where the main thread's time went, cumulative over every block executed on the workers. */
export type ParallelExecutorStats = {
  readonly blocks: number;
  /** Blocks that went to the workers (the rest ran in-line: small, or 'verify' mode). */
  readonly parallelBlocks: number;
  /** Planning, dealing, reading the read sets, posting (main thread, before the workers run). */
  readonly prepareMs: number;
  /** Executing the main thread's own groups and waiting for the workers. */
  readonly waitMs: number;
  /** `mergeGroups`: one tree batch and the state root (main thread, after the workers). */
  readonly mergeMs: number;
  /** Worker requests that failed and were executed in-line instead. */
  readonly fallbacks: number;
};

export type ParallelExecutor = {
  readonly workers: number;
  /** Same contract and result as core `executeBlock`. */
  executeBlock(ledger: Ledger, txs: readonly SignedTx[], ctx: ExecutionContext): Promise<BlockResult>;
  stats(): ParallelExecutorStats;
  /** Stops the threads; `executeBlock` afterwards throws. */
  close(): Promise<void>;
};

const DEFAULT_MIN_PARALLEL_TXS = 64;
const WORKER_FILE = new URL(import.meta.url.endsWith('.ts') ? './execute.worker.ts' : './execute.worker.js', import.meta.url);

type Pending = { readonly resolve: (results: readonly GroupResult[]) => void; readonly reject: (cause: Error) => void };

/** One execute worker thread with its outstanding requests. */
type ExecuteThread = {
  readonly alive: () => boolean;
  readonly request: (request: Omit<ExecuteRequest, 'id'>) => Promise<readonly GroupResult[]>;
  readonly terminate: () => Promise<unknown>;
};

function spawnExecuteThread(index: number): ExecuteThread {
  const thread = startWorker(WORKER_FILE, { name: `kaldrix-execute-${index}` });
  thread.unref();
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let dead: string | undefined;
  const settle = (id: number): Pending | undefined => {
    const entry = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) thread.unref();
    return entry;
  };
  const die = (reason: string): void => {
    if (dead !== undefined) return;
    dead = reason;
    for (const id of [...pending.keys()]) settle(id)?.reject(new Error(`execute worker ${index}: ${reason}`));
  };
  thread.on('message', (raw: unknown) => {
    if (!isExecuteWorkerMessage(raw)) return die('sent a malformed message');
    const entry = settle(raw.id);
    if (raw.type === 'executed') entry?.resolve(raw.results);
    else entry?.reject(new Error(`execute worker ${index}: ${raw.reason}`));
  });
  thread.on('messageerror', (error) => die(`message could not be deserialised: ${error.message}`));
  thread.on('error', (error) => die(`uncaught ${error.name}: ${error.message}`));
  thread.on('exit', (code) => die(`thread exited with code ${code}`));
  return {
    alive: () => dead === undefined,
    request: (body) =>
      new Promise((resolve, reject) => {
        if (dead !== undefined) return reject(new Error(`execute worker ${index}: ${dead}`));
        const id = nextId++;
        if (pending.size === 0) thread.ref();
        pending.set(id, { resolve, reject });
        thread.postMessage({ ...body, id } satisfies ExecuteRequest, [body.packedReads]);
      }),
    terminate: () => {
      die('terminated');
      // An unref'ed idle thread would let the process exit (code 13) with terminate() pending.
      thread.ref();
      return thread.terminate();
    },
  };
}

/** Block positions dealt to `count` workers: largest group first onto the least-loaded one. */
export function dealGroups(groups: readonly (readonly number[])[], count: number): readonly (readonly (readonly number[])[])[] {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('dealGroups: count must be a positive integer');
  const hands: (readonly number[])[][] = Array.from({ length: count }, () => []);
  const loads = new Array<number>(count).fill(0);
  const bySize = [...groups].sort((a, b) => b.length - a.length || (a[0] ?? 0) - (b[0] ?? 0));
  for (const group of bySize) {
    let least = 0;
    for (let i = 1; i < count; i++) if ((loads[i] as number) < (loads[least] as number)) least = i;
    hands[least]?.push(group);
    loads[least] = (loads[least] as number) + group.length;
  }
  // Plan order within each hand: deterministic requests whatever the sort's tie-breaking.
  return hands.map((hand) => hand.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)));
}

const needsVerdicts = (ctx: ExecutionContext, group: readonly IndexedTx[]): boolean =>
  ctx.txSignatures === 'verify' || group.some(({ signedTx }) => signedTx.tx.body.kind === 'evidence');

/** A parallel executor over `options.workers` threads (see the module comment). */
export function createParallelExecutor(options: ParallelExecutorOptions = {}): ParallelExecutor {
  const { workers = availableParallelism(), minParallelTxs = DEFAULT_MIN_PARALLEL_TXS, mainThreadHand = false } = options;
  if (!Number.isSafeInteger(workers) || workers < 0) throw new RangeError('options.workers must be a non-negative integer');
  if (!Number.isSafeInteger(minParallelTxs) || minParallelTxs < 1) throw new RangeError('options.minParallelTxs must be a positive integer');
  const threads = Array.from({ length: workers }, (_, i) => spawnExecuteThread(i));
  let closed = false;
  const stats = { blocks: 0, parallelBlocks: 0, prepareMs: 0, waitMs: 0, mergeMs: 0, fallbacks: 0 };

  /** Executes `hand` on `thread`, or in-line when the thread fails (same result, see the caveats). */
  const runHand = (thread: ExecuteThread, ledger: Ledger, hand: readonly IndexedTx[][], ctx: ExecutionContext): Promise<readonly GroupResult[]> => {
    const reads = readSetOf(ledger, hand.flat().map((t) => t.signedTx));
    const body = { type: 'execute', params: ctx.params, epoch: reads.epoch, feePool: reads.feePool, burned: reads.burned, groups: hand, packedReads: packReads(reads.entries) } as const;
    return thread.request(body).then(
      (results) => {
        if (results.length !== hand.length) throw new Error('parallel executor: a worker answered for another number of groups');
        // A structured clone arrives unfrozen; core's results are frozen values, and so are ours.
        return results.map(deepFreeze);
      },
      () => {
        stats.fallbacks++;
        void thread.terminate();
        return hand.map((group) => executeGroup(ledger, group, ctx));
      },
    );
  };

  const executeBlock = async (ledger: Ledger, txs: readonly SignedTx[], ctx: ExecutionContext): Promise<BlockResult> => {
    if (closed) throw new Error('parallel executor: closed');
    if (txs.length > MAX_BLOCK_TXS) throw new RangeError(`executeBlock: more than ${MAX_BLOCK_TXS} transactions`);
    stats.blocks++;
    const live = threads.filter((t) => t.alive());
    if (live.length === 0 || txs.length < minParallelTxs || ctx.txSignatures === 'verify') return executeBlockInline(ledger, txs, ctx);
    stats.parallelBlocks++;
    const started = performance.now();
    const plan = planGroups(txs).map((indices) => indices.map((index): IndexedTx => ({ index, signedTx: txs[index] as SignedTx })));
    const inline = plan.filter((group) => needsVerdicts(ctx, group));
    const dealt = dealGroups(plan.filter((group) => !needsVerdicts(ctx, group)).map((group) => group.map((t) => t.index)), live.length + (mainThreadHand ? 1 : 0));
    const hands = dealt.map((hand) => hand.map((indices) => indices.map((index): IndexedTx => ({ index, signedTx: txs[index] as SignedTx }))));
    // The last hand (when `mainThreadHand`) stays here: it joins the groups that need verdicts.
    if (mainThreadHand) inline.push(...(hands.pop() ?? []));
    const answers = hands.flatMap((hand, i) => (hand.length === 0 ? [] : [runHand(live[i] as ExecuteThread, ledger, hand, ctx)]));
    const waitStart = performance.now();
    stats.prepareMs += waitStart - started;
    const results = [...inline.map((group) => executeGroup(ledger, group, ctx)), ...(await Promise.all(answers)).flat()];
    const mergeStart = performance.now();
    stats.waitMs += mergeStart - waitStart;
    // Plan order (by first position): mergeGroups then sees exactly what the in-line path gives it.
    results.sort((a, b) => (a.indices[0] ?? 0) - (b.indices[0] ?? 0));
    const merged = mergeGroups(ledger, txs.length, results);
    stats.mergeMs += performance.now() - mergeStart;
    return merged;
  };

  return Object.freeze({
    workers,
    executeBlock,
    stats: () => Object.freeze({ ...stats }),
    close: async () => {
      closed = true;
      await Promise.all(threads.map((t) => t.terminate()));
    },
  });
}

/** Freezes plain objects and arrays all the way down (typed arrays cannot be frozen; left as they are). */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

