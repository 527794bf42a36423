/**
 * The Node shell of the verify pool: worker_threads behind `VerifyWorkerPort`
 * (core/crypto/verifyPool.ts, verifyProtocol.ts).
 *
 * Threads start through `tsWorker.ts` (a TypeScript entry loads through tsx, under `tsx` and
 * under vitest alike; a compiled `.js` build starts directly).
 *
 * Threads are `unref`ed while idle and `ref`ed while they hold requests: a forgotten `close()`
 * never keeps the process alive, and pending work is never cut short by an idle event loop.
 *
 * Cache keys use the runtime's native SHA-256 by default (about 15 µs for an ML-DSA-44
 * statement of 3.9 KB here, against about 300 µs for BLAKE3 in pure JavaScript, which would cost
 * more than the liboqs verification it saves; bench/report.md); any collision-resistant 256-bit
 * hash is sound for this cache, whose keys never leave the process.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from './tsWorker.ts';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { createBlake3CacheKeyHasher, VERIFY_CACHE_DOMAIN, type CacheKeyHasher } from '../../core/crypto/verifyCache.ts';
import { createVerifyPool, type VerifyPool, type VerifyPoolInit } from '../../core/crypto/verifyPool.ts';
import { parseVerifyWorkerMessage, type VerifyWorkerMessage, type VerifyWorkerPort } from '../../core/crypto/verifyProtocol.ts';
import type { NodeVerifyBackendName, VerifyWorkerData } from './_verifyWorkerData.ts';

export type { NodeVerifyBackendName } from './_verifyWorkerData.ts';

export type NodeVerifyPoolOptions = Omit<VerifyPoolInit, 'workers'> & {
  /** Worker threads. Default: `os.availableParallelism()`. */
  readonly workers?: number;
  /** Backend each worker loads; 'liboqs' falls back to noble for the schemes it lacks. */
  readonly backend: NodeVerifyBackendName;
  /** Cache-key digest. Default 'sha256' (native, see the module comment). */
  readonly cacheKeyHash?: 'sha256' | 'blake3';
};

/** A port whose thread is reachable, for tests and diagnostics (e.g. to kill it on purpose). */
export type NodeVerifyWorkerPort = VerifyWorkerPort & { readonly thread: Worker };

const WORKER_FILE = new URL(import.meta.url.endsWith('.ts') ? './verify.worker.ts' : './verify.worker.js', import.meta.url);

/** Starts one verify worker thread and adapts it to the pool's port interface. */
export function spawnNodeVerifyWorker(index: number, backend: NodeVerifyBackendName): NodeVerifyWorkerPort {
  const workerData: VerifyWorkerData = { backend, index };
  const thread = startWorker(WORKER_FILE, { workerData, name: `kaldrix-verify-${index}` });
  thread.unref();
  let outstanding = 0;
  let terminating = false;
  let reportedDeath = false;

  const onMessage = (handler: (message: VerifyWorkerMessage) => void): void => {
    const die = (reason: string): void => {
      if (terminating || reportedDeath) return;
      reportedDeath = true;
      handler({ type: 'fatal', reason });
    };
    thread.on('message', (raw: unknown) => {
      const parsed = parseVerifyWorkerMessage(raw);
      if (!parsed.ok) return die(`sent a malformed message: ${parsed.error.reason}`);
      if (--outstanding === 0) thread.unref();
      handler(parsed.value);
    });
    thread.on('messageerror', (error) => die(`message could not be deserialised: ${error.message}`));
    thread.on('error', (error) => die(`uncaught ${error.name}: ${error.message}`));
    thread.on('exit', (code) => die(`thread exited with code ${code}`));
  };

  return Object.freeze({
    thread,
    onMessage,
    postMessage: (message, transfer = []) => {
      if (outstanding++ === 0) thread.ref();
      thread.postMessage(message, [...transfer]);
    },
    terminate: () => {
      terminating = true;
      // An unref'ed idle thread would let the process exit (code 13) with terminate() pending.
      thread.ref();
      return thread.terminate();
    },
  } satisfies NodeVerifyWorkerPort);
}

/** A verify pool of worker threads, each running `options.backend`; noble verifies in-thread if all die. */
export function createNodeVerifyPool(options: NodeVerifyPoolOptions): VerifyPool {
  const { backend, cacheKeyHash = 'sha256', workers = availableParallelism(), ...init } = options;
  if (backend !== 'noble' && backend !== 'liboqs') throw new TypeError("options.backend must be 'noble' or 'liboqs'");
  return createVerifyPool(
    {
      spawn: (index) => spawnNodeVerifyWorker(index, backend),
      fallback: createNobleBackend(),
      cacheKeyHasher: cacheKeyHash === 'sha256' ? createNativeSha256CacheKeyHasher() : createBlake3CacheKeyHasher(),
    },
    { ...init, workers },
  );
}

/** SHA-256 (native) over the framed statement, prefixed by the cache domain. */
export function createNativeSha256CacheKeyHasher(): CacheKeyHasher {
  const prefix = createHash('sha256').update(VERIFY_CACHE_DOMAIN).update(new Uint8Array([0]));
  return {
    create: () => {
      const state = prefix.copy();
      return {
        update: (bytes: Uint8Array) => state.update(bytes),
        digest: () => new Uint8Array(state.digest()),
      };
    },
  };
}

