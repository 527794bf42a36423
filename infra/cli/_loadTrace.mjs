/**
 * Test support: records every module a `node` process loads. Started as
 * `node --import ./infra/cli/_loadTrace.mjs bin/kaldrix.mjs …` with KALDRIX_LOAD_TRACE_FILE set
 * to a file path, it appends each loaded module's URL to that file, one per line;
 * lazyLoad.test.ts reads it to check what a command loads.
 *
 * Plain JavaScript because it runs before bin/kaldrix.mjs registers tsx. It registers itself as
 * a module hook (node:module register): hooks registered later run first, so tsx sees each
 * import first and this hook sees the URL tsx resolved. Hooks run on a separate thread, so the
 * hook writes synchronously: nothing is left in a buffer when the process exits.
 */
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const traceFile = process.env['KALDRIX_LOAD_TRACE_FILE'];

// This file is evaluated twice: by --import on the main thread (which registers it), and on
// the hooks thread (where its `load` export runs). Only the first may register.
if (isMainThread && traceFile !== undefined && traceFile !== '') register(import.meta.url);

/** The module-load hook: note the URL, then load as usual. */
export async function load(url, context, nextLoad) {
  if (traceFile !== undefined && traceFile !== '') appendFileSync(traceFile, `${url}\n`);
  return nextLoad(url, context);
}
