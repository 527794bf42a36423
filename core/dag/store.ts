/**
 * The local DAG: accepted vertices by slot and round, a bounded buffer of vertices waiting for
 * parents, equivocation detection and garbage collection. Implements `DagView`.
 *
 * DESIGN.md §2 DAG and consensus; docs/protocol.md "DAG". The caller validates a vertex and
 * verifies its signature first (`validateVertex`); the store then decides only what depends on
 * the DAG itself:
 * - parents below the gc round count as present (they were dropped, not missing);
 * - a vertex with missing parents waits in the pending buffer and the missing references are
 *   returned for fetching; when they arrive, the children they complete are accepted too,
 *   returned in causal order (every vertex after its parents); a full buffer makes room for a
 *   lower round by evicting its highest (`_pending.ts` makeRoom);
 * - a timestamp before a parent's is refused (`checkParentTimestamps`), and so are the waiting
 *   descendants of a refused vertex;
 * - a second, different vertex for an occupied (round, author) slot is stored as well (the
 *   commit rule must see what peers see) and reported with each earlier one as an
 *   equivocation pair, exactly once per pair. A slot holds at most `maxVerticesPerSlot`
 *   vertices unless a buffered vertex references the extra one (so a flood of equivocations
 *   is bounded, yet a vertex some honest validator built on is never refused);
 * - `gc(r)` drops everything below round r for good (BELOW_GC afterwards).
 */
import { isQuorum, memberStake, type Committee } from '../consensus/committee.ts';
import { err, ok, type Result } from '../result.ts';
import { createPendingBuffer, type PendingEntry, type PendingFullScope } from './_pending.ts';
import { compareRefs, refKey } from './_ref.ts';
import type { DagVertex, DagView, VertexRef } from './types.ts';
import { checkParentTimestamps, type ParentTimestampReject } from './validate.ts';
import { vertexRef, type SignedVertex } from './vertex.ts';

/** An accepted vertex: what the DagView exposes, plus the signed vertex itself. */
export type StoredVertex = DagVertex & { readonly signed: SignedVertex };

export type EquivocationPair = { readonly first: SignedVertex; readonly second: SignedVertex };

export type DagStoreInit = {
  /** Rounds below this are never accepted (a restart after gc). Default 0. */
  readonly gcRound?: number;
  /** Default 64: one honest vertex per round over the 30-round future window, and as many again at or below the highest round. */
  readonly maxPendingPerAuthor?: number;
  /** Default 4,096 vertices: 64 per author for a 64-member committee. */
  readonly maxPendingVertices?: number;
  /** Default 256 MiB: a hard memory ceiling, as the mempool's. */
  readonly maxPendingBytes?: number;
  /** Default 4: an honest slot holds one vertex; a few equivocations are enough to prove and to follow. */
  readonly maxVerticesPerSlot?: number;
};

export type InsertReject =
  | { readonly code: 'BELOW_GC'; readonly round: number; readonly gcRound: number }
  | { readonly code: 'PENDING_FULL'; readonly scope: PendingFullScope; readonly author: number }
  | { readonly code: 'SLOT_FULL'; readonly round: number; readonly author: number; readonly max: number }
  | ParentTimestampReject;

/** What one insertion accepted, in causal order, and what it found on the way. */
export type AcceptOutcome = {
  readonly status: 'accepted';
  readonly accepted: readonly StoredVertex[];
  readonly equivocations: readonly EquivocationPair[];
  /** Buffered vertices released by this arrival yet refused (timestamp, slot cap). */
  readonly rejected: readonly { readonly ref: VertexRef; readonly reject: InsertReject }[];
  /** Buffered descendants dropped because an ancestor was refused. */
  readonly droppedPending: number;
};

export type InsertOutcome =
  | { readonly status: 'duplicate' }
  | { readonly status: 'pending'; readonly missing: readonly VertexRef[] }
  | AcceptOutcome;

export type GcOutcome = {
  /** Accepted vertices dropped, so the caller can report their unordered transactions. */
  readonly dropped: readonly StoredVertex[];
  readonly droppedPending: number;
  /** Buffered vertices whose missing parents fell below the gc round, now accepted. */
  readonly released: AcceptOutcome;
};

