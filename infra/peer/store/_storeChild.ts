/**
 * A second process for the store tests (run as `node --import tsx _storeChild.ts <mode> <dir>`):
 * - `open`: tries to open the store and prints the outcome as one JSON line, then exits;
 * - `append`: appends commits 0, 1, 2, … (bounded) and prints `acked <index>` after each write
 *   resolved, until the parent kills it with SIGKILL.
 * Commit i's bytes are `commitBytes(i)`, so the parent can tell a torn or foreign entry.
 */
import { openPeerStore } from './levelStore.ts';
import { commitBytes } from './_testCommits.ts';

/** Bound of the append loop: the parent kills long before; an orphan still stops. */
const MAX_APPENDS = 20_000;

const [mode, dir] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: _storeChild.ts open|append <dir>');
const opened = await openPeerStore(dir);
if (mode === 'open') {
  process.stdout.write(`${JSON.stringify(opened.ok ? { ok: true } : opened.error)}\n`);
  if (opened.ok) await opened.value.close();
} else {
  if (!opened.ok) throw new Error(`cannot open: ${opened.error.code}`);
  const store = opened.value;
  const start = (store.lastCommitIndex() ?? -1n) + 1n;
  for (let i = start; i < start + BigInt(MAX_APPENDS); i++) {
    await store.appendCommit(i, i / 100n, commitBytes(i));
    process.stdout.write(`acked ${i}\n`);
  }
  await store.close();
}
