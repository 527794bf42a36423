/**
 * The wire format of a state snapshot: every entry of the state tree, in key order, behind a
 * magic and a version. Spec: docs/state-tree.md §State snapshots; encoding: docs/codec.md.
 *
 *   magic    bytesFixed(4)                 "KXSS" (4b 58 53 53)
 *   version  u8                            1
 *   entries  list{≤ maxEntries}(
 *              key    bytesFixed(32)
 *              value  bytes{≤ 16,384} )    keys strictly ascending (bytewise)
 *
 * The root is not carried: the reader gets it from a certified checkpoint and checks the rebuilt
 * tree against it. Epoch, fee pool and burned total are tree entries, so the entries are the
 * whole ledger. The entry list is bounded by the caller per decode (`maxEntries`), so the list
 * codec is built per limit; its other parts are shared.
 */
import { bytes, bytesFixed, list, struct, u8, type Codec } from '../codec/index.ts';
import { STATE_KEY_BYTES, type TreeEntry } from './smt/index.ts';

/** Identifies a state snapshot ("KXSS": KALDRIX state snapshot), so no other blob passes for one. */
export const STATE_SNAPSHOT_MAGIC = 'KXSS';
/** The format version this code writes and reads; a new layout takes a new number. */
export const STATE_SNAPSHOT_VERSION = 1;
/** Bytes before the entry count: the magic and the version. */
export const STATE_SNAPSHOT_HEADER_BYTES = STATE_SNAPSHOT_MAGIC.length + 1;
/**
 * Largest value of one entry. The largest ledger value is an account leaf with two of the
 * largest tagged public keys and the most unbonding entries (6,274 bytes; a test checks it
 * fits); the bound keeps one bad length prefix from claiming a large share of the input.
 */
export const STATE_SNAPSHOT_VALUE_MAX_BYTES = 16_384;
/**
 * Default cap on the input of a decode: 1 GiB, the most the encoder's writer (core/codec) can
 * produce, so every snapshot this code writes is readable with the defaults. A peer-facing
 * caller passes its own, smaller cap.
 */
export const STATE_SNAPSHOT_MAX_BYTES = 1 << 30;
/** Default cap on the entry count of a decode: ten million accounts, far beyond any devnet. */
export const STATE_SNAPSHOT_MAX_ENTRIES = 10_000_000;

/** The magic as ASCII bytes: private, since an exported Uint8Array could be overwritten by a caller. */
const magicBytes = Uint8Array.from(STATE_SNAPSHOT_MAGIC, (char) => char.charCodeAt(0));

/** A copy of the magic's bytes. */
export function stateSnapshotMagicBytes(): Uint8Array {
  return magicBytes.slice();
}

/** One tree entry. Its smallest encoding (33 bytes) bounds the count a given input can back. */
export const stateSnapshotEntryCodec: Codec<TreeEntry> = struct({
  key: bytesFixed(STATE_KEY_BYTES),
  value: bytes({ maxBytes: STATE_SNAPSHOT_VALUE_MAX_BYTES }),
});

export const stateSnapshotMagicCodec: Codec<Uint8Array> = bytesFixed(magicBytes.length);
export const stateSnapshotVersionCodec: Codec<number> = u8;

export type StateSnapshotWire = {
  readonly magic: Uint8Array;
  readonly version: number;
  readonly entries: readonly TreeEntry[];
};

/** The whole snapshot, accepting at most `maxEntries` entries when decoding. */
export function stateSnapshotCodec(maxEntries: number): Codec<StateSnapshotWire> {
  return struct({
    magic: stateSnapshotMagicCodec,
    version: stateSnapshotVersionCodec,
    entries: list(stateSnapshotEntryCodec, { maxItems: maxEntries }),
  });
}
