/**
 * The verify pool: signature verification spread over workers, behind a cache (DESIGN.md §2
 * "Verification is the hot path"; §2 Light client "stopping as soon as a quorum of stake has
 * verified").
 *
 * Pure core: the pool never creates a thread. A shell hands it `spawn(index)`, which returns
 * a `VerifyWorkerPort` (verifyProtocol.ts) around a worker_thread (infra/node/verifyWorkers.ts)
 * or a Web Worker. With `workers: 0` it verifies in the calling thread with `fallback`.
 *
 * Flow: `verifyBatch` keys each item (verifyCache.ts), answers cache hits at once, attaches
 * duplicates of a statement already queued or in flight to that job, and queues the rest.
 * `dispatch` hands each idle worker the next batch from the queue; every worker holds at most
 * two batches so the next one is already waiting when it answers. Results resolve each item's
 * own slot, so order is preserved however batches interleave.
 *
 * Failure: a worker's death (a `fatal` message from its port) fails exactly the jobs it held
 * with `WORKER_CRASHED` and the slot is respawned (at most `maxRespawns` times in the pool's
 * life); nothing waits forever. Errors are `VerifyPoolError` with a `code`.
 */
import { createJobQueue, type Job, type JobListener } from './_verifyQueue.ts';
import { createVerifyCache, DEFAULT_VERIFY_CACHE_ENTRIES, type CacheKeyHasher, type VerifyCache, type VerifyCacheKey, type VerifyCacheStats } from './verifyCache.ts';
import { packVerifyItems, type VerifyWorkerMessage, type VerifyWorkerPort } from './verifyProtocol.ts';
import type { SignatureBackend, VerifyItem } from './types.ts';
import { checkQuorumArguments, createQuorumTally, type QuorumOutcome } from './_verifyQuorum.ts';

export type { QuorumOutcome, SignerOutcome } from './_verifyQuorum.ts';

/** Default items per worker message: amortises the message round trip (~0.1 ms here) over ~10 ms of liboqs work. */
export const DEFAULT_VERIFY_BATCH_SIZE = 64;
/** Default bound on jobs waiting for a worker (each holds references to the caller's bytes). */
export const DEFAULT_VERIFY_MAX_QUEUED = 65_536;
/** Default number of worker restarts over the pool's life before a dead slot stays dead. */
export const DEFAULT_VERIFY_MAX_RESPAWNS = 8;
/** Batches a worker holds at once: one being verified, one waiting, so it never idles on a round trip. */
const BATCHES_IN_FLIGHT_PER_WORKER = 2;
/** Batch size for quorum checks: small, so the check stops soon after the threshold is met. */
const QUORUM_BATCH_SIZE = 4;

export type VerifyPoolErrorCode = 'QUEUE_FULL' | 'WORKER_CRASHED' | 'WORKER_FAILED' | 'NO_WORKERS' | 'CLOSED';

/** Why a verification could not be answered (never "the signature is bad": that is `false`). */
export class VerifyPoolError extends Error {
  readonly code: VerifyPoolErrorCode;
  constructor(code: VerifyPoolErrorCode, message: string) {
    super(message);
    this.name = 'VerifyPoolError';
    this.code = code;
  }
}

export type VerifyPoolComponents = {
  /** Starts worker number `index` (0-based). Required when `init.workers > 0`. */
  readonly spawn?: (index: number) => VerifyWorkerPort;
  /** In-thread backend: used with `workers: 0`, and when every worker slot has died. */
  readonly fallback?: SignatureBackend;
  /** Digest for cache keys. Default: BLAKE3 (verifyCache.ts). */
  readonly cacheKeyHasher?: CacheKeyHasher;
};

export type VerifyPoolInit = {
  /** Worker count; 0 verifies in the calling thread with `components.fallback`. */
  readonly workers: number;
  /** Most items per worker message. Default 64. */
  readonly batchSize?: number;
  /** Cache bound in entries. Default 65,536; 0 disables the cache and in-flight de-duplication. */
  readonly cacheEntries?: number;
  /** Most jobs waiting for a worker; beyond it submissions fail with `QUEUE_FULL`. Default 65,536. */
  readonly maxQueued?: number;
  /** Worker restarts allowed over the pool's life. Default 8. */
  readonly maxRespawns?: number;
};

