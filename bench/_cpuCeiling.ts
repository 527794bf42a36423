/**
 * The machine's parallel ceiling: a CPU-bound loop on 1 thread vs on N threads. On a shared or
 * throttled machine it is below N, and no thread pool can beat it; the verify pool's speed-up is
 * read against it. Suites interleave these runs with the runs they compare, so the ceiling is
 * measured under the very load the compared figures met.
 */
import { Worker } from 'node:worker_threads';

/** Loop iterations per call: about 0.1–0.2 s of one core here. */
const SPIN_ITERATIONS = 20_000_000;

const SPIN_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (n) => {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) | 0;
  parentPort.postMessage(x);
});`;

export type CpuSpinners = {
  /** One thread does one unit of work. */
  readonly one: () => Promise<unknown>;
  /** Every thread does one unit each: N units. Ceiling = N × rate(all) / rate(one). */
  readonly all: () => Promise<unknown>;
  readonly threads: number;
  close(): Promise<void>;
};

export function createCpuSpinners(threads: number): CpuSpinners {
  const workers = Array.from({ length: threads }, () => new Worker(SPIN_SOURCE, { eval: true }));
  const spin = (worker: Worker): Promise<unknown> =>
    new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (value) => {
        worker.off('error', reject);
        resolve(value);
      });
      worker.postMessage(SPIN_ITERATIONS);
    });
  return {
    one: () => spin(workers[0] as Worker),
    all: () => Promise.all(workers.map(spin)),
    threads,
    close: async () => void (await Promise.all(workers.map((w) => w.terminate()))),
  };
}
