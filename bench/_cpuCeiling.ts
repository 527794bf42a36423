/**
 * The realistic parallel ceiling of signature verification on this machine: bare worker threads
 * that run a backend's raw ML-DSA-44 verify in a loop (no pool, no queue, no messages in the
 * loop), 1 thread vs N. No verify pool can beat it: it is the same work with nothing around it.
 *
 * Why not a plain integer loop (this file's former ceiling): a latency-bound loop of register
 * arithmetic measures the scheduler only, not the caches and execution units that Keccak and
 * NTTs share with a busy sibling vCPU; on this machine it read 1.96× while bare verify threads
 * read 1.6–2.0× in the same hour, so a pool read against it looked worse than it was. Suites
 * interleave these runs with the runs they compare (bench/suites/verifyPool.ts), so the ceiling
 * is measured under the very load the compared figures met.
 *
 * The threads verify the framed statement exactly as the backends do (`frameMessage` of
 * core/crypto: 0x00 || len(ctx) || ctx || message, with the scheme's native context empty),
 * cycling through the caller's items, and each thread times its own loop, so thread start-up and
 * message latency stay out of the rate.
 */
import { Worker } from 'node:worker_threads';
import { frameMessage, type VerifyItem } from '../core/crypto/index.ts';

export type VerifyThreadBackend = 'liboqs' | 'noble';

/** The raw verifier each backend's thread loads; the module URL is resolved in this thread. */
const VERIFIER_SOURCE: Readonly<Record<VerifyThreadBackend, { module: string; load: string }>> = {
  liboqs: {
    module: '@oqs/liboqs-js/sig',
    load: 'const s = await m.createMLDSA44(); return (it) => s.verify(it.message, it.signature, it.publicKey);',
  },
  noble: {
    module: '@noble/post-quantum/ml-dsa.js',
    load: 'return (it) => m.ml_dsa44.verify(it.signature, it.message, it.publicKey);',
  },
};

function threadSource(backend: VerifyThreadBackend): string {
  const { module, load } = VERIFIER_SOURCE[backend];
  return `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
(async () => {
  const m = await import(${JSON.stringify(import.meta.resolve(module))});
  const verify = await (async () => { ${load} })();
  const items = workerData.items;
  for (const it of items) if (verify(it) !== true) throw new Error('verify thread: an item does not verify');
  parentPort.on('message', (ms) => {
    const start = performance.now();
    let verifies = 0;
    let now = start;
    do {
      verify(items[verifies % items.length]);
      verifies++;
      now = performance.now();
    } while (now - start < ms);
    parentPort.postMessage({ verifies, elapsedMs: now - start });
  });
  parentPort.postMessage('ready');
})();`;
}

export type VerifyThreads = {
  readonly threads: number;
  /** Verifies per second of one thread looping for `ms`. */
  one(ms: number): Promise<number>;
  /** Verifies per second of all threads looping for `ms` at once (the sum of their rates). */
  all(ms: number): Promise<number>;
  close(): Promise<void>;
};

type LoopReport = { readonly verifies: number; readonly elapsedMs: number };

/** Starts `threads` bare verify threads for ML-DSA-44 `items` (all must be valid) and waits until they are ready. */
export async function createVerifyThreads(backend: VerifyThreadBackend, threads: number, items: readonly VerifyItem[]): Promise<VerifyThreads> {
  if (!Number.isSafeInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
  if (items.length === 0 || items.some((it) => it.scheme !== 'ml-dsa-44')) throw new RangeError('items must be ML-DSA-44 items, at least one');
  const framed = items.map((it) => ({ publicKey: it.publicKey, signature: it.signature, message: frameMessage(it.context, it.message) }));
  const source = threadSource(backend);
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true, workerData: { items: framed } }));
  const loop = (worker: Worker, ms: number): Promise<LoopReport> => ask(worker, ms) as Promise<LoopReport>;
  try {
    await Promise.all(workers.map((w) => ask(w, undefined)));
  } catch (cause) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw cause;
  }
  const rate = (r: LoopReport): number => (r.verifies * 1000) / r.elapsedMs;
  return Object.freeze({
    threads,
    one: async (ms: number) => rate(await loop(workers[0] as Worker, ms)),
    all: async (ms: number) => (await Promise.all(workers.map((w) => loop(w, ms)))).reduce((sum, r) => sum + rate(r), 0),
    close: async () => void (await Promise.all(workers.map((w) => w.terminate()))),
  });
}

/** Posts `message` (none: just waits) and resolves with the thread's next message. */
function ask(worker: Worker, message: number | undefined): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    worker.once('error', onError);
    worker.once('message', (value: unknown) => {
      worker.off('error', onError);
      resolve(value);
    });
    if (message !== undefined) worker.postMessage(message);
  });
}

