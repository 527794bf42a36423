/**
 * Opens one bench page of the built app (`#bench?…`, web/bench/) in a fresh browser context
 * and returns what its result element reports: the page shows its figures as data-* attributes
 * of `.bench-result` once `data-state` is `done` (or `failed`, with `data-error`).
 *
 * A fresh context per page keeps one bench's worker, caches and canvas out of the next.
 * Uncaught page errors are collected and returned with a failure, since they explain it.
 */
import type { Browser } from '@playwright/test';

/** A laptop screen: the DAG bench draws a 1,280 × 720 canvas inside the page. */
const VIEWPORT = Object.freeze({ width: 1440, height: 900 });
const FINISHED = '.bench-result[data-state="done"], .bench-result[data-state="failed"]';
/** Page errors kept for a failure message. */
const MAX_PAGE_ERRORS = 5;

export type BenchPageOutcome =
  | { readonly ok: true; readonly data: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly error: { readonly code: 'BENCH_FAILED' | 'BENCH_TIMEOUT'; readonly message: string } };

export async function runBenchPage(browser: Browser, url: string, timeoutMs: number): Promise<BenchPageOutcome> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const pageErrors: string[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => void (pageErrors.length < MAX_PAGE_ERRORS && pageErrors.push(error.message)));
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    const finished = await page.waitForSelector(FINISHED, { timeout: timeoutMs }).then(
      (element) => element,
      () => undefined,
    );
    if (finished === undefined) return { ok: false, error: { code: 'BENCH_TIMEOUT', message: `no result within ${timeoutMs / 1000} s${describeErrors(pageErrors)}` } };
    const data = await finished.evaluate((element) => ({ ...(element as HTMLElement).dataset }) as Record<string, string>);
    if (data['state'] !== 'done') return { ok: false, error: { code: 'BENCH_FAILED', message: `${data['error'] ?? 'the page reported a failure'}${describeErrors(pageErrors)}` } };
    return { ok: true, data: Object.freeze(data) };
  } finally {
    await context.close();
  }
}

const describeErrors = (errors: readonly string[]): string => (errors.length === 0 ? '' : `; page errors: ${errors.join(' | ')}`);

/** A number the page reported, or NaN when it is missing (the caller's figure then says so). */
export function numberOf(data: Readonly<Record<string, string>>, key: string): number {
  const text = data[key];
  return text === undefined || text === '' ? Number.NaN : Number(text);
}