export type VerifyPoolStats = {
  /** Worker slots alive now. */
  readonly workers: number;
  /** Items a backend actually verified (cache hits and duplicates excluded). */
  readonly verified: number;
  readonly valid: number;
  readonly cacheHits: number;
  /** Items answered by a job already queued or in flight for the same statement. */
  readonly deduplicated: number;
  /** Jobs waiting for a worker (the bounded queue's depth). */
  readonly queued: number;
  readonly inFlight: number;
  /** Items verified by each worker index (respawned workers keep their index). */
  readonly perWorker: readonly number[];
  /** Items verified in the calling thread by the fallback backend. */
  readonly inThread: number;
  readonly respawns: number;
  readonly cache: VerifyCacheStats | undefined;
};

export interface VerifyPool {
  readonly workers: number;
  verify(item: VerifyItem): Promise<boolean>;
  /** One boolean per item, in order. Rejects as a whole with `VerifyPoolError`. */
  verifyBatch(items: readonly VerifyItem[]): Promise<boolean[]>;
  /**
   * Verifies until the valid items' weights reach `threshold` (or can no longer reach it),
   * then withdraws the rest. Put the items the caller expects to be valid first.
   */
  verifyUntilQuorum<W extends number | bigint>(items: readonly VerifyItem[], weights: readonly W[], threshold: W): Promise<QuorumOutcome<W>>;
  stats(): VerifyPoolStats;
  /** Fails everything pending with `CLOSED` and terminates the workers. Idempotent. */
  close(): Promise<void>;
}

type Slot = {
  readonly index: number;
  readonly port: VerifyWorkerPort;
  readonly inFlight: Map<number, Job[]>;
  alive: boolean;
};

