/**
 * Keeps dist/ in step with the sources for the web app bench: dist/ is stale when any source
 * the build reads (index.html, web/, core/, sim/, the build configuration, the lock file) is
 * newer than dist/index.html; then `vite build` runs, as node + Vite's bin (TOOLCHAIN.md), so
 * the process this module waits for is the build itself.
 *
 * Caveat: staleness is by modification time; a source edited and reverted still rebuilds, and
 * a dependency updated in node_modules without a lock-file change does not.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the build reads, relative to the project root. */
const SOURCES = ['index.html', 'vite.config.ts', 'svelte.config.js', 'package-lock.json', 'tsconfig.json', 'web', 'core', 'sim'] as const;
/** Folders never part of a build. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist']);
/** A build of this app takes well under a minute here; ten is a hung build. */
const BUILD_TIMEOUT_MS = 600_000;
/** Lines of the build's output kept for an error message. */
const OUTPUT_TAIL_LINES = 30;

const isBuildInput = (name: string): boolean => !name.endsWith('.test.ts') && !name.endsWith('.md');

/** The newest build input under `path` (a file or a folder), walked depth-first. */
function newestUnder(path: string, newest: { mtimeMs: number; path: string }): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    if (stat.mtimeMs > newest.mtimeMs) Object.assign(newest, { mtimeMs: stat.mtimeMs, path });
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory() ? SKIPPED_FOLDERS.has(entry.name) : !isBuildInput(entry.name)) continue;
    newestUnder(join(path, entry.name), newest);
  }
}

export type DistState = { readonly stale: boolean; readonly reason: string };

export function distState(root: string): DistState {
  const index = join(root, 'dist', 'index.html');
  if (!existsSync(index)) return { stale: true, reason: 'dist/index.html is missing' };
  const builtMs = statSync(index).mtimeMs;
  const newest = { mtimeMs: 0, path: '' };
  for (const source of SOURCES) newestUnder(join(root, source), newest);
  if (newest.mtimeMs > builtMs) return { stale: true, reason: `${relative(root, newest.path)} is newer than dist/` };
  return { stale: false, reason: 'dist/ is newer than every source' };
}

export type BuildOutcome = { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly error: { readonly code: 'BUILD_FAILED'; readonly message: string } };

/** Runs `vite build` in `root`; a failed build is a value with the end of its output. */
export function buildApp(root: string): Promise<BuildOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Plain text: the output ends up in an error message and a report, not a terminal.
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const output: string[] = [];
    const keep = (chunk: Buffer): void => {
      // Stack frames of the build tool say nothing about what in the sources broke it.
      output.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== '' && !/^\s+at /.test(line)));
      output.splice(0, Math.max(0, output.length - OUTPUT_TAIL_LINES));
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: { code: 'BUILD_FAILED', message: `vite build could not start: ${error.message}` } });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true, seconds: (performance.now() - started) / 1000 });
      else resolve({ ok: false, error: { code: 'BUILD_FAILED', message: `vite build exited with ${signal ?? code}:\n${output.join('\n')}` } });
    });
  });
}