export interface DagStore extends DagView {
  slot(round: number, author: number): readonly StoredVertex[];
  round(round: number): readonly StoredVertex[];
  get(ref: VertexRef): StoredVertex | undefined;
  has(ref: VertexRef): boolean;
  /** The highest round ever accepted: it does not fall back when gc drops that round. */
  highestRound(): number;
  /** Validated, signature-verified vertex in; `ref` if the caller already computed the digest. */
  insert(signed: SignedVertex, ref?: VertexRef): Result<InsertOutcome, InsertReject>;
  /** Accepts a vertex whose parents are all present (throws otherwise: a caller bug). */
  accept(signed: SignedVertex, ref?: VertexRef): Result<AcceptOutcome, InsertReject>;
  /** Parents held neither accepted nor pending that buffered vertices wait for. */
  missingRefs(): readonly VertexRef[];
  isPending(ref: VertexRef): boolean;
  pendingCount(): number;
  /** Total stake of the distinct authors with an accepted vertex at `round`. */
  roundStake(round: number): bigint;
  roundHasQuorum(round: number): boolean;
  /** Accepted strict ancestors of `ref`, breadth first, at most `maxVertices` of them. */
  ancestors(ref: VertexRef, maxVertices: number): Generator<StoredVertex, void, undefined>;
  /** Accepted vertices no accepted vertex names as a parent (yet), in no particular order. */
  tips(): Iterable<StoredVertex>;
  /** Whether some accepted vertex names `ref` as a parent. */
  isReferenced(ref: VertexRef): boolean;
  gc(belowRound: number): GcOutcome;
}

const DEFAULTS = {
  maxPendingPerAuthor: 64,
  maxPendingVertices: 4096,
  maxPendingBytes: 256 * 1024 * 1024,
  maxVerticesPerSlot: 4,
} as const;

/** Bytes a buffered vertex holds, roughly: payload plus parents plus signature. */
function approximateSizeBytes(signed: SignedVertex): number {
  const v = signed.vertex;
  let size = 256 + v.parents.length * 48 + signed.signature.bytes.length;
  for (const t of v.transactions) size += t.length;
  for (const e of v.evidence) size += e.length;
  return size;
}

/**
 * Sorted insertion keeps slot (by digest) and round (by author, digest) lists canonical. Scans
 * from the end, so an arrival in order is one comparison and a push.
 */
function insertSorted(list: StoredVertex[], item: StoredVertex): void {
  let i = list.length;
  while (i > 0 && compareRefs((list[i - 1] as StoredVertex).ref, item.ref) > 0) i--;
  if (i === list.length) list.push(item);
  else list.splice(i, 0, item);
}

/**
 * An accepted vertex as the store holds it: its timestamp at hand (every child checks it), and
 * `referenced`, which turns true once an accepted vertex names it and stays.
 */
type Held = { readonly stored: StoredVertex; readonly timestampMs: number; referenced: boolean };

/** One held round: the DagView's canonical list, the slots (author → vertices) and their stake. */
type RoundRecord = { readonly list: StoredVertex[]; readonly slots: Map<number, StoredVertex[]>; stake: bigint };

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`createDagStore: ${name} must be a positive integer`);
  return value;
}

