/**
 * The store's resume points: a validator resume point and its ledger's state snapshot, written
 * together in one fsynced batch under `snapshot/<sequence>/` (keys.ts), newest first on read.
 *
 * Why two and not one: a restart tries the newest and falls back to the one before if the
 * newest cannot be used (it does not decode, or its certificate does not verify), and the
 * commits after the older one are kept for that (the runtime prunes below it). Anything older
 * goes in the same batch that writes a new one.
 */
import type { ClassicLevel } from 'classic-level';
import { SNAPSHOT_PREFIX, prefixEnd, snapshotKey } from './keys.ts';

type Db = ClassicLevel<string, Uint8Array>;

/** Resume points kept: the newest and one to fall back to. */
export const KEPT_SNAPSHOTS = 2;

export type StoredSnapshot = { readonly sequence: bigint; readonly point: Uint8Array; readonly state: Uint8Array };

const SNAPSHOT_KEY = /^snapshot\/([0-9a-f]{16})\/(point|state)$/;

/** Sequences held, newest first (each with both parts; a lone part is a bug and is ignored). */
async function heldSequences(db: Db): Promise<bigint[]> {
  const parts = new Map<bigint, number>();
  for (const key of await db.keys({ gte: SNAPSHOT_PREFIX, lt: prefixEnd(SNAPSHOT_PREFIX) }).all()) {
    const m = SNAPSHOT_KEY.exec(key);
    if (m === null) continue;
    const sequence = BigInt(`0x${m[1] as string}`);
    parts.set(sequence, (parts.get(sequence) ?? 0) + 1);
  }
  return [...parts.entries()].filter(([, n]) => n === 2).map(([s]) => s).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

export async function putSnapshot(db: Db, sync: { readonly sync: boolean }, snapshot: StoredSnapshot): Promise<void> {
  const older = (await heldSequences(db)).filter((s) => s !== snapshot.sequence).slice(KEPT_SNAPSHOTS - 1);
  await db.batch(
    [
      { type: 'put', key: snapshotKey(snapshot.sequence, 'point'), value: snapshot.point },
      { type: 'put', key: snapshotKey(snapshot.sequence, 'state'), value: snapshot.state },
      ...older.flatMap((s) => [{ type: 'del' as const, key: snapshotKey(s, 'point') }, { type: 'del' as const, key: snapshotKey(s, 'state') }]),
    ],
    sync,
  );
}

export async function readSnapshots(db: Db): Promise<readonly StoredSnapshot[]> {
  const out: StoredSnapshot[] = [];
  for (const sequence of await heldSequences(db)) {
    const [point, state] = await db.getMany([snapshotKey(sequence, 'point'), snapshotKey(sequence, 'state')]);
    if (point !== undefined && state !== undefined) out.push(Object.freeze({ sequence, point: new Uint8Array(point), state: new Uint8Array(state) }));
  }
  return Object.freeze(out);
}
