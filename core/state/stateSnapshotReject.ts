/**
 * Why a state snapshot was refused: typed rejects keyed by `code` (HOUSE-RULES 8).
 *
 * Snapshot bytes may come from a peer (state sync) or from a damaged store, so every way they
 * can be wrong is a value here, never an exception. Format and limits: docs/state-tree.md
 * §State snapshots. Every reject but `BAD_ENTRY` is the sender's fault (score the peer down);
 * `BAD_ENTRY` means the state under the expected root itself is unreadable (see below).
 */
import type { DecodeError } from '../codec/index.ts';
import type { Hash32 } from '../crypto/index.ts';

export type StateSnapshotReject =
  /** Longer than the caller's `maxBytes`; nothing was read. */
  | { readonly code: 'TOO_LARGE'; readonly sizeBytes: number; readonly maxBytes: number }
  /** The first bytes are not the snapshot magic: not a state snapshot at all. */
  | { readonly code: 'BAD_MAGIC' }
  /** A snapshot of a format version this code does not read. */
  | { readonly code: 'UNSUPPORTED_VERSION'; readonly version: number; readonly supported: number }
  /** The entry count declares more entries than the caller's `maxEntries`; none was read. */
  | { readonly code: 'TOO_MANY_ENTRIES'; readonly declared: number; readonly maxEntries: number }
  /** Not a canonical encoding (truncated, trailing bytes, an oversized value, …). */
  | { readonly code: 'MALFORMED'; readonly decodeError: DecodeError }
  /** `entries[index]` sorts before `entries[index − 1]`: keys must strictly ascend. */
  | { readonly code: 'UNSORTED'; readonly index: number }
  /** `entries[index]` repeats the key of `entries[index − 1]`. */
  | { readonly code: 'DUPLICATE'; readonly index: number }
  /** The entries build a tree whose root is not the certified one. */
  | { readonly code: 'ROOT_MISMATCH'; readonly expected: Hash32; readonly actual: Hash32 }
  /**
   * The root matches, but the ledger cannot read a reserved entry (epoch, fee pool, burned):
   * the state certified under that root is corrupt, which honest execution never produces.
   */
  | { readonly code: 'BAD_ENTRY'; readonly reason: string };

export type StateSnapshotRejectCode = StateSnapshotReject['code'];

/** Every reject code, as a value (for exhaustive tests and metrics labels). */
export const STATE_SNAPSHOT_REJECT_CODES = [
  'TOO_LARGE',
  'BAD_MAGIC',
  'UNSUPPORTED_VERSION',
  'TOO_MANY_ENTRIES',
  'MALFORMED',
  'UNSORTED',
  'DUPLICATE',
  'ROOT_MISMATCH',
  'BAD_ENTRY',
] as const satisfies readonly StateSnapshotRejectCode[];

/** Fails to compile when a code of the union is missing from the list above. */
type UnlistedCode = Exclude<StateSnapshotRejectCode, (typeof STATE_SNAPSHOT_REJECT_CODES)[number]>;
const _everyCodeListed: [UnlistedCode] extends [never] ? true : UnlistedCode = true;
