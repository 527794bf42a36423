/**
 * The full peer's durable store: `openPeerStore(dataDir)` → the contracts.ts `PeerStore` on
 * LevelDB (classic-level), plus pruning and the reads a restart needs. Layout: keys.ts.
 *
 * DESIGN.md §2 ("a validator writes its own vertex durably before sending it"), §5 ("a Node
 * peer killed with SIGKILL at any moment restarts with every committed transaction intact").
 * Every write that changes consensus-relevant state is fsynced (`sync: true`): own vertices,
 * commits, certificates and batches. At ~10 commits/s that costs a few fsyncs per second, and a
 * resolved write is on disk, not only in the page cache, so even a power cut loses nothing
 * acknowledged. LevelDB writes each batch to its log as one record with a checksum: after a
 * crash a batch is found whole or not at all.
 *
 * Locking: LevelDB's own `<dataDir>/LOCK` (an fcntl lock, plus a per-process table for a second
 * open in the same process) keeps two nodes off one directory; the second gets 'LOCKED'.
 *
 * Caveat: commit writes go through one promise chain (`serial`), so appends, certificate puts
 * and pruning apply in call order and the in-memory "last commit index" stays exact.
 */
import { ClassicLevel } from 'classic-level';
import type { Certificate } from '../../../core/consensus/certificate.ts';
import { err, ok, type Result } from '../../../core/result.ts';
import type { PeerStore } from '../contracts.ts';
import {
  CERT_PREFIX, COMMIT_FLOOR_KEY, COMMIT_PREFIX, EPOCH_CERT_PREFIX, FORMAT_KEY, OWN_VERTEX_PREFIX, RESERVED_PREFIXES, STORE_FORMAT_VERSION,
  certKey, commitKey, epochCertKey, fromStoredKey, indexOfKey, prefixEnd, readU64, toStoredKey, toStoredPrefix, u64Bytes,
} from './keys.ts';
import { readLastOwnVertex, type OwnVertexEntry } from './_ownVertex.ts';
import { putSnapshot, readSnapshots, type SnapshotWrite, type StoredSnapshot } from './_snapshots.ts';

export type StoreOpenError =
  /** Another process (or another open store in this one) holds `<dir>/LOCK`. */
  | { readonly code: 'LOCKED'; readonly dir: string }
  /** LevelDB found damaged files (not expected after SIGKILL: only after disk faults or tampering). */
  | { readonly code: 'CORRUPT'; readonly dir: string; readonly message: string }
  /** The directory holds a store of another layout version. */
  | { readonly code: 'UNSUPPORTED_FORMAT'; readonly dir: string; readonly version: number }
  /** Cannot create or read the directory (permissions, not a directory, disk full). */
  | { readonly code: 'IO_ERROR'; readonly dir: string; readonly message: string };

export type StoredCommit = { readonly index: bigint; readonly epoch: bigint; readonly encoded: Uint8Array };

/** contracts.ts `PeerStore`, plus what the runtime needs around it. */
export interface LevelPeerStore extends PeerStore {
  readonly dataDir: string;
  /** Index of the newest commit held (or pruned through); undefined for a store with no commits yet. */
  lastCommitIndex(): bigint | undefined;
  /** The lowest commit index still held (0 until pruning). */
  commitFloor(): bigint;
  /** The newest own vertex (highest epoch, then round): what a restart must never sign below. */
  latestOwnVertex(): Promise<OwnVertexEntry | undefined>;
  /** Certificates with sequence < `beforeSequence` (undefined: all), newest first, at most `limit` (the API's pages). */
  certificatesBefore(beforeSequence: bigint | undefined, limit: number): Promise<readonly Uint8Array[]>;
  /** End-of-epoch certificates from `fromEpoch` ascending, at most `max` (light clients ratchet through them). */
  epochCertificatesFrom(fromEpoch: bigint, max: number): Promise<readonly Uint8Array[]>;
  /** Deletes commits below `index` (the certified watermark minus what is kept); returns how many. */
  pruneCommitsBelow(index: bigint): Promise<number>;
  /**
   * State sync: the commits before `index` are covered by a resume point taken from a peer, so
   * every commit held below it goes and the log continues at `index` (the next append). Returns
   * how many were deleted.
   */
  skipCommitsTo(index: bigint): Promise<number>;
  /** Deletes certificates below `sequence`, except end-of-epoch ones; returns how many. */
  pruneCertificatesBelow(sequence: bigint): Promise<number>;
  /** Writes a resume point and its state snapshot (durable once resolved); only the newest KEPT_SNAPSHOTS stay. Resolves with the state's size. */
  putSnapshot(write: SnapshotWrite): Promise<number>;
  /** The resume points held, newest first. */
  snapshots(): Promise<readonly StoredSnapshot[]>;
}

