/**
 * The crypto self-test, as a visitor uses it: open the page, pick a scheme and a backend, run,
 * and read the verdict. Also checks the first page's JavaScript budget (DESIGN.md §4: under
 * 250 KB gzipped, the crypto backends loaded only when needed).
 *
 * Black-box (HOUSE-RULES 1, 14): only what the page shows and what the browser downloads.
 */
import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';

/** DESIGN.md §4: the first page ships under 250 KB of gzipped JavaScript. */
const firstPageJsBudgetBytes = 250_000;

type Choice = { scheme: string; backend: RegExp; messages: string };

async function runSelfTest(page: Page, choice: Choice): Promise<void> {
  await page.getByLabel('Signature scheme').selectOption({ label: choice.scheme });
  await page.getByRole('radio', { name: choice.backend }).check();
  await page.getByLabel('Messages').selectOption(choice.messages);
  await page.getByRole('button', { name: 'Run self-test' }).click();
  // Wait for the verdict a person waits for, whichever it is, then require PASS.
  const verdict = page.getByRole('status').getByText(/^(PASS|FAIL)$/);
  await expect(verdict).toBeVisible();
  await expect(page.getByRole('status')).not.toContainText('could not run');
  await expect(verdict).toHaveText('PASS');
}

test('the page says what KALDRIX is', async ({ page }) => {
  await page.goto('/#selftest');
  await expect(page).toHaveTitle('KALDRIX');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('KALDRIX');
  await expect(page.getByText(/quantum-resistant DAG blockchain/i).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Crypto self-test' })).toBeVisible();
});

test('ML-DSA-44 on the noble backend passes the self-test', async ({ page }, testInfo) => {
  await page.goto('/#selftest');
  await runSelfTest(page, { scheme: 'ML-DSA-44 (FIPS 204, level 2)', backend: /noble/, messages: '64' });
  await expect(page.getByTestId('valid-count')).toHaveText('64 / 64');
  await expect(page.getByTestId('forged-count')).toHaveText('32 / 32');
  await expect(page.getByRole('status')).toContainText('2,420 B'); // ML-DSA-44 signature, FIPS 204 Table 2
  await expect(page.getByRole('status')).toContainText('verification in JavaScript');
  await testInfo.attach('self-test result', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('the liboqs WebAssembly backend loads on demand and passes the self-test', async ({ page, context }) => {
  const requested: string[] = [];
  context.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto('/#selftest');
  await page.waitForLoadState('networkidle');
  const beforeRun = requested.length;
  await runSelfTest(page, { scheme: 'ML-DSA-44 (FIPS 204, level 2)', backend: /liboqs/, messages: '16' });
  await expect(page.getByRole('status')).toContainText('liboqs');
  await expect(page.getByRole('status')).toContainText('verification in WebAssembly');
  await expect(page.getByTestId('valid-count')).toHaveText('16 / 16');
  await expect(page.getByTestId('forged-count')).toHaveText('8 / 8');
  // The WebAssembly build of ML-DSA-44 was fetched by the workers after the click, not before.
  expect(requested.slice(0, beforeRun).filter((path) => /ml-dsa-44/i.test(path))).toEqual([]);
  expect(requested.slice(beforeRun).some((path) => /ml-dsa-44/i.test(path))).toBe(true);
});

test('the hybrid ML-DSA-44 + Ed25519 scheme passes the self-test', async ({ page }) => {
  await page.goto('/#selftest');
  await runSelfTest(page, { scheme: 'Hybrid ML-DSA-44 + Ed25519', backend: /noble/, messages: '16' });
  await expect(page.getByTestId('valid-count')).toHaveText('16 / 16');
  await expect(page.getByTestId('forged-count')).toHaveText('8 / 8');
});

test('the first page loads under 250 KB of gzipped JavaScript and no crypto backend', async ({ page }) => {
  const scripts: { url: string; body: Promise<Buffer> }[] = [];
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if (type === 'script' || response.url().endsWith('.js')) scripts.push({ url: response.url(), body: response.body() });
  });
  await page.goto('/#selftest');
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('button', { name: 'Run self-test' })).toBeEnabled();

  const sizes = await Promise.all(scripts.map(async (s) => ({ url: s.url, gzipBytes: gzipSync(await s.body, { level: 9 }).length })));
  const totalGzipBytes = sizes.reduce((sum, s) => sum + s.gzipBytes, 0);
  test.info().annotations.push({ type: 'first-page JS (gzip)', description: `${totalGzipBytes} B in ${sizes.length} file(s)` });
  expect(sizes.length, 'the page loads at least its entry script').toBeGreaterThan(0);
  expect(totalGzipBytes).toBeLessThan(firstPageJsBudgetBytes);
  // Workers and backends are fetched when a self-test runs, not before.
  expect(sizes.map((s) => s.url).filter((url) => /worker|liboqs|noble|ml-dsa/i.test(url))).toEqual([]);
});
