#!/usr/bin/env node
/**
 * Makes sure the end-to-end tests and the web app bench have a Chromium to drive, installing one
 * when none is found (`npm run test:e2e` runs this first; so does `.ci/run`).
 *
 * Looked for in the order the Playwright configuration uses them: `KALDRIX_CHROMIUM` (must be an
 * executable file — a wrong path is an error, not a reason to install something else), Debian's
 * /usr/bin/chromium, Playwright's own download. When none exists: Debian's `chromium` package
 * where apt-get can run (as root, or with sudo that needs no password), else
 * `npx playwright install chromium`. Prints what it found or did; exits 1 with the ways out when
 * nothing worked.
 *
 * Options: --check (report only, install nothing; exit 1 when no Chromium is found).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const APT_GET = '/usr/bin/apt-get';

/** @param {string} path */
function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Playwright's own Chromium, if this machine has downloaded it. @returns {Promise<string | undefined>} */
async function playwrightChromium() {
  try {
    const { chromium } = await import('@playwright/test');
    const path = chromium.executablePath();
    return path !== '' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** @returns {Promise<{ path: string, source: string } | undefined>} */
async function findChromium() {
  if (existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, source: "Debian's chromium package" };
  const own = await playwrightChromium();
  return own === undefined ? undefined : { path: own, source: "Playwright's download" };
}

/** @param {string} command @param {readonly string[]} args @returns {boolean} */
function run(command, args) {
  console.log(`ensure-chromium: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

/** apt-get as root, or through sudo when it asks for no password; undefined when neither works. */
function aptRunner() {
  if (!isExecutable(APT_GET)) return undefined;
  if (typeof process.getuid === 'function' && process.getuid() === 0) return (/** @type {string[]} */ args) => run(APT_GET, args);
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  if (sudo.status === 0) return (/** @type {string[]} */ args) => run('sudo', ['-n', APT_GET, ...args]);
  return undefined;
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({ options: { check: { type: 'boolean', default: false } }, strict: true }));
  } catch (error) {
    console.error(`ensure-chromium: ${error instanceof Error ? error.message : String(error)} (the one option is --check)`);
    return 2;
  }
  const pinned = process.env['KALDRIX_CHROMIUM'];
  if (pinned) {
    if (!isExecutable(pinned)) {
      console.error(`ensure-chromium: KALDRIX_CHROMIUM=${pinned} is not an executable file; point it at a Chromium binary or unset it`);
      return 1;
    }
    console.log(`ensure-chromium: using ${pinned} (KALDRIX_CHROMIUM)`);
    return 0;
  }
  const found = await findChromium();
  if (found !== undefined) {
    console.log(`ensure-chromium: using ${found.path} (${found.source})`);
    return 0;
  }
  if (values.check) {
    console.error('ensure-chromium: no Chromium found (run `node bin/ensure-chromium.mjs` to install one)');
    return 1;
  }
  const apt = aptRunner();
  if (apt !== undefined) {
    console.log("ensure-chromium: no Chromium found; installing Debian's chromium package (a minute or two)…");
    if (apt(['update', '-qq']) && apt(['install', '-y', '-qq', 'chromium']) && existsSync(DEBIAN_CHROMIUM)) {
      console.log(`ensure-chromium: installed ${DEBIAN_CHROMIUM}`);
      return 0;
    }
    console.log("ensure-chromium: apt-get could not install chromium; trying Playwright's download");
  } else {
    console.log("ensure-chromium: no Chromium found and apt-get cannot run here; trying Playwright's download");
  }
  if (run('npx', ['playwright', 'install', 'chromium']) && (await playwrightChromium()) !== undefined) return 0;
  console.error(
    'ensure-chromium: no Chromium could be installed. Install one and run again: ' +
      '`apt-get install -y chromium` (Debian, Ubuntu), `npx playwright install chromium` (elsewhere), ' +
      'or set KALDRIX_CHROMIUM to a Chromium binary.',
  );
  return 1;
}

process.exitCode = await main();
