/**
 * `kaldrix --help`, `--version` and each command's --help must not load the signature backends,
 * the key file cipher, the ledger or the full peer: they cost seconds of start-up, and only running a command
 * needs them (the commands load them with `await import` in `run`). Checked on the real binary,
 * with a module-load tracer (_loadTrace.mjs) in the child process: it lists what was loaded, so
 * the test asserts on module names, not on time.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const kaldrixBin = join(repoRoot, 'bin', 'kaldrix.mjs');
const tracerHook = join(repoRoot, 'infra', 'cli', '_loadTrace.mjs');

/** What no help or version output may load (paths from the repository root). */
const HEAVY_MODULES: readonly RegExp[] = [
  /^core\/crypto\/index\.ts$/,
  /^core\/state\/index\.ts$/,
  /^core\/crypto\/backends\//,
  /^core\/crypto\/keyfile\.ts$/,
  /^node_modules\/@noble\/post-quantum\//,
  // The full peer: its settings schema (core's validator defaults), libp2p, the store, the API.
  /^infra\/peer\/node\.ts$/,
  /^infra\/peer\/config\//,
  /^infra\/peer\/devnet\/files\.ts$/,
  /^node_modules\/(libp2p|classic-level|fastify)\//,
];

type TracedRun = { readonly code: number; readonly loaded: readonly string[] };

let dir = '';
let runs = 0;

/** Runs `node bin/kaldrix.mjs <args>` with the tracer; `loaded` lists files under the repository. */
async function traceKaldrix(args: readonly string[]): Promise<TracedRun> {
  runs += 1;
  const traceFile = join(dir, `trace-${runs}.txt`);
  const code = await new Promise<number>((resolve, reject) => {
    const env = { ...process.env, NODE_OPTIONS: '', KALDRIX_LOAD_TRACE_FILE: traceFile };
    execFile(process.execPath, ['--import', tracerHook, kaldrixBin, ...args], { cwd: repoRoot, env }, (error) => {
      const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
      if (exitCode === undefined) reject(error ?? new Error('no exit code'));
      else resolve(exitCode);
    });
  });
  const rootUrl = new URL('../../', import.meta.url).href;
  const lines = (await readFile(traceFile, 'utf8')).split('\n');
  const loaded = lines.filter((url) => url.startsWith(rootUrl)).map((url) => url.slice(rootUrl.length));
  return { code, loaded };
}

const heavyIn = (loaded: readonly string[]): string[] => loaded.filter((path) => HEAVY_MODULES.some((heavy) => heavy.test(path)));

describe('kaldrix loads only what the command it runs needs', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kaldrix-load-trace-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--help (every command\'s spec) and a command\'s --help load no backend, key file cipher or ledger', async () => {
    for (const args of [['--version'], ['--help'], ['verify', '--help'], ['tx', 'transfer', '--help'], ['start', '--help'], ['devnet', '--help']]) {
      const traced = await traceKaldrix(args);
      expect(traced.code).toBe(0);
      // The tracer saw the CLI itself, so an empty list below is not a tracer that saw nothing.
      expect(traced.loaded).toContain('infra/cli/main.ts');
      expect(heavyIn(traced.loaded), `kaldrix ${args.join(' ')}`).toEqual([]);
    }
  });

  it('the tracer does see them when a command runs (tx transfer loads core/crypto and core/state)', async () => {
    // Refused at --to (exit 2, before any key file or request), after the command's code loaded.
    const traced = await traceKaldrix(['tx', 'transfer', '--api', 'http://127.0.0.1:9', '--key', 'absent.key.json', '--to', 'x', '--amount', '1']);
    expect(traced.code).toBe(2);
    expect(heavyIn(traced.loaded)).toEqual(expect.arrayContaining(['core/crypto/index.ts', 'core/state/index.ts']));
  });
});