export type PeerStoreInit = {
  /** Deletions per pruning batch: each batch is atomic and moves the floor; bounds memory per batch. Default 4,096. */
  readonly pruneBatchKeys?: number;
};

export const PEER_STORE_DEFAULTS = Object.freeze({ pruneBatchKeys: 4096 });
/** Most entries any one read returns, whatever the caller asks (every answer is bounded). */
export const MAX_READ_ENTRIES = 100_000;

type Db = ClassicLevel<string, Uint8Array>;
const SYNC = Object.freeze({ sync: true });

/** A plain Uint8Array copy: classic-level hands out Buffers, and some consumers (liboqs) refuse Buffer views. */
const plain = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

function checkLimit(limit: number, name: string): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`${name}: limit must be a positive integer, got ${limit}`);
  return Math.min(limit, MAX_READ_ENTRIES);
}

function checkCallerKey(key: string, name: string): string {
  if (RESERVED_PREFIXES.some((p) => key.startsWith(p))) throw new RangeError(`${name}: ${key} is in a namespace only the store writes`);
  return toStoredKey(key);
}

function openError(e: unknown, dir: string): StoreOpenError {
  const error = e as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const code = error.cause?.code ?? error.code;
  const message = String(error.cause?.message ?? error.message ?? e);
  if (code === 'LEVEL_LOCKED') return { code: 'LOCKED', dir };
  if (code === 'LEVEL_CORRUPTION') return { code: 'CORRUPT', dir, message };
  return { code: 'IO_ERROR', dir, message };
}

export async function openPeerStore(dataDir: string, init: PeerStoreInit = {}): Promise<Result<LevelPeerStore, StoreOpenError>> {
  if (typeof dataDir !== 'string' || dataDir === '') throw new TypeError('openPeerStore: dataDir must be a non-empty path');
  const pruneBatchKeys = init.pruneBatchKeys ?? PEER_STORE_DEFAULTS.pruneBatchKeys;
  if (!Number.isSafeInteger(pruneBatchKeys) || pruneBatchKeys < 1) throw new RangeError('openPeerStore: init.pruneBatchKeys must be a positive integer');
  const db: Db = new ClassicLevel<string, Uint8Array>(dataDir, { valueEncoding: 'view' });
  try {
    await db.open();
  } catch (e) {
    return err(openError(e, dataDir));
  }
  const format = await db.get(FORMAT_KEY);
  if (format === undefined) await db.put(FORMAT_KEY, Uint8Array.of(STORE_FORMAT_VERSION), SYNC);
  else if (format.length !== 1 || format[0] !== STORE_FORMAT_VERSION) {
    await db.close();
    return err({ code: 'UNSUPPORTED_FORMAT', dir: dataDir, version: format[0] ?? -1 });
  }
  const floorBytes = await db.get(COMMIT_FLOOR_KEY);
  const floor = floorBytes === undefined ? 0n : readU64(floorBytes, COMMIT_FLOOR_KEY);
  const [lastKey] = await db.keys({ gte: COMMIT_PREFIX, lt: prefixEnd(COMMIT_PREFIX), reverse: true, limit: 1 }).all();
  const last = lastKey !== undefined ? indexOfKey(lastKey, COMMIT_PREFIX) : floor > 0n ? floor - 1n : undefined;
  return ok(createStore(db, dataDir, pruneBatchKeys, { floor, last }));
}

