/**
 * The parallel executor's worker protocol (HOUSE-RULES 18): every message between
 * parallelExecution.ts and execute.worker.ts, in one discriminated union, and the packing of a
 * read set (core/state/groupInput.ts) into one transferable buffer.
 *
 * Wire choices, measured on this machine for a block of 1,000 transfers (≈ 1,800 written
 * accounts): transactions and group results travel as structured clones — a clone of the
 * transactions costs the main thread ≈ 6 ms against ≈ 23 ms to encode them, and deserialising
 * the results' accounts ≈ 11 ms against ≈ 16 ms to decode them as account leaves, and a clone
 * is faithful for any value (a transaction that would not encode still gets its INVALID
 * receipt). The read set is already bytes (≈ 2,000 leaves of ≈ 1.4 KB), so it is packed into one
 * buffer and moved, not copied.
 *
 * Read-set layout (little-endian): u32 entry count, then per entry a 32-byte key, an i32 value
 * length (-1 = absent) and the value bytes.
 */
import type { Hash32 } from '../../core/crypto/index.ts';
import type { GroupResult, IndexedTx } from '../../core/state/executeTypes.ts';
import type { ReadEntry, ReadSet } from '../../core/state/groupInput.ts';
import type { ProtocolParams } from '../../core/state/params.ts';

const KEY_BYTES = 32;
/** Absent-value marker in the length field. */
const ABSENT = -1;

/** Main thread → worker: execute these groups against the packed read set. */
export type ExecuteRequest = {
  readonly type: 'execute';
  readonly id: number;
  readonly params: ProtocolParams;
  readonly epoch: bigint;
  readonly feePool: bigint;
  readonly burned: bigint;
  /** Conflict-free groups of the block, each in block order. */
  readonly groups: readonly (readonly IndexedTx[])[];
  readonly packedReads: ArrayBuffer;
};

/** Worker → main thread: one result per requested group, in request order. */
export type ExecuteDone = { readonly type: 'executed'; readonly id: number; readonly results: readonly GroupResult[] };

/** Worker → main thread: the request could not be executed (a bug; the main thread redoes it in-line). */
export type ExecuteFailed = { readonly type: 'failed'; readonly id: number; readonly reason: string };

export type ExecuteWorkerMessage = ExecuteDone | ExecuteFailed;

/** Packs read entries into one buffer (see the module comment for the layout). */
export function packReads(entries: readonly ReadEntry[]): ArrayBuffer {
  let total = 4;
  for (const { value } of entries) total += KEY_BYTES + 4 + (value?.length ?? 0);
  const buffer = new ArrayBuffer(total);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  view.setUint32(0, entries.length, true);
  let at = 4;
  for (const { key, value } of entries) {
    if (key.length !== KEY_BYTES) throw new RangeError('packReads: every key must be 32 bytes');
    bytes.set(key, at);
    view.setInt32(at + KEY_BYTES, value === null ? ABSENT : value.length, true);
    at += KEY_BYTES + 4;
    if (value !== null) {
      bytes.set(value, at);
      at += value.length;
    }
  }
  return buffer;
}

/** Unpacks `packReads` output; throws on a malformed buffer (only our own code writes one). */
export function unpackReads(buffer: ArrayBuffer): readonly ReadEntry[] {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  if (buffer.byteLength < 4) throw new RangeError('unpackReads: buffer shorter than its count');
  const count = view.getUint32(0, true);
  const entries: ReadEntry[] = [];
  let at = 4;
  // Bounded by `count`, and every step consumes at least 36 bytes of a finite buffer.
  for (let i = 0; i < count; i++) {
    if (at + KEY_BYTES + 4 > buffer.byteLength) throw new RangeError('unpackReads: truncated entry header');
    const key: Hash32 = bytes.slice(at, at + KEY_BYTES);
    const length = view.getInt32(at + KEY_BYTES, true);
    at += KEY_BYTES + 4;
    if (length === ABSENT) {
      entries.push({ key, value: null });
      continue;
    }
    if (length < 0 || at + length > buffer.byteLength) throw new RangeError('unpackReads: bad value length');
    entries.push({ key, value: bytes.subarray(at, at + length) });
    at += length;
  }
  if (at !== buffer.byteLength) throw new RangeError('unpackReads: trailing bytes');
  return entries;
}

/** The read set a request carries. */
export function requestReadSet(request: ExecuteRequest): ReadSet {
  return { epoch: request.epoch, feePool: request.feePool, burned: request.burned, entries: unpackReads(request.packedReads) };
}

const isRecord = (raw: unknown): raw is Record<string, unknown> => typeof raw === 'object' && raw !== null;

/** Shape check of a request on arrival in the worker (the group contents are checked by execution itself). */
export function isExecuteRequest(raw: unknown): raw is ExecuteRequest {
  return (
    isRecord(raw) &&
    raw.type === 'execute' &&
    Number.isSafeInteger(raw.id) &&
    isRecord(raw.params) &&
    typeof raw.epoch === 'bigint' &&
    typeof raw.feePool === 'bigint' &&
    typeof raw.burned === 'bigint' &&
    Array.isArray(raw.groups) &&
    raw.packedReads instanceof ArrayBuffer
  );
}

/** Shape check of a worker's answer on arrival in the main thread. */
export function isExecuteWorkerMessage(raw: unknown): raw is ExecuteWorkerMessage {
  if (!isRecord(raw) || !Number.isSafeInteger(raw.id)) return false;
  if (raw.type === 'executed') return Array.isArray(raw.results);
  return raw.type === 'failed' && typeof raw.reason === 'string';
}
