/**
 * The browser's verify pool: `core/crypto/verifyPool.ts` with Web Workers as its threads.
 *
 * DESIGN.md §2 "a verify pool spreads batches across Web Workers". The core pool does the
 * batching, caching and crash handling; this file only adapts a module `Worker` running
 * `verify.worker.ts` to the pool's `VerifyWorkerPort`, turning the worker's error events into
 * the protocol's `fatal` message so the pool respawns it instead of waiting forever.
 */
import { createVerifyPool, type VerifyPool, type VerifyPoolInit } from '../../core/crypto/verifyPool.ts';
import { parseVerifyWorkerMessage, type VerifyWorkerMessage, type VerifyWorkerPort } from '../../core/crypto/verifyProtocol.ts';
import type { BackendName } from './backendName.ts';
import { verifyWorkerName } from './_verifyWorkerName.ts';

/**
 * Most workers a page starts: each holds its own copy of the backend (liboqs compiles its
 * WebAssembly per worker), and past this many cores the batches are too small to gain.
 */
export const maxBrowserVerifyWorkers = 8;

export type BrowserVerifyPoolInit = Omit<VerifyPoolInit, 'workers'> & {
  /** The one backend every worker uses. */
  readonly backend: BackendName;
  /**
   * Worker count, clamped to 1..`maxBrowserVerifyWorkers`. Default: the device's logical
   * cores (`navigator.hardwareConcurrency`), or 2 when the browser does not say.
   */
  readonly workers?: number;
};

export function createBrowserVerifyPool(init: BrowserVerifyPoolInit): VerifyPool {
  const { backend, workers: requestedWorkers, ...poolInit } = init;
  const workers = clampWorkers(requestedWorkers ?? (navigator.hardwareConcurrency || 2));
  return createVerifyPool({ spawn: (index) => spawnVerifyWorker(backend, index) }, { ...poolInit, workers });
}

function clampWorkers(requested: number): number {
  if (!Number.isFinite(requested)) throw new RangeError(`init.workers must be a number, got ${requested}`);
  return Math.max(1, Math.min(maxBrowserVerifyWorkers, Math.floor(requested)));
}

function spawnVerifyWorker(backend: BackendName, index: number): VerifyWorkerPort {
  const worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module', name: verifyWorkerName(backend, index) });
  let deliver: (message: VerifyWorkerMessage) => void = () => {};
  worker.onmessage = (event: MessageEvent<unknown>) => {
    const parsed = parseVerifyWorkerMessage(event.data);
    deliver(parsed.ok ? parsed.value : { type: 'fatal', reason: `malformed message: ${parsed.error.reason}` });
  };
  worker.onmessageerror = () => deliver({ type: 'fatal', reason: 'a message could not be deserialized' });
  worker.onerror = (event: ErrorEvent) => {
    // Handled here: the pool fails the worker's jobs and respawns it; no uncaught page error.
    event.preventDefault();
    deliver({ type: 'fatal', reason: event.message || 'the worker script failed to load' });
  };
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer === undefined ? [] : [...transfer]),
    onMessage: (handler) => {
      deliver = handler;
    },
    terminate: () => worker.terminate(),
  };
}
