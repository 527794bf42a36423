import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { findEntryChunks, initialJsSize, initialScriptPaths, staticClosureSize, staticImportsOf } from './_browserBundle.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dist(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kaldrix-dist-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const gz = (text: string): number => gzipSync(Buffer.from(text), { level: 9 }).length;

describe('initialScriptPaths', () => {
  it('takes module scripts and modulepreload links in document order, whatever the attribute order', () => {
    const html = `<head>
      <script type="module" crossorigin src="/assets/index-A.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/vendor-B.js">
      <link crossorigin href='/assets/shared-C.js' rel='modulepreload'>
      <link rel="stylesheet" href="/assets/index-D.css">
      <script src="/legacy.js"></script>
      <script type="module" src="https://cdn.example/x.js"></script>
    </head>`;
    expect(initialScriptPaths(html)).toEqual(['assets/index-A.js', 'assets/vendor-B.js', 'assets/shared-C.js']);
  });
});

describe('staticImportsOf', () => {
  it('finds minified static imports and re-exports but not dynamic imports', () => {
    const code = 'import{a as b}from"./rt-1.js";import"./side-2.js";export{c}from"../up-3.js";const l=()=>import(`./lazy-4.js`);';
    expect(staticImportsOf('assets/main.js', code).sort()).toEqual(['assets/rt-1.js', 'assets/side-2.js', 'up-3.js']);
  });
});

describe('initialJsSize', () => {
  it('sums gzip -9 sizes of the entry, its preloads and their static imports, each once', () => {
    const entry = 'import{x}from"./shared-S.js";console.log(x, "entry entry entry");import(`./lazy-L.js`);';
    const preload = 'import{y}from"./shared-S.js";export const z=y;';
    const shared = 'export const x=1,y=2;';
    const dir = dist({
      'index.html': '<script type="module" src="/assets/entry-E.js"></script><link rel="modulepreload" href="/assets/pre-P.js">',
      'assets/entry-E.js': entry,
      'assets/pre-P.js': preload,
      'assets/shared-S.js': shared,
      'assets/lazy-L.js': 'export const never = "counted";'.repeat(100),
    });
    const size = initialJsSize(dir);
    expect(size.ok).toBe(true);
    if (!size.ok) return;
    expect(size.value.files.map((f) => f.path)).toEqual(['assets/entry-E.js', 'assets/pre-P.js', 'assets/shared-S.js']);
    expect(size.value.gzipBytes).toBe(gz(entry) + gz(preload) + gz(shared));
    expect(size.value.bytes).toBe(entry.length + preload.length + shared.length);
    expect(size.value.listedInHtml).toBe(2);
  });

  it('reports a missing index.html, a page without scripts and a dangling reference as values', () => {
    expect(initialJsSize(dist({})).ok).toBe(false);
    const noScript = initialJsSize(dist({ 'index.html': '<p>hi</p>' }));
    expect(noScript.ok ? undefined : noScript.error.code).toBe('NO_ENTRY_SCRIPT');
    const dangling = initialJsSize(dist({ 'index.html': '<script type="module" src="/assets/gone.js"></script>' }));
    expect(dangling.ok ? undefined : dangling.error.code).toBe('MISSING_FILE');
    const outside = staticClosureSize(dist({ 'index.html': '' }), ['../../etc/passwd']);
    expect(outside.ok ? undefined : outside.error.code).toBe('OUTSIDE_DIST');
  });
});

describe('findEntryChunks', () => {
  it('finds a worker entry chunk by its name and hash, not a chunk whose name merely starts alike', () => {
    const dir = dist({ 'assets/light.worker-Ab_9x.js': '', 'assets/light.workers-Z.js': '', 'assets/sim.worker-Q.js': '' });
    expect(findEntryChunks(dir, 'light.worker')).toEqual(['assets/light.worker-Ab_9x.js']);
    expect(findEntryChunks(dir, 'wallet.worker')).toEqual([]);
  });
});
