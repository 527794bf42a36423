import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Certificate } from '../../../core/consensus/certificate.ts';
import { commitBytes } from './_testCommits.ts';
import { openPeerStore, type LevelPeerStore } from './index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const child = join(here, '_storeChild.ts');

const dirs: string[] = [];
const open: LevelPeerStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kaldrix-store-'));
  dirs.push(d);
  return d;
}
async function openStore(dir: string): Promise<LevelPeerStore> {
  const r = await openPeerStore(dir);
  if (!r.ok) throw new Error(`open failed: ${r.error.code}`);
  open.push(r.value);
  return r.value;
}
async function reopen(store: LevelPeerStore): Promise<LevelPeerStore> {
  await store.close();
  open.splice(open.indexOf(store), 1);
  return openStore(store.dataDir);
}
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
/** A certificate as far as the store reads it: the checkpoint's epoch, sequence and next committee. */
const cert = (epoch: bigint, sequence: bigint, endsEpoch: boolean): Certificate =>
  ({ checkpoint: { epoch, sequence, nextCommittee: endsEpoch ? [] : undefined } }) as unknown as Certificate;

describe('openPeerStore', () => {
  it('creates the directory and reopens what it wrote', async () => {
    const dir = join(tempDir(), 'nested', 'data');
    const store = await openStore(dir);
    await store.putDurable('peer/key', bytes(1, 2, 3));
    const again = await reopen(store);
    expect(await again.get('peer/key')).toEqual(bytes(1, 2, 3));
    expect(await again.get('peer/none')).toBeUndefined();
  });

  it('returns plain Uint8Arrays, not Buffer views', async () => {
    const store = await openStore(tempDir());
    await store.putDurable('x', bytes(9));
    const value = await store.get('x');
    expect(value?.constructor).toBe(Uint8Array);
  });

  it('refuses a second open of the same directory in this process with LOCKED naming the directory', async () => {
    const dir = tempDir();
    await openStore(dir);
    const second = await openPeerStore(dir);
    expect(second).toEqual({ ok: false, error: { code: 'LOCKED', dir } });
  });

  it('refuses an open from a second process while the first holds the lock, and allows it after close', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const run = (): unknown => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', child, 'open', dir], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim());
    };
    expect(run()).toEqual({ code: 'LOCKED', dir });
    await store.close();
    open.splice(0);
    expect(run()).toEqual({ ok: true });
  });

  it('reports IO_ERROR when the path is a file', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const r = await openPeerStore(file);
    expect(r.ok ? 'opened' : r.error.code).toBe('IO_ERROR');
  });
});

describe('keys and batches', () => {
  it('orders own vertices numerically (core names them in decimal) and finds the newest', async () => {
    const store = await openStore(tempDir());
    for (const [epoch, round] of [[0, 9], [0, 10], [1, 2], [0, 100]] as const) await store.putDurable(`own-vertex/${epoch}/${round}`, bytes(epoch, round));
    expect(await store.keys('own-vertex/', 10)).toEqual(['own-vertex/0/9', 'own-vertex/0/10', 'own-vertex/0/100', 'own-vertex/1/2']);
    expect(await store.keys('own-vertex/0/', 2)).toEqual(['own-vertex/0/9', 'own-vertex/0/10']);
    expect(await store.get('own-vertex/0/100')).toEqual(bytes(0, 100));
    expect(await store.latestOwnVertex()).toEqual({ epoch: 1n, round: 2, bytes: bytes(1, 2) });
  });

  it('applies a batch of puts and deletes together', async () => {
    const store = await openStore(tempDir());
    await store.batch([{ key: 'a', bytes: bytes(1) }, { key: 'b', bytes: bytes(2) }], []);
    await store.batch([{ key: 'c', bytes: bytes(3) }], ['a']);
    expect(await store.keys('', 10)).toEqual(['b', 'c', 'meta/format']);
  });

  it('rejects a batch as a whole when one key is bad: nothing of it lands', async () => {
    const store = await openStore(tempDir());
    await expect(store.batch([{ key: 'ok', bytes: bytes(1) }, { key: 'commit/0000000000000001', bytes: bytes(2) }], [])).rejects.toThrow(RangeError);
    expect(await store.get('ok')).toBeUndefined();
  });

  it('keeps its own namespaces and malformed own-vertex keys away from callers (bugs throw)', async () => {
    const store = await openStore(tempDir());
    await expect(store.putDurable('meta/format', bytes(2))).rejects.toThrow(/only the store writes/);
    await expect(store.putDurable('own-vertex/x/1', bytes(2))).rejects.toThrow(RangeError);
    await expect(store.keys('own-vertex/1', 5)).rejects.toThrow(RangeError);
    await expect(store.keys('', 0)).rejects.toThrow(RangeError);
  });
});

