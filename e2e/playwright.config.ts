/**
 * Playwright configuration for the end-to-end tests (HOUSE-RULES 14: tests act as a person).
 *
 * They run against the built app (`dist/`, served by `vite preview`), in a real Chromium.
 * Browser: `KALDRIX_CHROMIUM` if set, else Debian's `/usr/bin/chromium` if present, else
 * Playwright's own download (elsewhere, where `npx playwright install chromium` works).
 * `npm run test:e2e` builds first.
 */
import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/** Fixed, so a stale server on it fails loudly (`--strictPort`) instead of being reused silently. */
const previewPort = 4173;
const baseURL = `http://127.0.0.1:${previewPort}`;

const debianChromium = '/usr/bin/chromium';
const executablePath = process.env['KALDRIX_CHROMIUM'] || (existsSync(debianChromium) ? debianChromium : undefined);

const isCi = Boolean(process.env['CI']);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results',
  fullyParallel: false,
  forbidOnly: isCi,
  retries: 0,
  ...(isCi ? { workers: 1 } : {}),
  reporter: isCi ? [['list']] : [['list'], ['html', { outputFolder: '../playwright-report', open: 'never' }]],
  // A crypto run on a shared 2-core machine: generous, never a speed assertion.
  timeout: 90_000,
  expect: { timeout: 60_000 },
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          ...(executablePath !== undefined ? { executablePath } : {}),
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    // Started as node + vite's bin (not npx) so the process Playwright stops is the server.
    command: `node node_modules/vite/bin/vite.js preview --port ${previewPort} --strictPort --host 127.0.0.1`,
    cwd: '..',
    url: baseURL,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
