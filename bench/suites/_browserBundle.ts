/**
 * What the built app makes a browser download (DESIGN.md §4: "the first page of the app under
 * 250 KB of gzipped JS"; issue #8: the light-client worker's size), read from dist/ without a
 * browser.
 *
 * The first page is the entry script and the modulepreload links of dist/index.html, plus any
 * chunk those import statically (Vite lists them as modulepreload links; following the imports
 * too guards against a build that does not). A worker is its chunk plus the chunks it imports
 * statically. Sizes are gzip level 9 of each file, summed: what a static host serving
 * pre-compressed files sends (brotli would be smaller; level 9 is the stricter figure).
 *
 * Caveat: static imports are found by matching `from"./x.js"` and `import"./x.js"` in the
 * minified output (Rolldown's ES chunk form); dynamic `import(…)` is lazy and not counted.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export type BundleFile = { readonly path: string; readonly bytes: number; readonly gzipBytes: number };
export type BundleSize = { readonly files: readonly BundleFile[]; readonly bytes: number; readonly gzipBytes: number };

export type BundleError = { readonly code: 'NO_INDEX_HTML' | 'NO_ENTRY_SCRIPT' | 'MISSING_FILE' | 'OUTSIDE_DIST'; readonly message: string };
export type BundleResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BundleError };

/** Chunks followed through static imports at most: a bound far above any real app's graph. */
const MAX_CHUNKS = 1_000;

const ATTRIBUTE = /([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
const TAG = /<(script|link)\b([^>]*)>/gi;
const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g;

function attributesOf(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const m of text.matchAll(ATTRIBUTE)) attributes.set((m[1] as string).toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
  return attributes;
}

/**
 * Paths (relative to dist/, POSIX) of the scripts index.html loads up front: module scripts
 * with a src and modulepreload links, in document order. External URLs are not ours to count.
 */
export function initialScriptPaths(indexHtml: string): string[] {
  const paths: string[] = [];
  for (const tag of indexHtml.matchAll(TAG)) {
    const attributes = attributesOf(tag[2] as string);
    const isScript = (tag[1] as string).toLowerCase() === 'script' && attributes.get('type') === 'module';
    const isPreload = (tag[1] as string).toLowerCase() === 'link' && (attributes.get('rel') ?? '').split(/\s+/).includes('modulepreload');
    const url = isScript ? attributes.get('src') : isPreload ? attributes.get('href') : undefined;
    if (url === undefined || url === '' || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) continue;
    const path = posix.normalize(url.replace(/[?#].*$/, '').replace(/^\/+/, ''));
    if (!paths.includes(path)) paths.push(path);
  }
  return paths;
}

/** The chunks a chunk imports statically, as dist-relative paths. */
export function staticImportsOf(chunkPath: string, code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(STATIC_IMPORT)) found.add(posix.normalize(posix.join(posix.dirname(chunkPath), m[1] as string)));
  return [...found];
}

function readInside(distDir: string, path: string): BundleResult<Buffer> {
  const full = resolve(distDir, path);
  const rel = relative(resolve(distDir), full);
  if (rel.startsWith('..') || isAbsolute(rel)) return { ok: false, error: { code: 'OUTSIDE_DIST', message: `${path} points outside dist/` } };
  if (!existsSync(full)) return { ok: false, error: { code: 'MISSING_FILE', message: `${path} is referenced but not in dist/` } };
  return { ok: true, value: readFileSync(full) };
}

/** Sizes of `roots` and every chunk they import statically, each file counted once. */
export function staticClosureSize(distDir: string, roots: readonly string[]): BundleResult<BundleSize> {
  const queue = [...roots];
  const seen = new Set<string>(roots);
  const files: BundleFile[] = [];
  while (queue.length > 0) {
    if (files.length >= MAX_CHUNKS) throw new Error(`staticClosureSize: more than ${MAX_CHUNKS} chunks; a cycle the seen-set missed?`);
    const path = queue.shift() as string;
    const read = readInside(distDir, path);
    if (!read.ok) return read;
    files.push({ path, bytes: read.value.length, gzipBytes: gzipSync(read.value, { level: 9 }).length });
    if (!path.endsWith('.js')) continue;
    for (const imported of staticImportsOf(path, read.value.toString('utf8'))) {
      if (seen.has(imported)) continue;
      seen.add(imported);
      queue.push(imported);
    }
  }
  return { ok: true, value: { files, bytes: sum(files, (f) => f.bytes), gzipBytes: sum(files, (f) => f.gzipBytes) } };
}

/** The first page's JavaScript: index.html's scripts and preloads and their static imports. */
export function initialJsSize(distDir: string): BundleResult<BundleSize & { readonly listedInHtml: number }> {
  const indexPath = join(distDir, 'index.html');
  if (!existsSync(indexPath)) return { ok: false, error: { code: 'NO_INDEX_HTML', message: `${indexPath} does not exist` } };
  const listed = initialScriptPaths(readFileSync(indexPath, 'utf8')).filter((p) => p.endsWith('.js'));
  if (listed.length === 0) return { ok: false, error: { code: 'NO_ENTRY_SCRIPT', message: 'dist/index.html has no module script' } };
  const size = staticClosureSize(distDir, listed);
  return size.ok ? { ok: true, value: { ...size.value, listedInHtml: listed.length } } : size;
}

/**
 * The chunk Vite emitted for a worker entry (`light.worker.ts` → `assets/light.worker-<hash>.js`),
 * or undefined when the build has none. Several matches (a stale dist/) are a caller's problem:
 * all are returned, newest name order.
 */
export function findEntryChunks(distDir: string, entryName: string): string[] {
  const assets = join(distDir, 'assets');
  if (!existsSync(assets)) return [];
  const escaped = entryName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}-[\\w-]+\\.js$`);
  return readdirSync(assets).filter((name) => pattern.test(name)).sort().map((name) => `assets/${name}`);
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
