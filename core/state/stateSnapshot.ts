/**
 * State snapshots: the whole ledger at a certified checkpoint as canonical bytes, and the
 * ledger rebuilt from them, so a node restarts from a checkpoint instead of replaying every
 * commit since genesis (and may prune older commits), and a peer can be sent the state.
 *
 * Spec: docs/state-tree.md §State snapshots; layout: `stateSnapshotFormat.ts`. One ledger state
 * has one set of tree entries (ledgerKeys.ts), hence one snapshot: same state, same bytes, and
 * `encodeStateSnapshot(decoded) = bytes` for every accepted input. The decoder takes untrusted
 * bytes: every bound is checked before anything is allocated for it, and the rebuilt tree must
 * have the root the caller's certified checkpoint names, so a snapshot cannot smuggle in a
 * state nobody certified. Cost is linear in the state: one in-order walk to encode, and
 * batches of sorted entries (`applyBatch`, each node hashed once) to rebuild.
 * Caveat: the account leaves are not decoded here; the root check already ties them to the
 * certified state, and readers decode them when they use them.
 */
import { Writer, varint, type DecodeError } from '../codec/index.ts';
import { compareBytes, type Hash32 } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import { ledgerFromTree, type Ledger } from './ledger.ts';
import { MAX_BATCH_UPDATES, MAX_TREE_DEPTH, applyBatch, emptyTree, type StateTree, type TreeEntry, type TreeNode } from './smt/index.ts';
import {
  STATE_SNAPSHOT_MAX_BYTES,
  STATE_SNAPSHOT_MAX_ENTRIES,
  STATE_SNAPSHOT_VERSION,
  stateSnapshotCodec,
  stateSnapshotEntryCodec,
  stateSnapshotMagicBytes,
  stateSnapshotMagicCodec,
  stateSnapshotVersionCodec,
} from './stateSnapshotFormat.ts';
import type { StateSnapshotReject } from './stateSnapshotReject.ts';

export type StateSnapshotDecodeOptions = {
  /** The state root of the checkpoint the snapshot claims (from its certificate): required. */
  readonly expectedRoot: Hash32;
  /** Longer inputs are `TOO_LARGE`, before anything is read; default `STATE_SNAPSHOT_MAX_BYTES` (1 GiB). */
  readonly maxBytes?: number;
  /** A larger declared entry count is `TOO_MANY_ENTRIES`, before allocating; default `STATE_SNAPSHOT_MAX_ENTRIES`. */
  readonly maxEntries?: number;
};

/** First buffer of the encoder: the writer doubles from here (linear total copying). */
const ENCODE_INITIAL_CAPACITY_BYTES = 64 * 1024;
const ROOT_BYTES = 32;

/**
 * The canonical snapshot of `ledger`: every tree entry in ascending key order. Throws
 * RangeError past the writer's 1 GiB cap (a state far larger than this code targets) or for a
 * value above `STATE_SNAPSHOT_VALUE_MAX_BYTES` (no ledger entry comes near it).
 */
export function encodeStateSnapshot(ledger: Ledger): Uint8Array {
  const tree = ledger?.tree;
  if (tree === undefined || tree === null) throw new TypeError('encodeStateSnapshot: ledger must be a Ledger');
  const writer = new Writer({ initialCapacityBytes: ENCODE_INITIAL_CAPACITY_BYTES });
  // Field by field, the bytes of `stateSnapshotCodec(size).encode(...)` (a list is its varint
  // count, then its items), streamed from the tree so no second copy of the state is built.
  stateSnapshotMagicCodec.encodeInto(writer, stateSnapshotMagicBytes());
  stateSnapshotVersionCodec.encodeInto(writer, STATE_SNAPSHOT_VERSION);
  varint.encodeInto(writer, tree.size);
  const walk: EncodeWalk = { previousKey: null, written: 0 };
  writeSubtree(writer, tree.rootNode, 0, walk);
  const { written } = walk;
  if (written !== tree.size) throw new Error(`encodeStateSnapshot: walked ${written} entries, the tree holds ${tree.size}`);
  return writer.finish();
}

/**
 * The same bytes as `encodeStateSnapshot(ledger)`, in pieces: each piece but the last is at
 * least `chunkBytes` long and ends after a whole entry (so at most one entry longer): a
 * caller that yields between pieces — a node writing a resume point of a large state while it
 * keeps validating — never holds the thread for more than one piece's work, nor the whole
 * snapshot in one buffer. The ledger is an immutable value, so pausing between pieces is safe.
 * The walk is iterative (an explicit stack of at most 256 levels), in ascending key order.
 */
