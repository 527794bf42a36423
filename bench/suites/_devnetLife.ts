/**
 * A fresh devnet for one bench run: written to a temporary directory (infra/peer/devnet
 * files.ts) on a random free loopback port range, launched as real `kaldrix start` processes
 * (launch.ts), ready once every node commits and one checkpoint is certified; and stopped so that
 * nothing is left behind — SIGTERM, SIGKILL after a grace period, the directory removed, and a
 * `ps` scan for any process still naming the directory (an error when one is found).
 *
 * A SIGINT or SIGTERM to the bench while the devnet runs stops the devnet before the bench exits.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeDevnet, type DevnetManifest } from '../../infra/peer/devnet/files.ts';
import { launchDevnet, type RunningDevnet } from '../../infra/peer/devnet/launch.ts';
import { createApiClient } from './_devnetHttp.ts';

export type BenchDevnet = {
  readonly manifest: DevnetManifest;
  readonly devnet: RunningDevnet;
  /** The last output lines of every node (bounded), for a failure message. */
  recentLines(): readonly string[];
  /** Stops every node, removes the directory, and throws if a process naming it survived. */
  stop(): Promise<void>;
};

export type DevnetStartInit = {
  readonly validators: number;
  readonly users: number;
  /** Environment of the node processes on top of this one's (KALDRIX_<SECTION>_<KEY> settings). */
  readonly env: Readonly<Record<string, string>>;
  readonly progress: (line: string) => void;
};

/** Output lines kept for failure messages. */
const RECENT_LINES = 200;
/** Port ranges tried before giving up (each needs 10 × validators free ports). */
const PORT_ATTEMPTS = 20;
/**
 * Start-up bounds: four processes compile the peer under tsx at once, then dial each other; on
 * this shared 2-core machine under load the APIs came up after 65 s and all were ready at 75 s.
 */
const READY_TIMEOUT_MS = 240_000;
const FIRST_COMMITS_TIMEOUT_MS = 90_000;
/** Commits on every node (and one certificate) before the devnet counts as running. */
const FIRST_COMMITS = 5n;
const STOP_GRACE_MS = 10_000;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A base port whose 3 ports per validator (tcp, ws, api at +0, +1, +2 per 10) are free now. */
async function freeBasePort(validators: number): Promise<number> {
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const base = 20_000 + 10 * Math.floor(Math.random() * 3_000);
    const ports = Array.from({ length: validators }, (_, i) => [0, 1, 2].map((k) => base + 10 * i + k)).flat();
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error(`devnet bench: no free loopback port range after ${PORT_ATTEMPTS} tries`);
}

type StatusView = { lastCommitIndex?: string; lastCertifiedSequence?: string };
type ReadyView = { ready?: boolean; connectedPeers?: number };

/** Polls every node's /readyz until all are ready (bounded), with a progress line every few seconds. */
async function waitReady(manifest: DevnetManifest, progress: (line: string) => void): Promise<void> {
  const clients = manifest.nodes.map((n) => createApiClient(n.apiUrl, { submitSockets: 1, lookupSockets: 1, timeoutMs: 5_000 }));
  const started = Date.now();
  try {
    for (let poll = 0; ; poll++) {
      // /readyz answers 503 until ready: read the body whatever the status.
      const all = (await Promise.all(clients.map((c) => c.getJson('/readyz', { anyStatus: true })))) as (ReadyView | undefined)[];
      if (all.every((r) => r?.ready === true)) return;
      const states = all.map((r, i) => `v${i} ${r === undefined ? 'starting' : `${r.connectedPeers ?? 0} peers`}`).join(', ');
      if (Date.now() - started > READY_TIMEOUT_MS) throw new Error(`devnet bench: not ready within ${READY_TIMEOUT_MS} ms (${states})`);
      if (poll % 10 === 9) progress(`devnet: waiting for /readyz after ${((Date.now() - started) / 1000).toFixed(0)} s (${states})`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    for (const c of clients) c.close();
  }
}

async function waitFirstCommits(manifest: DevnetManifest, progress: (line: string) => void): Promise<void> {
  const clients = manifest.nodes.map((n) => createApiClient(n.apiUrl, { submitSockets: 1, lookupSockets: 1, timeoutMs: 5_000 }));
  try {
    const deadline = Date.now() + FIRST_COMMITS_TIMEOUT_MS;
    for (;;) {
      const all = (await Promise.all(clients.map((c) => c.getJson('/v1/status')))) as (StatusView | undefined)[];
      const commits = all.map((s) => BigInt(s?.lastCommitIndex ?? '0'));
      if (commits.every((c) => c >= FIRST_COMMITS) && all.every((s) => BigInt(s?.lastCertifiedSequence ?? '0') >= 1n)) return;
      if (Date.now() > deadline) throw new Error(`devnet bench: the devnet did not commit and certify within ${FIRST_COMMITS_TIMEOUT_MS} ms (commit indices ${commits.join(', ')})`);
      progress(`devnet: waiting for commits (indices ${commits.join(', ')})`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    for (const c of clients) c.close();
  }
}

/** Processes whose command line names `dir` (the nodes' config paths are inside it). */
async function processesNaming(dir: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'pid=,args=']);
  return stdout.split('\n').filter((line) => line.includes(dir));
}

export async function startBenchDevnet(init: DevnetStartInit): Promise<BenchDevnet> {
  const dir = await mkdtemp(join(tmpdir(), 'kaldrix-bench-devnet-'));
  const recent: string[] = [];
  let devnet: RunningDevnet | undefined;
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await devnet?.stopAll(STOP_GRACE_MS);
    await rm(dir, { recursive: true, force: true });
    const left = await processesNaming(dir);
    if (left.length > 0) throw new Error(`devnet bench: processes still running after the stop:\n${left.join('\n')}`);
  };
  function onSignal(signal: NodeJS.Signals): void {
    init.progress(`devnet: ${signal}: stopping the devnet`);
    void stop().finally(() => process.exit(130));
  }
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const basePort = await freeBasePort(init.validators);
    init.progress(`devnet: writing ${init.validators} validators and ${init.users} funded users to ${dir} (ports from ${basePort})`);
    const manifest = await writeDevnet({ dir, validators: init.validators, users: init.users, basePort, chainId: 'kaldrix-bench-devnet', genesisTimeMs: Date.now() });
    devnet = launchDevnet(manifest, {
      env: init.env,
      onLine: (line) => {
        recent.push(line);
        if (recent.length > RECENT_LINES) recent.shift();
      },
    });
    init.progress('devnet: waiting for /readyz on every node');
    await waitReady(manifest, init.progress);
    await waitFirstCommits(manifest, init.progress);
    init.progress('devnet: running (every node commits, a checkpoint is certified)');
    const running = devnet;
    return Object.freeze({ manifest, devnet: running, recentLines: () => [...recent], stop });
  } catch (cause) {
    await stop();
    if (recent.length > 0) init.progress(`devnet: last node output:\n${recent.slice(-20).join('\n')}`);
    throw cause;
  }
}
