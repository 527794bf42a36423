/**
 * Build configuration of the KALDRIX web app (DESIGN.md §1: `index.html` + `web/`).
 *
 * Vite 8 bundles with Rolldown, so bundler options live in `build.rolldownOptions`.
 * Workers are built as ES modules: the crypto backends are dynamic imports inside the verify
 * and signer workers, and only the ES worker format can split those into lazy chunks
 * (the first page stays under the 250 KB gzipped budget of DESIGN.md §4).
 */
import { defineConfig, type Rolldown } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** Port of `vite preview`; the end-to-end tests and `npm start` pass their own. */
const previewPort = 4173;

/**
 * liboqs-js ships one file per algorithm that also works under Node, importing `node:module`
 * on a branch never taken in a browser. Vite reports each such import (about 200 lines per
 * build); they are expected, so only those are dropped and every other log passes through.
 */
function isLiboqsNodeBranchLog(log: Rolldown.RollupLog): boolean {
  return log.message.includes('"node:module" has been externalized for browser compatibility') && log.message.includes('@oqs/liboqs-js');
}

/**
 * The light-client worker reaches the signature backends both through core/crypto's index
 * (statically) and through web/crypto/backendName.ts (lazily, for the verify workers); inside
 * that worker the lazy import cannot split them off, which Rolldown reports. The worker loads
 * them either way; the first page is unaffected (checked by the bundle-size bench and e2e).
 */
function isBackendDoubleImportLog(log: Rolldown.RollupLog): boolean {
  return log.code === 'INEFFECTIVE_DYNAMIC_IMPORT' && log.message.includes('core/crypto/backends/');
}

const onLog: NonNullable<Rolldown.InputOptions['onLog']> = (level, log, forward) => {
  if (isLiboqsNodeBranchLog(log) || isBackendDoubleImportLog(log)) return;
  forward(level, log);
};

export default defineConfig({
  plugins: [svelte()],
  build: {
    // Module workers, top-level await and BigInt are used; every browser we target has them.
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // Lets a reader (and the bundle-size check) see which chunk the first page loads.
    manifest: true,
    // The liboqs WebAssembly chunks are large by nature and loaded only on request.
    chunkSizeWarningLimit: 1200,
    // Build-time profiling hints are for whoever tunes the build, not for every test run.
    rolldownOptions: { onLog, checks: { bundlerTimings: false } },
  },
  worker: {
    format: 'es',
    rolldownOptions: { onLog },
  },
  preview: {
    port: previewPort,
    host: '127.0.0.1',
  },
});
