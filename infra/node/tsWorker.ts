/**
 * Starts a worker thread whose entry may be a TypeScript file.
 *
 * Node 20 ignores `--import tsx` in a worker's `execArgv`, so a `.ts` entry is started from a
 * tiny ES-module bootstrap (evaluated source) that loads it through tsx's `tsImport` API; a
 * compiled `.js` entry starts directly. One place, for every worker the Node side runs.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** ES module source for `new Worker(…, { eval: true })` that loads a TypeScript entry through tsx. */
function tsBootstrap(entryUrl: string): string {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(entryUrl)}, ${JSON.stringify(entryUrl)}));`;
}

export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  return entry.pathname.endsWith('.ts')
    ? new Worker(tsBootstrap(entry.href), { ...options, eval: true })
    : new Worker(entry, options);
}
