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
import { compareRefs, refKey, slotKey } from './_ref.ts';
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
  const byKey = new Map<string, StoredVertex>();
  const slots = new Map<string, StoredVertex[]>();
  const rounds = new Map<number, StoredVertex[]>();
  const roundAuthors = new Map<number, { readonly authors: Set<number>; stake: bigint }>();
  /** Accepted vertices without an accepted child: the weak-link candidates (parents.ts). */
  const tips = new Map<string, StoredVertex>();

  const isPresent = (ref: VertexRef): boolean => ref.round < gcRound || byKey.has(refKey(ref));
  const timestampOf = (ref: VertexRef): number | undefined => byKey.get(refKey(ref))?.signed.vertex.timestampMs;

  function checkAuthor(signed: SignedVertex): void {
    if (committee.members[signed.vertex.author] === undefined) throw new RangeError(`DagStore: author ${signed.vertex.author} is not a committee member`);
  }

  /** Sorted insertion keeps slot (by digest) and round (by author, digest) lists canonical. */
  function insertSorted(list: StoredVertex[], item: StoredVertex): void {
    let i = list.length;
    while (i > 0 && compareRefs((list[i - 1] as StoredVertex).ref, item.ref) > 0) i--;
    list.splice(i, 0, item);
  }

  /** Adds one vertex whose parents are present; the equivocations it reveals. */
  function addOne(signed: SignedVertex, ref: VertexRef, key: string): Result<EquivocationPair[], InsertReject> {
    const sKey = slotKey(ref.round, ref.author);
    const slot = slots.get(sKey) ?? [];
    if (slot.length >= maxVerticesPerSlot && !pending.isWaitedOn(key)) {
      return err({ code: 'SLOT_FULL', round: ref.round, author: ref.author, max: maxVerticesPerSlot });
    }
    const timestamps = checkParentTimestamps(signed.vertex, timestampOf);
    if (!timestamps.ok) return timestamps;
    const stored: StoredVertex = Object.freeze({ ref, parents: signed.vertex.parents, signed });
    const equivocations = slot.map((earlier) => Object.freeze({ first: earlier.signed, second: signed }));
    byKey.set(key, stored);
    tips.set(key, stored);
    for (const p of signed.vertex.parents) tips.delete(refKey(p));
    insertSorted(slot, stored);
    slots.set(sKey, slot);
    const roundList = rounds.get(ref.round) ?? [];
    insertSorted(roundList, stored);
    rounds.set(ref.round, roundList);
    const seen = roundAuthors.get(ref.round) ?? { authors: new Set<number>(), stake: 0n };
    if (!seen.authors.has(ref.author)) {
      seen.authors.add(ref.author);
      seen.stake += memberStake(committee, ref.author);
    }
    roundAuthors.set(ref.round, seen);
    if (ref.round > highest) highest = ref.round;
    return ok(equivocations);
  }

  /** Accepts `first` and every buffered vertex it completes, breadth first (causal order). */
  function cascade(queue: PendingEntry[]): AcceptOutcome {
    const accepted: StoredVertex[] = [];
    const equivocations: EquivocationPair[] = [];
    const rejected: { ref: VertexRef; reject: InsertReject }[] = [];
    let droppedPending = 0;
    // Each entry is taken once and each completes only buffered entries: bounded by the buffer.
    for (let i = 0; i < queue.length; i++) {
      const entry = queue[i] as PendingEntry;
      if (byKey.has(entry.key)) continue;
      const added = addOne(entry.signed, entry.ref, entry.key);
      if (!added.ok) {
        rejected.push({ ref: entry.ref, reject: added.error });
        droppedPending += pending.dropDescendants(entry.key);
        continue;
      }
      accepted.push(byKey.get(entry.key) as StoredVertex);
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

  /** `accept` once its preconditions hold (insert has just checked them). */
  function acceptEntry(entry: PendingEntry): Result<AcceptOutcome, InsertReject> {
    const outcome = cascade([entry]);
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
    const missing = signed.vertex.parents.filter((p) => !isPresent(p));
    if (missing.length === 0) return acceptEntry(entry);
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
    for (const [r, list] of [...rounds]) {
      if (r >= belowRound) continue;
      for (const v of list) {
        byKey.delete(refKey(v.ref));
        tips.delete(refKey(v.ref));
        slots.delete(slotKey(v.ref.round, v.ref.author));
        dropped.push(v);
      }
      rounds.delete(r);
      roundAuthors.delete(r);
    }
    const { dropped: droppedPending, complete } = pending.dropBelow(belowRound);
    return Object.freeze({ dropped, droppedPending, released: cascade(complete) });
  }

  function* ancestors(ref: VertexRef, maxVertices: number): Generator<StoredVertex, void, undefined> {
    if (!Number.isSafeInteger(maxVertices) || maxVertices < 0) throw new RangeError('DagStore.ancestors: maxVertices must be a non-negative integer');
    const start = byKey.get(refKey(ref));
    if (start === undefined) return;
    const seen = new Set<string>();
    const queue: StoredVertex[] = [start];
    let yielded = 0;
    for (let i = 0; i < queue.length && yielded < maxVertices; i++) {
      for (const p of (queue[i] as StoredVertex).parents) {
        const key = refKey(p);
        const parent = byKey.get(key);
        if (parent === undefined || seen.has(key)) continue;
        seen.add(key);
        queue.push(parent);
        yield parent;
        if (++yielded >= maxVertices) return;
      }
    }
  }

  return Object.freeze({
    slot: (round: number, author: number) => slots.get(slotKey(round, author)) ?? [],
    round: (round: number) => rounds.get(round) ?? [],
    get: (ref: VertexRef) => byKey.get(refKey(ref)),
    has: (ref: VertexRef) => byKey.has(refKey(ref)),
    highestRound: () => highest,
    lowestRound: () => gcRound,
    insert,
    accept,
    missingRefs: () => pending.missingRefs(),
    isPending: (ref: VertexRef) => pending.has(refKey(ref)),
    pendingCount: () => pending.size(),
    roundStake: (round: number) => roundAuthors.get(round)?.stake ?? 0n,
    roundHasQuorum: (round: number) => isQuorum(committee, roundAuthors.get(round)?.stake ?? 0n),
    ancestors,
    tips: () => tips.values(),
    isReferenced: (ref: VertexRef) => byKey.has(refKey(ref)) && !tips.has(refKey(ref)),
    gc,
  });
}