export function* stateSnapshotChunks(ledger: Ledger, chunkBytes: number): Generator<Uint8Array, void, undefined> {
  const tree = ledger?.tree;
  if (tree === undefined || tree === null) throw new TypeError('stateSnapshotChunks: ledger must be a Ledger');
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) throw new RangeError('stateSnapshotChunks: chunkBytes must be a positive integer');
  let writer = new Writer({ initialCapacityBytes: Math.min(chunkBytes, ENCODE_INITIAL_CAPACITY_BYTES) });
  stateSnapshotMagicCodec.encodeInto(writer, stateSnapshotMagicBytes());
  stateSnapshotVersionCodec.encodeInto(writer, STATE_SNAPSHOT_VERSION);
  varint.encodeInto(writer, tree.size);
  const walk: EncodeWalk = { previousKey: null, written: 0 };
  const stack: TreeNode[] = tree.rootNode === null ? [] : [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop() as TreeNode;
    if (node.kind !== 'leaf') {
      if (stack.length >= MAX_TREE_DEPTH) throw new Error('stateSnapshotChunks: tree deeper than 256 levels');
      // Right pushed first: the left subtree (smaller keys) is written first.
      if (node.right !== null) stack.push(node.right);
      if (node.left !== null) stack.push(node.left);
      continue;
    }
    writeLeaf(writer, node, walk);
    if (writer.length >= chunkBytes) {
      yield writer.finish();
      writer = new Writer({ initialCapacityBytes: Math.min(chunkBytes, ENCODE_INITIAL_CAPACITY_BYTES) });
    }
  }
  if (walk.written !== tree.size) throw new Error(`stateSnapshotChunks: walked ${walk.written} entries, the tree holds ${tree.size}`);
  if (writer.length > 0) yield writer.finish();
}

/** The encoder's progress: the last key written (for the order check) and the count. */
type EncodeWalk = { previousKey: Uint8Array | null; written: number };

/**
 * Appends every entry under `node` (at `depth`) in key order, read straight from the immutable
 * leaves: the paged `tree.entries` would copy each key and value twice more on the way to the
 * writer, for no safety gained here. In-order is ascending key order (docs/state-tree.md §Key
 * bits); the order is asserted anyway, since a wrong order would write an unreadable snapshot.
 */
function writeSubtree(writer: Writer, node: TreeNode | null, depth: number, walk: EncodeWalk): void {
  if (node === null) return;
  if (node.kind === 'leaf') {
    writeLeaf(writer, node, walk);
    return;
  }
  // Recursion depth is bounded by the tree's: at most 256 levels (one per key bit).
  if (depth >= MAX_TREE_DEPTH) throw new Error('encodeStateSnapshot: tree deeper than 256 levels');
  writeSubtree(writer, node.left, depth + 1, walk);
  writeSubtree(writer, node.right, depth + 1, walk);
}

function writeLeaf(writer: Writer, leaf: TreeNode & { readonly kind: 'leaf' }, walk: EncodeWalk): void {
  if (walk.previousKey !== null && compareBytes(walk.previousKey, leaf.key) >= 0) throw new Error('encodeStateSnapshot: tree keys out of order');
  stateSnapshotEntryCodec.encodeInto(writer, leaf);
  walk.previousKey = leaf.key;
  walk.written++;
}

/**
 * The ledger a snapshot holds, if the bytes are a canonical snapshot whose entries rebuild a
 * tree with root `expectedRoot`; otherwise a typed reject (never throws on bad bytes). Throws
 * TypeError/RangeError for bad arguments (a bug in the caller).
 */
export function decodeStateSnapshot(bytes: Uint8Array, options: StateSnapshotDecodeOptions): Result<Ledger, StateSnapshotReject> {
  const { expectedRoot, maxBytes, maxEntries } = checkDecodeArguments(bytes, options);
  if (bytes.length > maxBytes) return reject({ code: 'TOO_LARGE', sizeBytes: bytes.length, maxBytes });
  const headerProblem = headerReject(bytes);
  if (headerProblem !== undefined) return reject(headerProblem);
  const decoded = stateSnapshotCodec(maxEntries).decode(bytes);
  if (!decoded.ok) return reject(decodeReject(decoded.error));
  const { entries } = decoded.value;
  const orderProblem = keyOrderReject(entries);
  if (orderProblem !== undefined) return reject(orderProblem);
  const tree = treeOfSortedEntries(entries);
  const actual = tree.root();
  if (compareBytes(actual, expectedRoot) !== 0) return reject({ code: 'ROOT_MISMATCH', expected: expectedRoot.slice(), actual });
  return ledgerOfTree(tree);
}

