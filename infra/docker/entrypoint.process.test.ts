// The container's entrypoint (`node bin/kaldrix.mjs start …`, infra/docker/Dockerfile) run as a
// plain process, as the container would run it: it starts, `/healthz` answers 200 (the
// HEALTHCHECK's probe), and SIGTERM (the container's STOPSIGNAL) stops it cleanly — exit 0 —
// within a bound. A single-validator chain, so it commits on its own.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDevnet } from '../peer/devnet/files.ts';

const KALDRIX_BIN = fileURLToPath(new URL('../../bin/kaldrix.mjs', import.meta.url));
const DOCKERFILE = fileURLToPath(new URL('./Dockerfile', import.meta.url));
/** The Dockerfile's ENTRYPOINT must be the command this test runs. */
const ENTRYPOINT = '["node", "bin/kaldrix.mjs", "start"]';
const STOP_BOUND_MS = 15_000;

describe('the container entrypoint as a plain process', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('starts, answers /healthz, commits, and exits 0 on SIGTERM within the bound', async () => {
    expect(await readFile(DOCKERFILE, 'utf8')).toContain(`ENTRYPOINT ${ENTRYPOINT}`);
    dir = await mkdtemp(join(tmpdir(), 'kaldrix-entrypoint-'));
    const basePort = 31_000 + Math.floor(Math.random() * 100) * 10;
    const manifest = await writeDevnet({ dir, validators: 1, users: 1, basePort, chainId: 'kaldrix-entrypoint', genesisTimeMs: Date.now() });
    const node = manifest.nodes[0];
    if (node === undefined) throw new Error('no node');
    const child = spawn(process.execPath, [KALDRIX_BIN, 'start', '--config', node.configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 120_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && child.exitCode === null) {
        const response = await fetch(`${node.apiUrl}/healthz`).catch(() => undefined);
        healthy = response?.status === 200;
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(healthy, output).toBe(true);
      // One validator is its own quorum: it commits alone.
      const commitDeadline = Date.now() + 60_000;
      let commits = 0n;
      while (commits < 3n && Date.now() < commitDeadline) {
        const status = (await (await fetch(`${node.apiUrl}/v1/status`)).json()) as { lastCommitIndex: string };
        commits = BigInt(status.lastCommitIndex);
        if (commits < 3n) await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(commits).toBeGreaterThanOrEqual(3n);
      const stopStarted = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_BOUND_MS))]);
      expect(code, output).toBe(0);
      expect(Date.now() - stopStarted).toBeLessThan(STOP_BOUND_MS);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 240_000);
});
