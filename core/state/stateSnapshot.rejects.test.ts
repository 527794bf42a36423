// State snapshot rejects: every code reached by the input that should cause it, the limits
// checked at their exact edges, and argument errors (bugs) thrown rather than returned.
import { describe, expect, it } from 'vitest';
import { encodeU64Value, EPOCH_KEY, FEE_POOL_KEY } from './ledgerKeys.ts';
import { commitLedger, ledgerFromTree, type Ledger } from './ledger.ts';
import { applyBatch, emptyTree, type TreeEntry } from './smt/index.ts';
import { decodeStateSnapshot, encodeStateSnapshot, type StateSnapshotDecodeOptions } from './stateSnapshot.ts';
import {
  STATE_SNAPSHOT_HEADER_BYTES,
  STATE_SNAPSHOT_MAX_ENTRIES,
  STATE_SNAPSHOT_VALUE_MAX_BYTES,
  STATE_SNAPSHOT_VERSION,
  stateSnapshotCodec,
  stateSnapshotMagicBytes,
} from './stateSnapshotFormat.ts';
import { STATE_SNAPSHOT_REJECT_CODES, type StateSnapshotReject } from './stateSnapshotReject.ts';
import { alice, tagged } from './test/fixtures.ts';

const address = (i: number) => Uint8Array.from([0, ...new Uint8Array(32).fill(i)]);
const ledger = commitLedger(ledgerFromTree(emptyTree()), {
  accounts: [1, 2, 3, 4].map((i) => ({ address: address(i), account: { balance: 1_000n * BigInt(i), nonce: BigInt(i), stake: 0n, unbonding: [], key: tagged(alice) } })),
  slashedSlots: [],
  epoch: 2n,
  feePool: 30n,
  burned: 0n,
});
const good = encodeStateSnapshot(ledger);
const expectedRoot = ledger.tree.root();
const goodEntries: readonly TreeEntry[] = ledger.tree.entries({ maxEntries: 100 }).entries;
const HEADER = STATE_SNAPSHOT_HEADER_BYTES;

/** Snapshot bytes over arbitrary entries, in the given order (the encoder would sort them). */
const wire = (entries: readonly TreeEntry[], version = STATE_SNAPSHOT_VERSION): Uint8Array =>
  stateSnapshotCodec(entries.length).encode({ magic: stateSnapshotMagicBytes(), version, entries });

const seen = new Set<string>();
function rejectOf(bytes: Uint8Array, options: Partial<StateSnapshotDecodeOptions> = {}): StateSnapshotReject {
  const decoded = decodeStateSnapshot(bytes, { expectedRoot, ...options });
  if (decoded.ok) throw new Error('expected a reject');
  expect(Object.isFrozen(decoded.error)).toBe(true);
  seen.add(decoded.error.code);
  return decoded.error;
}

