// `kaldrix devnet` as a script sees it (issue #7 CLI): one JSON line per node on stdout, then a
// ready line; and the nodes do not outlive a devnet process that was killed without a chance to
// stop them (SIGKILL): each node watches its parent and stops by itself.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const VALIDATORS = 4;
const BASE_PORT = 28_400;
const READY_TIMEOUT_MS = 180_000;
/** A node checks its parent once a second, then stops gracefully (a few seconds). */
const ORPHAN_STOP_TIMEOUT_MS = 30_000;

type NodeLine = { node: string; peerId: string; address: string; api: string; multiaddrs: string[] };

const answers = async (url: string): Promise<boolean> => {
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
  await response?.arrayBuffer();
  return response !== undefined;
};

describe('kaldrix devnet, as a script uses it', () => {
  let dir = '';
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON line per node and a ready line; SIGKILLed, it leaves no node running', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kaldrix-devnet-cli-'));
    const child = spawn(process.execPath, ['bin/kaldrix.mjs', 'devnet', '--validators', String(VALIDATORS), '--users', '1', '--data', dir, '--base-port', String(BASE_PORT)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk.toString('utf8'));
      stderr.splice(0, Math.max(0, stderr.length - 50));
    });
    const stdout = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`not ready within ${READY_TIMEOUT_MS} ms:\n${stderr.join('')}`)), READY_TIMEOUT_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('"ready":true')) {
          clearTimeout(timer);
          resolve(out);
        }
      });
      child.once('exit', (code) => reject(new Error(`the devnet exited (${code}):\n${stderr.join('')}`)));
    });
    try {
      const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines[lines.length - 1]).toEqual({ ready: true, manifest: join(dir, 'devnet.json') });
      const nodes = lines.slice(0, -1) as NodeLine[];
      expect(nodes.map((n) => n.node)).toEqual(['v0', 'v1', 'v2', 'v3']);
      for (const [i, n] of nodes.entries()) {
        expect(n.api).toBe(`http://127.0.0.1:${BASE_PORT + 10 * i + 2}`);
        expect(n.multiaddrs).toEqual([`/ip4/127.0.0.1/tcp/${BASE_PORT + 10 * i}/p2p/${n.peerId}`, `/ip4/127.0.0.1/tcp/${BASE_PORT + 10 * i + 1}/ws/p2p/${n.peerId}`]);
        expect(n.address).toMatch(/^kdx1/);
        expect(await answers(n.api)).toBe(true);
      }
      child.kill('SIGKILL');
      const deadline = Date.now() + ORPHAN_STOP_TIMEOUT_MS;
      let running = nodes.map((n) => n.api);
      while (running.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const still = await Promise.all(running.map(async (url) => ((await answers(url)) ? url : undefined)));
        running = still.filter((url): url is string => url !== undefined);
      }
      expect(running, 'nodes still answering after their devnet was killed').toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
