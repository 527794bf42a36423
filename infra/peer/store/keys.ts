/**
 * The key layout of the peer's LevelDB store. Keys are ASCII; every number is fixed-width
 * lower-case big-endian hex, so LevelDB's byte order IS numeric order and "the last commit" or
 * "the newest own vertex" is one reverse seek.
 *
 *   own-vertex/<epoch: 16 hex>/<round: 8 hex>  the own signed vertex, written (fsync) before it is sent
 *   commit/<index: 16 hex>                      epoch (8 bytes BE) || encoded commit-range commit
 *   cert/<sequence: 16 hex>                     an encoded finality certificate
 *   epoch-cert/<epoch: 16 hex>                  the sequence (8 bytes BE) of the certificate that ends `epoch`
 *                                               (kept through pruning: light clients ratchet through them)
 *   snapshot/<sequence: 16 hex>/state/<8 hex>   the pieces, in order, of a resume point's state snapshot
 *                                               (core/state/stateSnapshot.ts)
 *   snapshot/<sequence: 16 hex>/point           the resume point itself (core/validator/resumePoint.ts),
 *                                               written after every piece: complete iff present;
 *                                               the newest two kept
 *   meta/format                                 the layout version (1 byte)
 *   meta/commit-floor                           the lowest commit index kept (8 bytes BE), set by pruning
 *   anything else                               the runtime's own keys, stored as given
 *
 * The validator (core/validator) names its own vertices `own-vertex/<epoch>/<round>` in decimal;
 * the store maps those keys to the fixed-width form and back, so callers keep core's names.
 */

export const OWN_VERTEX_PREFIX = 'own-vertex/';
export const COMMIT_PREFIX = 'commit/';
export const CERT_PREFIX = 'cert/';
export const EPOCH_CERT_PREFIX = 'epoch-cert/';
export const META_PREFIX = 'meta/';
export const SNAPSHOT_PREFIX = 'snapshot/';
export const FORMAT_KEY = 'meta/format';
export const COMMIT_FLOOR_KEY = 'meta/commit-floor';
/** Bump when the layout changes; a store of another version is refused, never misread. */
export const STORE_FORMAT_VERSION = 1;

/** Prefixes only the store's own methods write (a caller writing there would break the invariants). */
export const RESERVED_PREFIXES = Object.freeze([COMMIT_PREFIX, CERT_PREFIX, EPOCH_CERT_PREFIX, META_PREFIX, SNAPSHOT_PREFIX]);

const U64_MAX = (1n << 64n) - 1n;
const U32_MAX = 0xffff_ffff;

export function u64Hex(value: bigint, name: string): string {
  if (value < 0n || value > U64_MAX) throw new RangeError(`${name} must be a u64, got ${value}`);
  return value.toString(16).padStart(16, '0');
}

function u32Hex(value: number, name: string): string {
  if (!Number.isSafeInteger(value) || value < 0 || value > U32_MAX) throw new RangeError(`${name} must be a u32, got ${value}`);
  return value.toString(16).padStart(8, '0');
}

export const commitKey = (index: bigint): string => `${COMMIT_PREFIX}${u64Hex(index, 'commit index')}`;
export const certKey = (sequence: bigint): string => `${CERT_PREFIX}${u64Hex(sequence, 'certificate sequence')}`;
export const epochCertKey = (epoch: bigint): string => `${EPOCH_CERT_PREFIX}${u64Hex(epoch, 'epoch')}`;
export const snapshotPrefix = (sequence: bigint): string => `${SNAPSHOT_PREFIX}${u64Hex(sequence, 'snapshot sequence')}/`;
/** The point's key: written last, so its presence says the point is complete. */
export const snapshotKey = (sequence: bigint): string => `${snapshotPrefix(sequence)}point`;
export const snapshotStatePrefix = (sequence: bigint): string => `${snapshotPrefix(sequence)}state/`;
export const snapshotStateKey = (sequence: bigint, piece: number): string => `${snapshotStatePrefix(sequence)}${piece.toString(16).padStart(8, '0')}`;
export const ownVertexKey = (epoch: bigint, round: number): string => `${OWN_VERTEX_PREFIX}${u64Hex(epoch, 'epoch')}/${u32Hex(round, 'round')}`;

/** The 16-hex number after `prefix` in `key`. */
export function indexOfKey(key: string, prefix: string): bigint {
  const hex = key.slice(prefix.length);
  if (!/^[0-9a-f]{16}$/.test(hex)) throw new Error(`store: malformed key ${key}`);
  return BigInt(`0x${hex}`);
}

const CORE_OWN_VERTEX = /^own-vertex\/(\d{1,20})\/(\d{1,10})$/;
const CORE_OWN_VERTEX_EPOCH_PREFIX = /^own-vertex\/(\d{1,20})\/$/;
const STORED_OWN_VERTEX = /^own-vertex\/([0-9a-f]{16})\/([0-9a-f]{8})$/;

/** A caller's key → the stored key (own-vertex keys made fixed-width; others unchanged). */
export function toStoredKey(key: string): string {
  const m = CORE_OWN_VERTEX.exec(key);
  if (m === null) {
    if (key.startsWith(OWN_VERTEX_PREFIX)) throw new RangeError(`store: own-vertex keys are own-vertex/<epoch>/<round> in decimal, got ${key}`);
    return key;
  }
  return ownVertexKey(BigInt(m[1] as string), Number(m[2]));
}

/** A stored key → the caller's key (the inverse of `toStoredKey`). */
export function fromStoredKey(stored: string): string {
  const m = STORED_OWN_VERTEX.exec(stored);
  if (m === null) return stored;
  return `${OWN_VERTEX_PREFIX}${BigInt(`0x${m[1] as string}`)}/${parseInt(m[2] as string, 16)}`;
}

/**
 * A caller's key prefix → the stored prefix. Inside `own-vertex/` only the whole space and one
 * whole epoch (`own-vertex/<epoch>/`) have a fixed-width equivalent; a partial decimal number
 * has none (it is a caller bug).
 */
export function toStoredPrefix(prefix: string): string {
  if (!prefix.startsWith(OWN_VERTEX_PREFIX) || prefix === OWN_VERTEX_PREFIX) return prefix;
  const m = CORE_OWN_VERTEX_EPOCH_PREFIX.exec(prefix);
  if (m === null) throw new RangeError(`store: an own-vertex prefix must be own-vertex/ or own-vertex/<epoch>/, got ${prefix}`);
  return `${OWN_VERTEX_PREFIX}${u64Hex(BigInt(m[1] as string), 'epoch')}/`;
}

/** The exclusive upper bound of every ASCII key starting with `prefix`. */
export const prefixEnd = (prefix: string): string => `${prefix}\u{10FFFF}`;

export function u64Bytes(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value);
  return out;
}

export function readU64(bytes: Uint8Array, what: string): bigint {
  if (bytes.length < 8) throw new Error(`store: ${what} is ${bytes.length} bytes, expected at least 8`);
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
}
