/**
 * The store's resume points: a validator resume point and its ledger's state snapshot, under
 * `snapshot/<sequence>/` (keys.ts), newest first on read.
 *
 * The state of a large ledger is big (100,000 accounts with keys on record: ≈ 134 MiB), so it is
 * written in pieces (`state/<index>`) as they are encoded, and read back only for the point a
 * restart actually uses. The point's own key is written last, in the fsynced batch that also
 * drops older points: a point is complete exactly when that key exists, and a write cut short
 * (SIGKILL, a full disk) leaves only pieces, which the next write deletes.
 *
 * Why two and not one: a restart tries the newest and falls back to the one before if the
 * newest cannot be used (it does not decode, its certificate does not verify), and the commits
 * after the older one are kept for that (the runtime prunes below it).
 */
import type { ClassicLevel } from 'classic-level';
import { SNAPSHOT_PREFIX, prefixEnd, snapshotKey, snapshotPrefix, snapshotStateKey, snapshotStatePrefix } from './keys.ts';

type Db = ClassicLevel<string, Uint8Array>;

/** Resume points kept: the newest and one to fall back to. */
export const KEPT_SNAPSHOTS = 2;
/** Pieces written per (unsynced) batch while the state streams in. */
const PIECES_PER_BATCH = 8;

export type SnapshotWrite = {
  readonly sequence: bigint;
  readonly point: Uint8Array;
  /** The state snapshot's bytes in order (core/state `stateSnapshotChunks`), produced as they are written. */
  readonly state: AsyncIterable<Uint8Array>;
};

export type StoredSnapshot = {
  readonly sequence: bigint;
  readonly point: Uint8Array;
  /** The state snapshot, read on demand (it may be large). */
  readState(): Promise<Uint8Array>;
  /** How many pieces the state was written in, and one of them (state sync serves them one by one). */
  statePieces(): Promise<number>;
  readStatePiece(index: number): Promise<Uint8Array | undefined>;
};

const SEQUENCE_OF_KEY = /^snapshot\/([0-9a-f]{16})\//;

/** Every sequence with any key, and those whose point key exists (complete), newest first. */
async function sequences(db: Db): Promise<{ all: bigint[]; complete: bigint[] }> {
  const all = new Set<bigint>();
  const complete = new Set<bigint>();
  for (const key of await db.keys({ gte: SNAPSHOT_PREFIX, lt: prefixEnd(SNAPSHOT_PREFIX) }).all()) {
    const m = SEQUENCE_OF_KEY.exec(key);
    if (m === null) continue;
    const sequence = BigInt(`0x${m[1] as string}`);
    all.add(sequence);
    if (key === snapshotKey(sequence)) complete.add(sequence);
  }
  const newestFirst = (s: Set<bigint>) => [...s].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return { all: newestFirst(all), complete: newestFirst(complete) };
}

/** Writes `write`; returns the state's size in bytes. */
export async function putSnapshot(db: Db, sync: { readonly sync: boolean }, write: SnapshotWrite): Promise<number> {
  // A point of the same sequence written before is replaced whole: its old pieces go first.
  await deleteSequence(db, write.sequence, { sync: false });
  let index = 0;
  let bytes = 0;
  let batch: { type: 'put'; key: string; value: Uint8Array }[] = [];
  for await (const piece of write.state) {
    batch.push({ type: 'put', key: snapshotStateKey(write.sequence, index++), value: piece });
    bytes += piece.length;
    if (batch.length >= PIECES_PER_BATCH) {
      await db.batch(batch);
      batch = [];
    }
  }
  const { all, complete } = await sequences(db);
  const kept = new Set([write.sequence, ...complete.filter((s) => s !== write.sequence).slice(0, KEPT_SNAPSHOTS - 1)]);
  const doomed = all.filter((s) => !kept.has(s));
  const doomedKeys = (await Promise.all(doomed.map((s) => db.keys({ gte: snapshotPrefix(s), lt: prefixEnd(snapshotPrefix(s)) }).all()))).flat();
  await db.batch([...batch, { type: 'put', key: snapshotKey(write.sequence), value: write.point }, ...doomedKeys.map((key) => ({ type: 'del' as const, key }))], sync);
  return bytes;
}

async function deleteSequence(db: Db, sequence: bigint, options: { readonly sync: boolean }): Promise<void> {
  const keys = await db.keys({ gte: snapshotPrefix(sequence), lt: prefixEnd(snapshotPrefix(sequence)) }).all();
  if (keys.length > 0) await db.batch(keys.map((key) => ({ type: 'del' as const, key })), options);
}

export async function readSnapshots(db: Db): Promise<readonly StoredSnapshot[]> {
  const out: StoredSnapshot[] = [];
  for (const sequence of (await sequences(db)).complete) {
    const point = await db.get(snapshotKey(sequence));
    if (point === undefined) continue;
    const prefix = snapshotStatePrefix(sequence);
    const readState = async (): Promise<Uint8Array> => {
      const pieces = await db.values({ gte: prefix, lt: prefixEnd(prefix) }).all();
      const total = pieces.reduce((n, p) => n + p.length, 0);
      const state = new Uint8Array(total);
      let at = 0;
      for (const p of pieces) {
        state.set(p, at);
        at += p.length;
      }
      return state;
    };
    const statePieces = async (): Promise<number> => (await db.keys({ gte: prefix, lt: prefixEnd(prefix) }).all()).length;
    const readStatePiece = async (index: number): Promise<Uint8Array | undefined> => {
      const piece = await db.get(snapshotStateKey(sequence, index));
      return piece === undefined ? undefined : new Uint8Array(piece);
    };
    out.push(Object.freeze({ sequence, point: new Uint8Array(point), readState, statePieces, readStatePiece }));
  }
  return Object.freeze(out);
}