export function createVerifyPool(components: VerifyPoolComponents, init: VerifyPoolInit): VerifyPool {
  const settings = checkInit(components, init);
  const cache: VerifyCache | undefined =
    settings.cacheEntries > 0
      ? createVerifyCache(components.cacheKeyHasher ? { hasher: components.cacheKeyHasher } : {}, { entries: settings.cacheEntries })
      : undefined;
  const queue = createJobQueue();
  const perWorker = new Array<number>(init.workers).fill(0);
  const counters = { verified: 0, valid: 0, cacheHits: 0, deduplicated: 0, inThread: 0, respawns: 0 };
  let nextRequestId = 1;
  let closed = false;
  let draining = false;

  const complete = (job: Job, isValid: boolean): void => {
    counters.verified++;
    if (isValid) {
      counters.valid++;
      if (cache !== undefined && job.key !== undefined) cache.rememberValid(job.key);
    }
    queue.settle(job, isValid);
  };

  const startSlot = (index: number): Slot => {
    const port = (components.spawn as (index: number) => VerifyWorkerPort)(index);
    const slot: Slot = { index, port, inFlight: new Map(), alive: true };
    port.onMessage((message) => {
      if (slots[index] === slot && slot.alive) onWorkerMessage(slot, message);
    });
    return slot;
  };

  const onWorkerMessage = (slot: Slot, message: VerifyWorkerMessage): void => {
    if (message.type === 'fatal') return crash(slot, message.reason);
    const jobs = slot.inFlight.get(message.id);
    if (jobs === undefined) return crash(slot, `answered unknown request ${message.id}`);
    slot.inFlight.delete(message.id);
    if (message.type === 'failed') {
      const error = new VerifyPoolError('WORKER_FAILED', `verify worker ${slot.index} failed a batch: ${message.reason}`);
      for (const job of jobs) queue.settle(job, error);
    } else {
      if (message.valid.length !== jobs.length) return crash(slot, `answered ${message.valid.length} results for ${jobs.length} items`);
      jobs.forEach((job, i) => complete(job, message.valid[i] === 1));
      perWorker[slot.index] = (perWorker[slot.index] ?? 0) + jobs.length;
    }
    dispatch();
  };

  const crash = (slot: Slot, reason: string): void => {
    slot.alive = false;
    const error = new VerifyPoolError('WORKER_CRASHED', `verify worker ${slot.index} died: ${reason}`);
    const lost = [...slot.inFlight.values()].flat();
    slot.inFlight.clear();
    void stopPort(slot.port);
    if (!closed && counters.respawns < settings.maxRespawns) {
      counters.respawns++;
      try {
        slots[slot.index] = startSlot(slot.index);
      } catch {
        // The slot stays dead; dispatch routes to the other workers or the fallback.
      }
    }
    for (const job of lost) queue.settle(job, error);
    dispatch();
  };

  const slots: Slot[] = [];
  try {
    for (let i = 0; i < init.workers; i++) slots.push(startSlot(i));
  } catch (cause) {
    for (const slot of slots) void stopPort(slot.port);
    throw cause;
  }

  const dispatch = (): void => {
    if (closed || draining) return;
    const live = slots.filter((s) => s.alive);
    if (live.length === 0) return drainWithoutWorkers();
    // Share a short queue evenly instead of handing it all to the first worker.
    const perBatch = Math.min(settings.batchSize, Math.ceil(queue.queued() / live.length));
    while (queue.queued() > 0) {
      const slot = idlest(live);
      if (!slot.alive || slot.inFlight.size >= BATCHES_IN_FLIGHT_PER_WORKER) return;
      const batch = queue.takeBatch(perBatch);
      if (batch.length === 0) return;
      send(slot, batch);
    }
  };

  const send = (slot: Slot, batch: Job[]): void => {
    const id = nextRequestId++;
    const packed = packVerifyItems(batch.map((job) => job.item));
    slot.inFlight.set(id, batch);
    try {
      slot.port.postMessage({ type: 'verify', id, schemes: batch.map((job) => job.item.scheme), packed }, [packed]);
    } catch (cause) {
      crash(slot, `postMessage threw: ${String(cause)}`);
    }
  };

  /** No live worker: verify in this thread if a fallback exists, else fail what waits. */
  const drainWithoutWorkers = (): void => {
    const fallback = components.fallback;
    draining = true;
    try {
      for (let batch = queue.takeBatch(settings.batchSize); batch.length > 0; batch = queue.takeBatch(settings.batchSize)) {
        for (const job of batch) {
          if (fallback === undefined) {
            queue.settle(job, new VerifyPoolError('NO_WORKERS', 'every verify worker has died and no fallback backend is configured'));
            continue;
          }
          const { scheme, publicKey, message, signature, context } = job.item;
          const isValid = fallback.supports(scheme) && fallback.verify(scheme, publicKey, message, signature, context);
          counters.inThread++;
          complete(job, isValid);
        }
      }
    } finally {
      draining = false;
    }
  };

  /** Queues `items`; returns the withdrawal of every listener it attached. Throws VerifyPoolError. */
  const submit = (items: readonly VerifyItem[], batchLimit: number, listenerFor: (i: number) => JobListener): Array<() => void> => {
    if (closed) throw new VerifyPoolError('CLOSED', 'the verify pool is closed');
    items.forEach(checkItem);
    const keys = items.map((item) => cache?.keyOf(item));
    const known = keys.map((key) => key !== undefined && (cache as VerifyCache).isKnownValid(key));
    if (queue.queued() + countFreshJobs(keys, known) > settings.maxQueued) {
      throw new VerifyPoolError('QUEUE_FULL', `verify queue holds ${queue.queued()} jobs; at most ${settings.maxQueued} may wait`);
    }
    const withdrawals: Array<() => void> = [];
    items.forEach((item, i) => {
      const key = keys[i];
      if (known[i] === true) {
        counters.cacheHits++;
        listenerFor(i)(true);
        return;
      }
      let job = key === undefined ? undefined : queue.pending(key);
      if (job !== undefined) counters.deduplicated++;
      else job = queue.enqueue(item, key, batchLimit);
      withdrawals.push(queue.listen(job, listenerFor(i)));
    });
    return withdrawals;
  };

  const countFreshJobs = (keys: ReadonlyArray<VerifyCacheKey | undefined>, known: readonly boolean[]): number => {
    const seen = new Set<VerifyCacheKey>();
    let fresh = 0;
    keys.forEach((key, i) => {
      if (key === undefined) fresh++;
      else if (known[i] !== true && queue.pending(key) === undefined && !seen.has(key)) {
        seen.add(key);
        fresh++;
      }
    });
    return fresh;
  };

  const verifyBatch = (items: readonly VerifyItem[]): Promise<boolean[]> =>
    new Promise<boolean[]>((resolve, reject) => {
      const results = new Array<boolean>(items.length).fill(false);
      let remaining = items.length;
      let failed = false;
      let withdrawals: Array<() => void> = [];
      const listenerFor = (i: number): JobListener => (outcome) => {
        if (failed) return;
        if (outcome instanceof Error) {
          failed = true;
          for (const withdraw of withdrawals) withdraw();
          return reject(outcome);
        }
        results[i] = outcome;
        if (--remaining === 0) resolve(results);
      };
      withdrawals = submit(items, settings.batchSize, listenerFor);
      if (items.length === 0) resolve(results);
      dispatch();
    });

  const verifyUntilQuorum = <W extends number | bigint>(items: readonly VerifyItem[], weights: readonly W[], threshold: W): Promise<QuorumOutcome<W>> => {
    return new Promise<QuorumOutcome<W>>((resolve, reject) => {
      checkQuorumArguments(items, weights, threshold);
      let withdrawals: Array<() => void> = [];
      const tally = createQuorumTally(weights, threshold, {
        onDecided: (outcome) => {
          for (const withdraw of withdrawals) withdraw();
          resolve(outcome);
        },
        onError: (error) => {
          for (const withdraw of withdrawals) withdraw();
          reject(error);
        },
      });
      if (tally.isDecided()) return; // the weights alone could never reach the threshold
      withdrawals = submit(items, QUORUM_BATCH_SIZE, (i) => (outcome) => tally.record(i, outcome));
      // Cache hits alone may have decided it while `withdrawals` was still being built.
      if (tally.isDecided()) for (const withdraw of withdrawals) withdraw();
      dispatch();
    });
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const error = new VerifyPoolError('CLOSED', 'the verify pool was closed before this item was verified');
    for (const job of queue.drainQueued()) queue.settle(job, error);
    const stopping = slots.map((slot) => {
      slot.alive = false;
      const lost = [...slot.inFlight.values()].flat();
      slot.inFlight.clear();
      for (const job of lost) queue.settle(job, error);
      return stopPort(slot.port);
    });
    await Promise.all(stopping);
  };

  const stats = (): VerifyPoolStats =>
    Object.freeze({
      workers: slots.filter((s) => s.alive).length,
      ...counters,
      queued: queue.queued(),
      inFlight: slots.reduce((n, s) => n + [...s.inFlight.values()].reduce((m, jobs) => m + jobs.length, 0), 0),
      perWorker: Object.freeze([...perWorker]),
      cache: cache?.stats(),
    });

  const verify = async (item: VerifyItem): Promise<boolean> => (await verifyBatch([item]))[0] as boolean;

  return Object.freeze({ workers: init.workers, verify, verifyBatch, verifyUntilQuorum, stats, close });
}