describe('commits and certificates', () => {
  it('appends commits in order, reads them with their epochs, and resumes the index after reopening', async () => {
    let store = await openStore(tempDir());
    for (let i = 0n; i < 5n; i++) await store.appendCommit(i, i / 2n, commitBytes(i));
    store = await reopen(store);
    expect(store.lastCommitIndex()).toBe(4n);
    const got = await store.commitsFrom(2n, 2);
    expect(got.map((c) => [c.index, c.epoch])).toEqual([[2n, 1n], [3n, 1n]]);
    expect(got[0]?.encoded).toEqual(commitBytes(2n));
    await store.appendCommit(5n, 2n, commitBytes(5n));
    expect(store.lastCommitIndex()).toBe(5n);
  });

  it('refuses a gap (a runtime bug), accepts a replay of the same commit, refuses a different one', async () => {
    const store = await openStore(tempDir());
    await store.appendCommit(0n, 0n, commitBytes(0n));
    await store.appendCommit(1n, 0n, commitBytes(1n));
    await expect(store.appendCommit(3n, 0n, commitBytes(3n))).rejects.toThrow(RangeError);
    await store.appendCommit(1n, 0n, commitBytes(1n));
    await expect(store.appendCommit(1n, 0n, commitBytes(7n))).rejects.toThrow(/different content/);
    expect(store.lastCommitIndex()).toBe(1n);
  });

  it('prunes commits below the watermark atomically, remembers the floor, and keeps appending', async () => {
    let store = await openStore(tempDir());
    for (let i = 0n; i < 10n; i++) await store.appendCommit(i, 0n, commitBytes(i));
    expect(await store.pruneCommitsBelow(6n)).toBe(6);
    expect((await store.commitsFrom(0n, 100)).map((c) => c.index)).toEqual([6n, 7n, 8n, 9n]);
    expect(await store.pruneCommitsBelow(6n)).toBe(0);
    await expect(store.pruneCommitsBelow(12n)).rejects.toThrow(RangeError);
    expect(await store.pruneCommitsBelow(10n)).toBe(4);
    store = await reopen(store);
    expect(store.commitFloor()).toBe(10n);
    expect(store.lastCommitIndex()).toBe(9n);
    await store.appendCommit(10n, 0n, commitBytes(10n));
    expect((await store.commitsFrom(0n, 100)).map((c) => c.index)).toEqual([10n]);
  });

  it('skips to a commit beyond what it holds (state sync): drops the commits below, continues there, across a reopen', async () => {
    let store = await openStore(tempDir());
    for (let i = 0n; i < 5n; i++) await store.appendCommit(i, 0n, commitBytes(i));
    await expect(store.skipCommitsTo(4n)).rejects.toThrow(/already held/);
    expect(await store.skipCommitsTo(100n)).toBe(5);
    await expect(store.appendCommit(99n, 0n, commitBytes(99n))).resolves.toBeUndefined();
    store = await reopen(store);
    expect([store.commitFloor(), store.lastCommitIndex()]).toEqual([100n, 99n]);
    await expect(store.appendCommit(101n, 0n, commitBytes(101n))).rejects.toThrow(/does not follow 99/);
    await store.appendCommit(100n, 0n, commitBytes(100n));
    expect((await store.commitsFrom(0n, 100)).map((c) => c.index)).toEqual([100n]);
    // An empty store skips too.
    const empty = await openStore(tempDir());
    expect(await empty.skipCommitsTo(7n)).toBe(0);
    expect(empty.lastCommitIndex()).toBe(6n);
  });

  it('prunes more commits than one batch holds, batch by batch', async () => {
    const dir = tempDir();
    const r = await openPeerStore(dir, { pruneBatchKeys: 4 });
    if (!r.ok) throw new Error(r.error.code);
    open.push(r.value);
    // Not awaited one by one: the store applies appends in call order.
    await Promise.all(Array.from({ length: 11 }, (_, i) => r.value.appendCommit(BigInt(i), 0n, bytes(i))));
    expect(await r.value.pruneCommitsBelow(10n)).toBe(10);
    expect(r.value.commitFloor()).toBe(10n);
    expect((await r.value.commitsFrom(0n, 10)).map((c) => [c.index, c.encoded[0]])).toEqual([[10n, 10]]);
  });

  it('stores certificates by sequence and keeps end-of-epoch ones through pruning', async () => {
    const store = await openStore(tempDir());
    for (let s = 1n; s <= 6n; s++) await store.putCertificate(cert(s <= 3n ? 0n : 1n, s, s === 3n), bytes(Number(s)));
    expect(await store.certificatesFrom(2n, 2)).toEqual([bytes(2), bytes(3)]);
    expect(await store.certificatesBefore(undefined, 2)).toEqual([bytes(6), bytes(5)]);
    expect(await store.certificatesBefore(3n, 5)).toEqual([bytes(2), bytes(1)]);
    expect(await store.pruneCertificatesBelow(5n)).toBe(3);
    expect(await store.certificatesFrom(0n, 10)).toEqual([bytes(3), bytes(5), bytes(6)]);
    expect(await store.epochCertificatesFrom(0n, 10)).toEqual([bytes(3)]);
    expect(await store.epochCertificatesFrom(1n, 10)).toEqual([]);
  });
});