export function createDagStore(committee: Committee, init: DagStoreInit = {}): DagStore {
  const maxVerticesPerSlot = positiveInteger('maxVerticesPerSlot', init.maxVerticesPerSlot ?? DEFAULTS.maxVerticesPerSlot);
  const pending = createPendingBuffer({
    maxPendingPerAuthor: positiveInteger('maxPendingPerAuthor', init.maxPendingPerAuthor ?? DEFAULTS.maxPendingPerAuthor),
    maxPendingVertices: positiveInteger('maxPendingVertices', init.maxPendingVertices ?? DEFAULTS.maxPendingVertices),
    maxPendingBytes: positiveInteger('maxPendingBytes', init.maxPendingBytes ?? DEFAULTS.maxPendingBytes),
  });
  let gcRound = init.gcRound ?? 0;
  if (!Number.isSafeInteger(gcRound) || gcRound < 0) throw new RangeError('createDagStore: gcRound must be a non-negative integer');
  let highest = 0;
  /** Accepted vertices by key, each with whether an accepted vertex names it as a parent yet. */
  const byKey = new Map<string, Held>();
  /** Per held round: its vertices in canonical order, its slots by author, its authors' stake. */
  const rounds = new Map<number, RoundRecord>();
  /** Accepted vertices without an accepted child: the weak-link candidates (parents.ts). */
  const tips = new Map<string, StoredVertex>();

  const isPresent = (ref: VertexRef): boolean => ref.round < gcRound || byKey.has(refKey(ref));

  function checkAuthor(signed: SignedVertex): void {
    if (committee.members[signed.vertex.author] === undefined) throw new RangeError(`DagStore: author ${signed.vertex.author} is not a committee member`);
  }

  /**
   * The held parents of `signed`, in its parent order (undefined: below gc). One lookup per
   * parent serves the timestamp check and the tips both: at n validators every vertex names
   * about n parents and reaches n stores, so this loop is the DAG's hottest (n³ per round).
   */
  function heldParents(signed: SignedVertex): (Held | undefined)[] {
    const parents = signed.vertex.parents;
    const held = new Array<Held | undefined>(parents.length);
    for (let i = 0; i < parents.length; i++) held[i] = byKey.get(refKey(parents[i] as VertexRef));
    return held;
  }

  /**
   * `checkParentTimestamps` answered from `held` (heldParents of the same vertex). A parent
   * asked out of order, or twice, is looked up instead: the answer never depends on the order.
   */
  function checkTimestamps(signed: SignedVertex, held: readonly (Held | undefined)[]): Result<void, ParentTimestampReject> {
    const parents = signed.vertex.parents;
    let next = 0;
    return checkParentTimestamps(signed.vertex, (ref) => {
      const at = next;
      if (parents[at] !== ref) return byKey.get(refKey(ref))?.timestampMs;
      next++;
      return held[at]?.timestampMs;
    });
  }

  /** The round's record, created on its first vertex (the Map keeps rounds in arrival order). */
  function roundRecord(round: number): RoundRecord {
    let record = rounds.get(round);
    if (record === undefined) rounds.set(round, (record = { list: [], slots: new Map(), stake: 0n }));
    return record;
  }

  /** Adds one vertex whose parents are present (`held`: heldParents, if just looked up); the equivocations it reveals. */
  function addOne(signed: SignedVertex, ref: VertexRef, key: string, held?: readonly (Held | undefined)[]): Result<EquivocationPair[], InsertReject> {
    const slot = rounds.get(ref.round)?.slots.get(ref.author) ?? [];
    if (slot.length >= maxVerticesPerSlot && !pending.isWaitedOn(key)) {
      return err({ code: 'SLOT_FULL', round: ref.round, author: ref.author, max: maxVerticesPerSlot });
    }
    const parents = held ?? heldParents(signed);
    const timestamps = checkTimestamps(signed, parents);
    if (!timestamps.ok) return timestamps;
    const stored: StoredVertex = Object.freeze({ ref, parents: signed.vertex.parents, signed });
    const equivocations = slot.map((earlier) => Object.freeze({ first: earlier.signed, second: signed }));
    byKey.set(key, { stored, timestampMs: signed.vertex.timestampMs, referenced: false });
    tips.set(key, stored);
    for (const parent of parents) {
      if (parent === undefined || parent.referenced) continue;
      parent.referenced = true;
      tips.delete(refKey(parent.stored.ref));
    }
    const record = roundRecord(ref.round);
    if (slot.length === 0) {
      record.slots.set(ref.author, slot);
      record.stake += memberStake(committee, ref.author);
    }
    insertSorted(slot, stored);
    insertSorted(record.list, stored);
    if (ref.round > highest) highest = ref.round;
    return ok(equivocations);
  }

  /** Accepts `queue[0]` and every buffered vertex it completes, breadth first (causal order). */
  function cascade(queue: PendingEntry[], firstHeld?: readonly (Held | undefined)[]): AcceptOutcome {
    const accepted: StoredVertex[] = [];
    const equivocations: EquivocationPair[] = [];
    const rejected: { ref: VertexRef; reject: InsertReject }[] = [];
    let droppedPending = 0;
    // Each entry is taken once and each completes only buffered entries: bounded by the buffer.
    for (let i = 0; i < queue.length; i++) {
      const entry = queue[i] as PendingEntry;
      if (byKey.has(entry.key)) continue;
      const added = addOne(entry.signed, entry.ref, entry.key, i === 0 ? firstHeld : undefined);
      if (!added.ok) {
        rejected.push({ ref: entry.ref, reject: added.error });
        droppedPending += pending.dropDescendants(entry.key);
        continue;
      }
      accepted.push((byKey.get(entry.key) as Held).stored);
      equivocations.push(...added.value);
      queue.push(...pending.arrived(entry.key));
    }
    return Object.freeze({ status: 'accepted', accepted, equivocations, rejected, droppedPending });
  }

  function entryOf(signed: SignedVertex, ref: VertexRef | undefined): PendingEntry {
    const r = ref ?? vertexRef(signed.vertex);
    if (r.round !== signed.vertex.round || r.author !== signed.vertex.author) throw new RangeError('DagStore: ref does not name this vertex');
    return { key: refKey(r), ref: r, signed, sizeBytes: approximateSizeBytes(signed), missing: new Set() };
  }

  function accept(signed: SignedVertex, ref?: VertexRef): Result<AcceptOutcome, InsertReject> {
    checkAuthor(signed);
    const entry = entryOf(signed, ref);
    if (entry.ref.round < gcRound) throw new Error('DagStore.accept: vertex below the gc round');
    if (!signed.vertex.parents.every(isPresent)) throw new Error('DagStore.accept: a parent is missing');
    if (byKey.has(entry.key)) throw new Error('DagStore.accept: vertex already accepted');
    return acceptEntry(entry);
  }

  /** `accept` once its preconditions hold (insert has just checked them, finding `held`). */
  function acceptEntry(entry: PendingEntry, held?: readonly (Held | undefined)[]): Result<AcceptOutcome, InsertReject> {
    const outcome = cascade([entry], held);
    const first = outcome.rejected[0];
    if (outcome.accepted.length === 0 && first !== undefined) return err(first.reject);
    return ok(outcome);
  }

  function insert(signed: SignedVertex, ref?: VertexRef): Result<InsertOutcome, InsertReject> {
    checkAuthor(signed);
    const { round, author } = signed.vertex;
    if (round < gcRound) return err({ code: 'BELOW_GC', round, gcRound });
    const entry = entryOf(signed, ref);
    if (byKey.has(entry.key) || pending.has(entry.key)) return ok({ status: 'duplicate' });
    const held = heldParents(signed);
    const missing = signed.vertex.parents.filter((p, i) => held[i] === undefined && p.round >= gcRound);
    if (missing.length === 0) return acceptEntry(entry, held);
    const scope = pending.makeRoom(author, round, entry.sizeBytes);
    if (scope !== undefined) return err({ code: 'PENDING_FULL', scope, author });
    const missingKeyed = missing.map((p) => ({ key: refKey(p), ref: p }));
    for (const m of missingKeyed) entry.missing.add(m.key);
    pending.add(entry, missingKeyed);
    return ok(Object.freeze({ status: 'pending', missing: missingKeyed.filter((m) => !pending.has(m.key)).map((m) => m.ref) }));
  }

  function gc(belowRound: number): GcOutcome {
    if (!Number.isSafeInteger(belowRound) || belowRound < 0) throw new RangeError('DagStore.gc: belowRound must be a non-negative integer');
    const dropped: StoredVertex[] = [];
    if (belowRound <= gcRound) return Object.freeze({ dropped, droppedPending: 0, released: cascade([]) });
    gcRound = belowRound;
    // Round-indexed: the work is the held rounds plus the vertices dropped, in arrival order of rounds.
    for (const [r, record] of [...rounds]) {
      if (r >= belowRound) continue;
      for (const v of record.list) {
        const key = refKey(v.ref);
        byKey.delete(key);
        tips.delete(key);
        dropped.push(v);
      }
      rounds.delete(r);
    }
    const { dropped: droppedPending, complete } = pending.dropBelow(belowRound);
    return Object.freeze({ dropped, droppedPending, released: cascade(complete) });
  }

  function* ancestors(ref: VertexRef, maxVertices: number): Generator<StoredVertex, void, undefined> {
    if (!Number.isSafeInteger(maxVertices) || maxVertices < 0) throw new RangeError('DagStore.ancestors: maxVertices must be a non-negative integer');
    const start = byKey.get(refKey(ref))?.stored;
    if (start === undefined) return;
    const seen = new Set<string>();
    const queue: StoredVertex[] = [start];
    let yielded = 0;
    for (let i = 0; i < queue.length && yielded < maxVertices; i++) {
      for (const p of (queue[i] as StoredVertex).parents) {
        const key = refKey(p);
        const parent = byKey.get(key)?.stored;
        if (parent === undefined || seen.has(key)) continue;
        seen.add(key);
        queue.push(parent);
        yield parent;
        if (++yielded >= maxVertices) return;
      }
    }
  }

  return Object.freeze({
    slot: (round: number, author: number) => rounds.get(round)?.slots.get(author) ?? [],
    round: (round: number) => rounds.get(round)?.list ?? [],
    get: (ref: VertexRef) => byKey.get(refKey(ref))?.stored,
    has: (ref: VertexRef) => byKey.has(refKey(ref)),
    highestRound: () => highest,
    lowestRound: () => gcRound,
    insert,
    accept,
    missingRefs: () => pending.missingRefs(),
    isPending: (ref: VertexRef) => pending.has(refKey(ref)),
    pendingCount: () => pending.size(),
    roundStake: (round: number) => rounds.get(round)?.stake ?? 0n,
    roundHasQuorum: (round: number) => isQuorum(committee, rounds.get(round)?.stake ?? 0n),
    ancestors,
    tips: () => tips.values(),
    isReferenced: (ref: VertexRef) => byKey.get(refKey(ref))?.referenced === true,
    gc,
  });
}
