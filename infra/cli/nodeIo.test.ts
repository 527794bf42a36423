import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeIo } from './nodeIo.ts';

describe('createNodeIo files', () => {
  const io = createNodeIo();
  const bytes = (s: string) => new TextEncoder().encode(s);
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kaldrix-io-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates exclusively with the requested mode and refuses an existing path', async () => {
    const path = join(dir, 'a.json');
    expect((await io.writeFile(path, bytes('one'), { exclusive: true, mode: 0o600 })).ok).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const again = await io.writeFile(path, bytes('two'), { exclusive: true, mode: 0o600 });
    expect(!again.ok && again.error.code).toBe('exists');
    expect(await readFile(path, 'utf8')).toBe('one');
  });

  it('replaces atomically, with the new mode even over a looser old file, leaving no temporary file', async () => {
    const path = join(dir, 'b.json');
    await writeFile(path, 'old');
    await chmod(path, 0o644);
    expect((await io.writeFile(path, bytes('new'), { exclusive: false, mode: 0o600 })).ok).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((f) => f.startsWith('b.json'))).toEqual(['b.json']);
  });

  it('reports missing files and directories as values', async () => {
    const missing = await io.readFile(join(dir, 'nope'));
    expect(!missing.ok && missing.error.code).toBe('not-found');
    const noDir = await io.writeFile(join(dir, 'no', 'x'), bytes('x'), { exclusive: true, mode: 0o600 });
    expect(!noDir.ok && noDir.error.code).toBe('not-found');
    const isDir = await io.readFile(dir);
    expect(!isDir.ok && isDir.error.code).toBe('is-directory');
  });

  it('reads back plain Uint8Arrays and draws fresh random bytes', async () => {
    const read = await io.readFile(join(dir, 'a.json'));
    expect(read.ok && Object.getPrototypeOf(read.value)).toBe(Uint8Array.prototype);
    const a = io.randomBytes(32);
    expect(Object.getPrototypeOf(a)).toBe(Uint8Array.prototype);
    expect(a).not.toEqual(io.randomBytes(32));
  });

  it('never sets the test-only scrypt override', () => {
    expect(io.testScryptN).toBeUndefined();
  });
});
