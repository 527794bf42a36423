/**
 * Headless Chromium for the web app bench, found and launched as the end-to-end tests do
 * (e2e/playwright.config.ts, TOOLCHAIN.md): `KALDRIX_CHROMIUM` if set, else Debian's
 * /usr/bin/chromium if present, else Playwright's own download.
 *
 * Caveat for every figure taken with it: `--disable-gpu` means software rasterization, so
 * frame rates are a worst case next to a person's browser with a GPU.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The flags the end-to-end tests use: headless, no sandbox (containers), no GPU, no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

export function chromiumExecutablePath(): string | undefined {
  return process.env['KALDRIX_CHROMIUM'] || (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
}

/** Why no Chromium can be launched here, or undefined when one can. */
export function missingChromium(): string | undefined {
  const executablePath = chromiumExecutablePath();
  if (executablePath !== undefined) return existsSync(executablePath) ? undefined : `KALDRIX_CHROMIUM=${executablePath} does not exist`;
  if (existsSync(chromium.executablePath())) return undefined;
  return 'no Chromium on this machine (`node bin/ensure-chromium.mjs` installs one)';
}

export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumExecutablePath();
  return chromium.launch({ headless: true, args: [...CHROMIUM_ARGS], ...(executablePath !== undefined ? { executablePath } : {}) });
}