function createStore(db: Db, dataDir: string, pruneBatchKeys: number, commits: { floor: bigint; last: bigint | undefined }): LevelPeerStore {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };

  const appendCommit = (index: bigint, epoch: bigint, encoded: Uint8Array): Promise<void> =>
    serial(async () => {
      const key = commitKey(index);
      if (commits.last !== undefined && index <= commits.last) {
        // A replay after restart: the same commit again is a no-op; different bytes would be a fork.
        if (index < commits.floor) return;
        const held = await db.get(key);
        if (held !== undefined && Buffer.compare(held.subarray(8), encoded) === 0) return;
        throw new Error(`appendCommit: commit ${index} is already stored with different content`);
      }
      if (commits.last !== undefined && index !== commits.last + 1n) throw new RangeError(`appendCommit: index ${index} does not follow ${commits.last}`);
      const value = new Uint8Array(8 + encoded.length);
      value.set(u64Bytes(epoch), 0);
      value.set(encoded, 8);
      await db.put(key, value, SYNC);
      commits.last = index;
    });

  /** Deletes the commits below `index` batch by batch, moving the floor with each batch. */
  const dropCommitsBelow = async (index: bigint): Promise<number> => {
    let removed = 0;
    while (commits.floor < index) {
      const keys = await db.keys({ gte: commitKey(commits.floor), lt: commitKey(index), limit: pruneBatchKeys }).all();
      const newFloor = keys.length === pruneBatchKeys ? indexOfKey(keys[keys.length - 1] as string, COMMIT_PREFIX) + 1n : index;
      // One atomic batch: the deletions and the floor that describes them land together.
      await db.batch([...keys.map((key) => ({ type: 'del' as const, key })), { type: 'put', key: COMMIT_FLOOR_KEY, value: u64Bytes(newFloor) }], SYNC);
      commits.floor = newFloor;
      removed += keys.length;
    }
    return removed;
  };

  const pruneCommitsBelow = (index: bigint): Promise<number> =>
    serial(async () => {
      if (commits.last !== undefined && index > commits.last + 1n) throw new RangeError(`pruneCommitsBelow: ${index} is above the next commit ${commits.last + 1n}`);
      return dropCommitsBelow(index);
    });

  const skipCommitsTo = (index: bigint): Promise<number> =>
    serial(async () => {
      if (commits.last !== undefined && index <= commits.last) throw new RangeError(`skipCommitsTo: commit ${index} is already held (the log reaches ${commits.last})`);
      if (index < 1n) throw new RangeError(`skipCommitsTo: ${index} is not a commit index`);
      const removed = await dropCommitsBelow(index);
      commits.last = index - 1n;
      return removed;
    });

  const pruneCertificatesBelow = (sequence: bigint): Promise<number> =>
    serial(async () => {
      const epochEnds = new Set((await db.values({ gte: EPOCH_CERT_PREFIX, lt: prefixEnd(EPOCH_CERT_PREFIX) }).all()).map((v) => readU64(v, 'epoch-cert')));
      let removed = 0;
      let from = certKey(0n);
      for (;;) {
        const keys = await db.keys({ gte: from, lt: certKey(sequence), limit: pruneBatchKeys }).all();
        const doomed = keys.filter((k) => !epochEnds.has(indexOfKey(k, CERT_PREFIX)));
        if (doomed.length > 0) await db.batch(doomed.map((key) => ({ type: 'del' as const, key })), SYNC);
        removed += doomed.length;
        if (keys.length < pruneBatchKeys) return removed;
        from = certKey(indexOfKey(keys[keys.length - 1] as string, CERT_PREFIX) + 1n);
      }
    });

  const putCertificate = (certificate: Certificate, encoded: Uint8Array): Promise<void> =>
    serial(async () => {
      const { epoch, sequence, nextCommittee } = certificate.checkpoint;
      const ops: { type: 'put'; key: string; value: Uint8Array }[] = [{ type: 'put', key: certKey(sequence), value: encoded }];
      if (nextCommittee !== undefined) ops.push({ type: 'put', key: epochCertKey(epoch), value: u64Bytes(sequence) });
      await db.batch(ops, SYNC);
    });

  const store: LevelPeerStore = {
    dataDir,
    async putDurable(key, bytes) {
      await db.put(checkCallerKey(key, 'putDurable'), bytes, SYNC);
    },
    async get(key) {
      const value = await db.get(toStoredKey(key));
      return value === undefined ? undefined : plain(value);
    },
    async keys(prefix, limit) {
      const stored = toStoredPrefix(prefix);
      const keys = await db.keys({ gte: stored, lt: prefixEnd(stored), limit: checkLimit(limit, 'keys') }).all();
      return Object.freeze(keys.map(fromStoredKey));
    },
    async batch(puts, deletes) {
      const ops = [
        ...puts.map((p) => ({ type: 'put' as const, key: checkCallerKey(p.key, 'batch'), value: p.bytes })),
        ...deletes.map((key) => ({ type: 'del' as const, key: checkCallerKey(key, 'batch') })),
      ];
      if (ops.length > 0) await db.batch(ops, SYNC);
    },
    appendCommit,
    putCertificate,
    async commitsFrom(fromIndex, limit) {
      const entries = await db.iterator({ gte: commitKey(fromIndex), lt: prefixEnd(COMMIT_PREFIX), limit: checkLimit(limit, 'commitsFrom') }).all();
      return Object.freeze(entries.map(([key, value]) =>
        Object.freeze({ index: indexOfKey(key, COMMIT_PREFIX), epoch: readU64(value, key), encoded: plain(value.subarray(8)) })));
    },
    async certificatesFrom(fromSequence, limit) {
      const values = await db.values({ gte: certKey(fromSequence), lt: prefixEnd(CERT_PREFIX), limit: checkLimit(limit, 'certificatesFrom') }).all();
      return Object.freeze(values.map(plain));
    },
    async certificatesBefore(beforeSequence, limit) {
      const lt = beforeSequence === undefined ? prefixEnd(CERT_PREFIX) : certKey(beforeSequence);
      const values = await db.values({ gte: CERT_PREFIX, lt, reverse: true, limit: checkLimit(limit, 'certificatesBefore') }).all();
      return Object.freeze(values.map(plain));
    },
    async epochCertificatesFrom(fromEpoch, max) {
      const pointers = await db.values({ gte: epochCertKey(fromEpoch), lt: prefixEnd(EPOCH_CERT_PREFIX), limit: checkLimit(max, 'epochCertificatesFrom') }).all();
      const certs = await db.getMany(pointers.map((p) => certKey(readU64(p, 'epoch-cert'))));
      return Object.freeze(certs.filter((c): c is Uint8Array => c !== undefined).map(plain));
    },
    lastCommitIndex: () => commits.last,
    commitFloor: () => commits.floor,
    latestOwnVertex: () => readLastOwnVertex(db, OWN_VERTEX_PREFIX),
    pruneCommitsBelow,
    skipCommitsTo,
    pruneCertificatesBelow,
    // Not through `serial`: a large state streams for seconds, and commits must not wait behind it.
    putSnapshot: (write) => putSnapshot(db, SYNC, write),
    snapshots: () => readSnapshots(db),
    async close() {
      await tail;
      await db.close();
    },
  };
  return Object.freeze(store);
}
