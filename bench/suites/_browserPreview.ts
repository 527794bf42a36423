/**
 * Serves dist/ for the web app bench with `vite preview` on a free loopback port, started as
 * node + Vite's bin (TOOLCHAIN.md) so the pid stopped at the end is the server's own. The
 * caller must `stop()` it in a `finally`; a server that exits early or never answers is an
 * error naming what it printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** `vite preview` answers within a second or two here; thirty is a server that will not. */
const START_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;
/** Grace between SIGTERM and SIGKILL. */
const STOP_GRACE_MS = 5_000;
const STDERR_TAIL_CHARS = 2_000;

export type PreviewServer = { readonly url: string; readonly pid: number | undefined; stop(): Promise<void> };

/** A port the OS says is free now (it may be taken before use: `--strictPort` then fails loudly). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port was assigned'))));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startPreview(root: string): Promise<PreviewServer> {
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS)));
  const server: PreviewServer = { url, pid: child.pid, stop: () => stopChild(child) };
  try {
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`vite preview exited (${child.exitCode ?? child.signalCode}): ${stderr.trim()}`);
      const answered = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
      if (answered) return server;
      if (performance.now() > deadline) throw new Error(`vite preview did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s: ${stderr.trim()}`);
      await sleep(POLL_INTERVAL_MS);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
}
