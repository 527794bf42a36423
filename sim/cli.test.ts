// The command line as a user meets it: a subprocess, its exit status and its output.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
type Outcome = { code: number; stdout: string; stderr: string };

function sim(args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'sim/cli.ts', ...args], { cwd: root, timeout: 280_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const WALL_FIELDS = ['wallSeconds', 'eventsPerWallSecond', 'virtualPerWall'];
const withoutWall = (json: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(json).filter(([k]) => !WALL_FIELDS.includes(k)));

// Subprocesses start tsx and the crypto backends: slow on a loaded machine, so generous bounds.
describe('npm run sim', { timeout: 300_000 }, () => {
  it('--help lists the flags and exits 0', async () => {
    const out = await sim(['--help']);
    expect(out.code).toBe(0);
    for (const flag of ['--validators', '--byzantine', '--crashed', '--faults', '--latency-ms', '--loss', '--partition', '--tps', '--duration', '--seed', '--crypto', '--json', '--scenario']) expect(out.stdout).toContain(flag);
  });

  it('a bad flag or value exits 2 naming it', async () => {
    const unknown = await sim(['--nodes', '4']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--nodes');
    const crypto = await sim(['--crypto', 'fast']);
    expect(crypto.code).toBe(2);
    expect(crypto.stderr).toContain('real or modeled');
    const partition = await sim(['--validators', '4', '--partition', '0-9']);
    expect(partition.code).toBe(2);
    expect(partition.stderr).toContain('--partition');
  });

  it('--json prints one object with the contract fields; the same seed prints it again byte for byte', async () => {
    const args = ['--validators', '4', '--byzantine', '1', '--duration', '3', '--crypto', 'modeled', '--tps', '20', '--seed', '3', '--json'];
    const [a, b, c] = await Promise.all([sim(args), sim(args), sim([...args.slice(0, -3), '--seed', '4', '--json'])]);
    expect(a.code).toBe(0);
    const json = JSON.parse(a.stdout) as Record<string, unknown>;
    for (const key of ['inputs', 'safety', 'committedHeights', 'committedTxs', 'finalityMs', 'viewChanges', 'evidence', 'wallSeconds', 'virtualSeconds', 'verdict', 'seed', 'digest', 'commitDigest']) expect(json).toHaveProperty(key);
    expect(json.safety).toEqual({ violations: [] });
    expect(json.verdict).toBe('pass');
    expect((json.evidence as { offenders: number[] }).offenders).toEqual([3]);
    expect(withoutWall(JSON.parse(b.stdout) as Record<string, unknown>)).toEqual(withoutWall(json));
    expect((JSON.parse(c.stdout) as { digest: string }).digest).not.toBe(json.digest);
  });
});
