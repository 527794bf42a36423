/**
 * Tests that start real processes and networks (a devnet of `kaldrix start` processes, the
 * container entrypoint): run one file at a time after the unit tests, so they never compete
 * with each other for this machine's two cores and their ports. Files: `*.process.test.ts`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['infra/**/*.process.test.ts'],
    setupFiles: ['infra/node/polyfill.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
  },
});
