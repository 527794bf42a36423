/**
 * Runs a written devnet (files.ts): one `kaldrix start` process per validator, their output
 * prefixed with the node's name, readiness by polling each node's `/readyz`, and stop/kill/
 * restart of single nodes (the crash-and-recover tests use SIGKILL).
 *
 * Every wait is bounded in time; `stopAll` sends SIGTERM, then SIGKILL to whatever is still
 * running after a grace period, so no test or `npm start` leaves processes behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DevnetManifest } from './files.ts';

/** Names the launching process's pid to each node, which stops when that process is gone (infra/cli/start.ts). */
export const PARENT_PID_ENV = 'KALDRIX_PARENT_PID';

const KALDRIX_BIN = fileURLToPath(new URL('../../../bin/kaldrix.mjs', import.meta.url));

export type RunningDevnet = {
  readonly manifest: DevnetManifest;
  /** Resolves when every running node answers /readyz with 200; rejects after `timeoutMs`. */
  waitReady(timeoutMs: number): Promise<void>;
  /** Sends `signal` to node `index` and waits for it to exit (SIGKILL after `graceMs`). */
  stop(index: number, signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  /** Starts node `index` again (same data directory); `recover`: its store was lost (`kaldrix start --recover`). */
  restart(index: number, options?: { readonly recover?: boolean }): void;
  /** Freezes node `index` (SIGSTOP: a paused VM, a process stopped in a debugger) until `resume`. */
  pause(index: number): void;
  resume(index: number): void;
  /** Exit codes of nodes that ended on their own (a crash), by name. */
  unexpectedExits(): ReadonlyMap<string, number | null>;
  stopAll(graceMs?: number): Promise<void>;
};

export type LaunchOptions = {
  /** Receives every output line, prefixed `[v<i>]`. Default: dropped. */
  readonly onLine?: (line: string) => void;
  readonly env?: Readonly<Record<string, string>>;
};

export function launchDevnet(manifest: DevnetManifest, options: LaunchOptions = {}): RunningDevnet {
  const children = new Map<number, ChildProcess>();
  const intentional = new Set<ChildProcess>();
  const crashed = new Map<string, number | null>();
  const paused = new Set<ChildProcess>();

  const startNode = (index: number, how: { readonly recover?: boolean } = {}): void => {
    const node = manifest.nodes[index];
    if (node === undefined) throw new RangeError(`devnet: no node ${index}`);
    const child = spawn(process.execPath, [KALDRIX_BIN, 'start', '--config', node.configPath, ...(how.recover === true ? ['--recover'] : [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The node stops by itself if this process dies without stopping it.
      env: { ...process.env, ...options.env, [PARENT_PID_ENV]: String(process.pid) },
    });
    children.set(index, child);
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') options.onLine?.(`[${node.name}] ${line}`);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.once('exit', (code) => {
      if (!intentional.has(child)) crashed.set(node.name, code);
    });
  };

  for (const node of manifest.nodes) startNode(node.index);

  const waitReady = async (timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set([...children.keys()]);
    while (pending.size > 0) {
      if (Date.now() > deadline) throw new Error(`devnet: not ready within ${timeoutMs} ms: ${[...pending].map((i) => manifest.nodes[i]?.name).join(', ')}`);
      for (const index of [...pending]) {
        const node = manifest.nodes[index];
        const response = await fetch(`${node?.apiUrl}/readyz`).catch(() => undefined);
        if (response?.status === 200) pending.delete(index);
      }
      if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  const stop = async (index: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<number | null> => {
    const child = children.get(index);
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    intentional.add(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    // A paused node handles its signal only once it runs again.
    if (paused.delete(child)) child.kill('SIGCONT');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    children.delete(index);
    return code;
  };

  return {
    manifest,
    waitReady,
    stop,
    restart: startNode,
    pause(index) {
      const child = children.get(index);
      if (child === undefined) throw new RangeError(`devnet: node ${index} is not running`);
      paused.add(child);
      child.kill('SIGSTOP');
    },
    resume(index) {
      const child = children.get(index);
      if (child === undefined) throw new RangeError(`devnet: node ${index} is not running`);
      paused.delete(child);
      child.kill('SIGCONT');
    },
    unexpectedExits: () => crashed,
    async stopAll(graceMs = 10_000) {
      await Promise.all([...children.keys()].map((i) => stop(i, 'SIGTERM', graceMs)));
    },
  };
}