type Settings = { batchSize: number; cacheEntries: number; maxQueued: number; maxRespawns: number };

function checkInit(components: VerifyPoolComponents, init: VerifyPoolInit): Settings {
  const settings = {
    batchSize: init.batchSize ?? DEFAULT_VERIFY_BATCH_SIZE,
    cacheEntries: init.cacheEntries ?? DEFAULT_VERIFY_CACHE_ENTRIES,
    maxQueued: init.maxQueued ?? DEFAULT_VERIFY_MAX_QUEUED,
    maxRespawns: init.maxRespawns ?? DEFAULT_VERIFY_MAX_RESPAWNS,
  };
  if (!Number.isSafeInteger(init.workers) || init.workers < 0) throw new RangeError('init.workers must be a non-negative integer');
  if (init.workers > 0 && typeof components.spawn !== 'function') throw new TypeError('components.spawn is required when init.workers > 0');
  if (init.workers === 0 && components.fallback === undefined) throw new TypeError('components.fallback is required when init.workers is 0');
  if (!Number.isSafeInteger(settings.batchSize) || settings.batchSize < 1) throw new RangeError('init.batchSize must be a positive integer');
  if (!Number.isSafeInteger(settings.cacheEntries) || settings.cacheEntries < 0) throw new RangeError('init.cacheEntries must be a non-negative integer');
  if (!Number.isSafeInteger(settings.maxQueued) || settings.maxQueued < 1) throw new RangeError('init.maxQueued must be a positive integer');
  if (!Number.isSafeInteger(settings.maxRespawns) || settings.maxRespawns < 0) throw new RangeError('init.maxRespawns must be a non-negative integer');
  return settings;
}

function checkItem(item: VerifyItem, index: number): void {
  if (typeof item !== 'object' || item === null) throw new TypeError(`items[${index}] must be a VerifyItem`);
  if (typeof item.scheme !== 'string') throw new TypeError(`items[${index}].scheme must be a scheme name`);
  for (const field of ['publicKey', 'message', 'signature', 'context'] as const) {
    if (!(item[field] instanceof Uint8Array)) throw new TypeError(`items[${index}].${field} must be a Uint8Array`);
  }
  if (item.context.length > 255) throw new RangeError(`items[${index}].context must be at most 255 bytes (FIPS 204)`);
}

function idlest(slots: readonly Slot[]): Slot {
  return slots.reduce((best, s) => (s.inFlight.size < best.inFlight.size ? s : best));
}

/** Terminates a port, swallowing its errors: the worker is being discarded either way. */
function stopPort(port: VerifyWorkerPort): Promise<void> {
  try {
    return Promise.resolve(port.terminate()).then(
      () => undefined,
      () => undefined,
    );
  } catch {
    return Promise.resolve();
  }
}
