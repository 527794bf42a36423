#!/usr/bin/env node
/**
 * `npm start`: builds the KALDRIX web app and serves it locally (DESIGN.md §3).
 *
 * Each service below starts, reports the addresses a person needs, and returns a stop function;
 * services start in order and stop in reverse order on Ctrl-C (SIGINT) or SIGTERM: the web app
 * (simulator, self-test) and the local 4-validator devnet the light client page connects to.
 *
 * Options: --port N (first port to try for the web app, default 5173; the next free one is
 * used if it is taken).
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, preview } from 'vite';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
/** Vite's customary port, so the address is the one a web developer expects. */
const defaultWebPort = 5173;

/**
 * @typedef {{ name: string, urls: string[], stop: () => Promise<void> }} RunningService
 * @typedef {{ webPort: number }} StartOptions
 */

/** @type {ReadonlyArray<(options: StartOptions) => Promise<RunningService>>} */
const services = [startWebApp, startDevnet];

/**
 * The local 4-validator devnet (`kaldrix devnet`, kept in .kaldrix/devnet between runs): real
 * peers over libp2p, each with an HTTP API, for the light client page and for experiments.
 * Its readiness line and node list are forwarded; its node logs stay quiet unless it fails.
 * @param {StartOptions} _options @returns {Promise<RunningService>}
 */
async function startDevnet(_options) {
  console.log('Starting the local devnet (4 validators on 127.0.0.1)…');
  const child = spawn(process.execPath, [fileURLToPath(new URL('./kaldrix.mjs', import.meta.url)), 'devnet', '--dir', `${projectRoot}.kaldrix/devnet`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  /** @type {string[]} */
  const recent = [];
  child.stderr.on('data', (/** @type {Buffer} */ chunk) => {
    recent.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    recent.splice(0, Math.max(0, recent.length - 40));
  });
  /** @type {string[]} */
  const urls = [];
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (/** @type {Buffer} */ chunk) => {
      out += chunk.toString('utf8');
      if (out.includes('"ready":true')) {
        // kaldrix devnet prints one JSON line per node, then the ready line.
        for (const line of out.split('\n')) {
          if (!line.startsWith('{"node"')) continue;
          const node = JSON.parse(line);
          urls.push(`${node.node}  API ${node.api}  ${node.multiaddrs[1]}`);
        }
        resolve(undefined);
      }
    });
    child.once('exit', (code) => reject(new Error(`the devnet stopped (exit ${code}):\n${recent.join('\n')}`)));
  });
  await publishDevnetForThePage(`${projectRoot}.kaldrix/devnet`);
  return {
    name: 'devnet',
    urls,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(undefined);
        child.once('exit', () => resolve(undefined));
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The light client page pre-fills its connect form from `devnet/devnet.json` and
 * `devnet/genesis.json` beside the app, when they exist: the served copy of the local devnet's
 * public files (peer ids, multiaddrs, API URLs, the genesis — no keys). The page still verifies
 * everything from that genesis on; a built app deployed elsewhere simply has no such files.
 * @param {string} devnetDir
 */
async function publishDevnetForThePage(devnetDir) {
  const served = `${projectRoot}dist/devnet`;
  await mkdir(served, { recursive: true });
  for (const name of ['devnet.json', 'genesis.json']) await copyFile(`${devnetDir}/${name}`, `${served}/${name}`);
}

/** @param {StartOptions} options @returns {Promise<RunningService>} */
async function startWebApp(options) {
  console.log('Building the web app…');
  // Build-time profiling hints are for the project's developers, not for someone starting it.
  await build({ root: projectRoot, logLevel: 'warn', build: { rolldownOptions: { checks: { bundlerTimings: false } } } });
  const server = await preview({
    root: projectRoot,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: options.webPort, strictPort: false, open: false },
  });
  const urls = server.resolvedUrls?.local ?? [];
  return { name: 'web app', urls, stop: () => server.close() };
}

function parseOptions() {
  const { values } = parseArgs({ options: { port: { type: 'string' } }, strict: true });
  const webPort = values.port === undefined ? defaultWebPort : Number(values.port);
  if (!Number.isInteger(webPort) || webPort < 1 || webPort > 65535) {
    throw new RangeError(`--port must be an integer in 1..65535, got ${values.port}`);
  }
  return { webPort };
}

async function main() {
  const options = parseOptions();
  /** @type {RunningService[]} */
  const running = [];
  let stopping = false;
  const stopAll = async (/** @type {number} */ exitCode) => {
    if (stopping) return;
    stopping = true;
    for (const service of running.reverse()) {
      await service.stop().catch((error) => console.error(`Stopping the ${service.name} failed:`, error));
    }
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    for (const start of services) running.push(await start(options));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stopAll(1);
    return;
  }

  console.log('');
  console.log('KALDRIX is running:');
  for (const service of running) {
    for (const url of service.urls) console.log(`  ${service.name.padEnd(10)} ${url}`);
  }
  console.log('');
  console.log('Press Ctrl-C to stop.');
}

await main();
