import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'sim/**/*.test.ts', 'web/**/*.test.ts', 'infra/**/*.test.ts', 'bench/**/*.test.ts', 'test/**/*.test.ts'],
    // Real processes and networks run apart, one file at a time: vitest.process.config.ts.
    exclude: ['**/node_modules/**', 'infra/**/*.process.test.ts'],
    setupFiles: ['infra/node/polyfill.ts'],
    // Post-quantum keygen/sign in pure JS takes milliseconds; property tests run many cases.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2-core machines: keep workers to the cores we have.
    pool: 'threads',
    maxWorkers: 2,
  },
});