describe('state snapshot rejects', () => {
  it('accepts the snapshot itself (the baseline every reject below departs from)', () => {
    expect(decodeStateSnapshot(good, { expectedRoot }).ok).toBe(true);
    expect(goodEntries.length).toBe(6); // four accounts, the epoch, the fee pool
  });

  it('TOO_LARGE above maxBytes, before reading anything; the exact size passes', () => {
    expect(rejectOf(good, { maxBytes: good.length - 1 })).toEqual({ code: 'TOO_LARGE', sizeBytes: good.length, maxBytes: good.length - 1 });
    expect(rejectOf(Uint8Array.from([1, 2, 3]), { maxBytes: 2 }).code).toBe('TOO_LARGE');
    expect(decodeStateSnapshot(good, { expectedRoot, maxBytes: good.length }).ok).toBe(true);
  });

  it('TOO_MANY_ENTRIES above maxEntries, from the count alone; the exact count passes', () => {
    expect(rejectOf(good, { maxEntries: 5 })).toEqual({ code: 'TOO_MANY_ENTRIES', declared: 6, maxEntries: 5 });
    expect(decodeStateSnapshot(good, { expectedRoot, maxEntries: 6 }).ok).toBe(true);
    // A count of 2^40 in a 12-byte input, against the default cap.
    const huge = Uint8Array.from([...good.subarray(0, HEADER), 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
    expect(rejectOf(huge)).toEqual({ code: 'TOO_MANY_ENTRIES', declared: 2 ** 40, maxEntries: STATE_SNAPSHOT_MAX_ENTRIES });
  });

  it('MALFORMED when a count within the cap claims more entries than the bytes can hold (before allocating)', () => {
    const claim = Uint8Array.from([...good.subarray(0, HEADER), 0xe8, 0x07, ...new Uint8Array(40)]); // 1,000 entries, 40 bytes
    const r = rejectOf(claim);
    expect(r.code === 'MALFORMED' && [r.decodeError.code, r.decodeError.path]).toEqual(['TRUNCATED', 'entries']);
  });

  it('BAD_MAGIC for another kind of blob, even a short one', () => {
    const other = good.slice();
    other[0] = 0x4c;
    expect(rejectOf(other)).toEqual({ code: 'BAD_MAGIC' });
    expect(rejectOf(Uint8Array.from([0x7b, 0x22]))).toEqual({ code: 'BAD_MAGIC' });
  });

  it('UNSUPPORTED_VERSION for another format version', () => {
    expect(rejectOf(wire(goodEntries, 2))).toEqual({ code: 'UNSUPPORTED_VERSION', version: 2, supported: STATE_SNAPSHOT_VERSION });
    expect(rejectOf(wire(goodEntries, 0)).code).toBe('UNSUPPORTED_VERSION');
  });

  it('MALFORMED with the codec error for truncated input, trailing bytes, or an oversized value', () => {
    const codeAt = (r: StateSnapshotReject) => (r.code === 'MALFORMED' ? [r.decodeError.code, r.decodeError.path] : r.code);
    expect(codeAt(rejectOf(good.subarray(0, good.length - 1)))).toEqual(['TRUNCATED', 'entries[5].value']);
    expect(codeAt(rejectOf(good.subarray(0, HEADER)))).toEqual(['TRUNCATED', 'entries']);
    expect(codeAt(rejectOf(good.subarray(0, 2)))).toEqual(['TRUNCATED', 'magic']);
    expect(codeAt(rejectOf(Uint8Array.from([...good, 0])))).toEqual(['TRAILING_BYTES', '']);
    const oversized = Uint8Array.from([...wire([]).subarray(0, HEADER), 1, ...new Uint8Array(32), 0x81, 0x80, 0x01]); // value length 16,385
    expect(codeAt(rejectOf(oversized))).toEqual(['LENGTH_TOO_LARGE', 'entries[0].value']);
    expect(STATE_SNAPSHOT_VALUE_MAX_BYTES).toBe(16_384);
  });

  it('UNSORTED for swapped entries, DUPLICATE for a repeated key (same or other value)', () => {
    const swapped = [goodEntries[0], goodEntries[2], goodEntries[1], ...goodEntries.slice(3)] as TreeEntry[];
    expect(rejectOf(wire(swapped))).toEqual({ code: 'UNSORTED', index: 2 });
    const first = goodEntries[0] as TreeEntry;
    expect(rejectOf(wire([first, first, ...goodEntries.slice(1)]))).toEqual({ code: 'DUPLICATE', index: 1 });
    const rival = { key: first.key, value: Uint8Array.from([1]) };
    expect(rejectOf(wire([...goodEntries.slice(0, 1), rival, ...goodEntries.slice(1)]))).toEqual({ code: 'DUPLICATE', index: 1 });
  });

  it('ROOT_MISMATCH for one flipped bit in a value, or a dropped entry', () => {
    const flipped = good.slice();
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0x01; // inside the last value
    const r = rejectOf(flipped);
    expect(r.code).toBe('ROOT_MISMATCH');
    if (r.code !== 'ROOT_MISMATCH') return;
    expect(r.expected).toEqual(expectedRoot);
    expect(r.actual).not.toEqual(expectedRoot);
    expect(rejectOf(wire(goodEntries.slice(1))).code).toBe('ROOT_MISMATCH');
  });

  it('BAD_ENTRY when the root matches but a reserved entry is unreadable (corrupt certified state)', () => {
    for (const [value, what] of [[Uint8Array.from([1, 2, 3]), 'epoch'], [encodeU64Value(0n), 'epoch']] as const) {
      const tree = applyBatch(emptyTree(), [{ key: EPOCH_KEY, value }, { key: FEE_POOL_KEY, value: encodeU64Value(9n) }]);
      const corrupt: Ledger = { tree, epoch: 0n, feePool: 9n, burned: 0n };
      const r = rejectOf(encodeStateSnapshot(corrupt), { expectedRoot: tree.root() });
      expect(r.code === 'BAD_ENTRY' && r.reason).toMatch(what);
    }
  });

  it('throws for bad arguments: they are bugs in the caller, not bad bytes', () => {
    expect(() => decodeStateSnapshot([1, 2] as unknown as Uint8Array, { expectedRoot })).toThrow(TypeError);
    expect(() => decodeStateSnapshot(good, { expectedRoot: expectedRoot.subarray(1) })).toThrow(/expectedRoot/);
    expect(() => decodeStateSnapshot(good, undefined as unknown as StateSnapshotDecodeOptions)).toThrow(TypeError);
    expect(() => decodeStateSnapshot(good, { expectedRoot, maxBytes: -1 })).toThrow(RangeError);
    expect(() => decodeStateSnapshot(good, { expectedRoot, maxEntries: 1.5 })).toThrow(/maxEntries/);
    expect(() => encodeStateSnapshot({} as Ledger)).toThrow(TypeError);
  });

  it('reached every code of the union above (tests in this file run in order)', () => {
    expect([...seen].sort()).toEqual([...STATE_SNAPSHOT_REJECT_CODES].sort());
  });
});