function reject(problem: StateSnapshotReject): Result<never, StateSnapshotReject> {
  return err(Object.freeze(problem));
}

function checkDecodeArguments(bytes: unknown, options: StateSnapshotDecodeOptions): { expectedRoot: Hash32; maxBytes: number; maxEntries: number } {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeStateSnapshot: bytes must be a Uint8Array');
  const expectedRoot: unknown = options?.expectedRoot;
  if (!(expectedRoot instanceof Uint8Array) || expectedRoot.length !== ROOT_BYTES) {
    throw new TypeError(`decodeStateSnapshot: options.expectedRoot must be a ${ROOT_BYTES}-byte Uint8Array`);
  }
  return {
    expectedRoot,
    maxBytes: checkLimit(options.maxBytes ?? STATE_SNAPSHOT_MAX_BYTES, 'maxBytes'),
    maxEntries: checkLimit(options.maxEntries ?? STATE_SNAPSHOT_MAX_ENTRIES, 'maxEntries'),
  };
}

function checkLimit(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`decodeStateSnapshot: options.${name} must be a non-negative safe integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Magic and version, looked at before the body is read: a blob of another kind, or a snapshot
 * of another version, gets its own reject instead of whatever the body's bytes would trip on.
 * An input too short for the header is left to the codec (TRUNCATED) once its bytes match.
 */
function headerReject(bytes: Uint8Array): StateSnapshotReject | undefined {
  const magic = stateSnapshotMagicBytes();
  const seen = Math.min(bytes.length, magic.length);
  for (let i = 0; i < seen; i++) if (bytes[i] !== magic[i]) return { code: 'BAD_MAGIC' };
  const version = bytes[magic.length];
  if (version !== undefined && version !== STATE_SNAPSHOT_VERSION) return { code: 'UNSUPPORTED_VERSION', version, supported: STATE_SNAPSHOT_VERSION };
  return undefined;
}

/** An entry count above `maxEntries` (the list's own bound) gets its own code; the rest is MALFORMED. */
function decodeReject(decodeError: DecodeError): StateSnapshotReject {
  if (decodeError.code === 'LENGTH_TOO_LARGE' && decodeError.path === 'entries') {
    return { code: 'TOO_MANY_ENTRIES', declared: decodeError.declared, maxEntries: decodeError.max };
  }
  return { code: 'MALFORMED', decodeError };
}

/** Keys must strictly ascend: one order, hence one encoding per state (and no entry twice). */
function keyOrderReject(entries: readonly TreeEntry[]): StateSnapshotReject | undefined {
  for (let index = 1; index < entries.length; index++) {
    const order = compareBytes((entries[index - 1] as TreeEntry).key, (entries[index] as TreeEntry).key);
    if (order === 0) return { code: 'DUPLICATE', index };
    if (order > 0) return { code: 'UNSORTED', index };
  }
  return undefined;
}

/**
 * The tree over `entries` (distinct, ascending keys). Batches of at most `MAX_BATCH_UPDATES`
 * (applyBatch's bound). Below that bound it is one batch over sorted keys: each node is built and
 * hashed once; above it, ascending keys put each batch right of the ones before, so a later
 * batch rebuilds only the right edge it extends.
 */
function treeOfSortedEntries(entries: readonly TreeEntry[]): StateTree {
  let tree = emptyTree();
  for (let from = 0; from < entries.length; from += MAX_BATCH_UPDATES) {
    tree = applyBatch(tree, entries.slice(from, from + MAX_BATCH_UPDATES));
  }
  return tree;
}

/**
 * `ledgerFromTree` throws a plain Error when a reserved entry does not decode: here that is
 * bad data under a certified root, so it becomes `BAD_ENTRY`. TypeError/RangeError would be a
 * bug, and still throw.
 */
function ledgerOfTree(tree: StateTree): Result<Ledger, StateSnapshotReject> {
  try {
    return ok(ledgerFromTree(tree));
  } catch (e) {
    if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError) throw e;
    return reject({ code: 'BAD_ENTRY', reason: e.message });
  }
}