describe('resume points', () => {
  async function* piecesOf(...pieces: Uint8Array[]): AsyncGenerator<Uint8Array> {
    for (const p of pieces) yield p;
  }
  const write = (sequence: bigint, ...pieces: Uint8Array[]) => ({ sequence, point: bytes(Number(sequence)), state: piecesOf(...pieces) });

  it('streams the state in pieces, keeps the newest two, reads them newest first, across a reopen', async () => {
    let store = await openStore(tempDir());
    expect(await store.snapshots()).toEqual([]);
    expect(await store.putSnapshot(write(4n, bytes(4, 4)))).toBe(2);
    // More pieces than one batch holds, read back in order.
    const many = Array.from({ length: 20 }, (_, i) => bytes(i, i + 1));
    await store.putSnapshot(write(9n, ...many));
    await store.putSnapshot(write(15n, bytes(15), bytes(16, 17)));
    store = await reopen(store);
    const held = await store.snapshots();
    expect(held.map((s) => [s.sequence, s.point])).toEqual([[15n, bytes(15)], [9n, bytes(9)]]);
    expect(await held[0]?.readState()).toEqual(bytes(15, 16, 17));
    expect(await held[1]?.readState()).toEqual(Uint8Array.from(many.flatMap((p) => [...p])));
    // Rewriting the newest replaces it whole (no stale piece survives) and keeps the one before.
    await store.putSnapshot({ sequence: 15n, point: bytes(1), state: piecesOf(bytes(2)) });
    const again = await store.snapshots();
    expect(again.map((s) => [s.sequence, s.point])).toEqual([[15n, bytes(1)], [9n, bytes(9)]]);
    expect(await again[0]?.readState()).toEqual(bytes(2));
    // Piece by piece, as state sync serves them.
    expect(await held[1]?.statePieces()).toBe(20);
    expect(await held[1]?.readStatePiece(3)).toEqual(many[3]);
    expect(await held[1]?.readStatePiece(20)).toBeUndefined();
    // Their namespace is the store's own.
    await expect(store.putDurable('snapshot/0000000000000001/point', bytes(1))).rejects.toThrow(/only the store writes/);
  });

  it('a write cut short leaves no point, and the next write clears its pieces', async () => {
    let store = await openStore(tempDir());
    await store.putSnapshot(write(3n, bytes(3)));
    async function* failing(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 12; i++) yield bytes(i);
      throw new Error('disk full');
    }
    await expect(store.putSnapshot({ sequence: 7n, point: bytes(7), state: failing() })).rejects.toThrow('disk full');
    store = await reopen(store);
    expect((await store.snapshots()).map((s) => s.sequence)).toEqual([3n]);
    await store.putSnapshot(write(8n, bytes(8)));
    expect((await store.snapshots()).map((s) => s.sequence)).toEqual([8n, 3n]);
    // The orphaned pieces of 7 are gone.
    expect(await store.keys('snapshot/0000000000000007/', 100)).toEqual([]);
  });
});

describe('SIGKILL', () => {
  /** Acknowledged appends to wait for before each kill: enough to be mid-way in a busy loop. */
  const ACKS_BEFORE_KILL = 150;
  const KILLS = 3;

  /** Runs the appending child until it has acknowledged `acks` more commits, then SIGKILLs it; returns the last acked index. */
  function appendThenKill(dir: string, acks: number): Promise<bigint> {
    return new Promise((resolve, reject) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, 'append', dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let seen = 0;
      let last = -1n;
      let buffered = '';
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          last = BigInt(line.replace('acked ', ''));
          if (++seen === acks) proc.kill('SIGKILL');
        }
      });
      proc.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`child exited ${code}: ${stderr}`))));
    });
  }

  it('every acknowledged commit survives, as a contiguous prefix with no torn entry', async () => {
    const dir = tempDir();
    for (let kill = 0; kill < KILLS; kill++) {
      const lastAcked = await appendThenKill(dir, ACKS_BEFORE_KILL);
      const store = await openStore(dir);
      const last = store.lastCommitIndex();
      expect(last).toBeDefined();
      expect(last as bigint).toBeGreaterThanOrEqual(lastAcked);
      const commits = await store.commitsFrom(0n, 100_000);
      expect(commits.map((c) => c.index)).toEqual(Array.from({ length: commits.length }, (_, i) => BigInt(i)));
      expect(commits.length).toBe(Number(last) + 1);
      for (const c of commits) {
        expect(c.encoded).toEqual(commitBytes(c.index));
        expect(c.epoch).toBe(c.index / 100n);
      }
      await store.close();
      open.splice(0);
    }
  });
});
