/**
 * The DAG view model: a pure, incremental picture of a running DAG-BFT network for the
 * renderer. It ingests the view's events (types.ts) one at a time and answers what a canvas
 * needs for the rounds in view — no DOM, no timers.
 *
 * What it keeps (DESIGN.md §2 "PBFT on the DAG", docs/protocol.md "Leaders and the commit rule"):
 * - vertices by (round, author, digest) with their parents; equivocating vertices of one slot
 *   side by side, in digest order;
 * - per leader slot, the three PBFT phases (pre-prepare, prepare, commit) computed from the DAG
 *   with stake (_phases.ts), cached per slot until rounds r..r+2 change;
 * - each validator's reported decisions (committed / skipped, direct or indirect), so the view
 *   can show the network as one chosen observer saw it, and that observer's finalized region
 *   (rounds ≤ its last committed leader round);
 * - at most `maxRounds` rounds (default 2,000); older rounds are dropped and only counted.
 *
 * Caveat: the model shows every proposed vertex, including ones the observer has not accepted
 * yet (`acceptedBy` tells which); the phases are computed over all of them, so they show what
 * the network as a whole has built, while decisions are the observer's own.
 */
import { computeLeaderPhases, type LeaderPhases } from './_phases.ts';
import { createRoundWindow, type DroppedSummary, type ObserverDecision, type RoundBucket } from './_roundWindow.ts';
import { createStakeTable, type StakeTable } from './_stake.ts';
import type { CommittedEvent, DagEvent, DagRef, SkippedEvent } from './types.ts';
import { checkAuthor, checkRef, refKey, toViewVertex, type VertexKey, type ViewVertex } from './vertex.ts';
import { vertexRoles, type VertexRole } from './_roles.ts';

export type { LeaderCandidate, LeaderPhases } from './_phases.ts';
export type { DroppedSummary, ObserverDecision } from './_roundWindow.ts';
export type { VertexRole } from './_roles.ts';

/** Rounds kept by default: 2,000 rounds of 100 validators is 200,000 vertices at most. */
export const DEFAULT_MAX_ROUNDS = 2_000;

export type DagModelInit = {
  /** Stake per validator (index = author); also fixes the number of validators. */
  readonly stakes: readonly number[];
  /** Whose decisions the view shows; default 0. */
  readonly observer?: number;
  /** Rounds kept; default DEFAULT_MAX_ROUNDS. */
  readonly maxRounds?: number;
  /** The leader schedule, when known up front; leaders are also learned from decisions. */
  readonly leaderOf?: (round: number) => number | undefined;
};

export type IngestOutcome = 'applied' | 'duplicate' | 'outside-window';

/** Running totals per validator; they survive the rounds they came from being dropped. */
export type ObserverStats = {
  readonly committedLeaders: number;
  readonly skippedLeaders: number;
  /** Round of the highest committed leader; 0 before the first commit. */
  readonly lastCommittedRound: number;
  readonly lastCommitIndex: number;
  readonly lastCertifiedSequence: number;
  readonly evidenceReported: number;
};

export type VertexDetails = {
  readonly vertex: ViewVertex;
  readonly parents: readonly { readonly ref: DagRef; readonly known: boolean }[];
  readonly slotIndex: number;
  readonly slotSize: number;
  /** The vertex's author proposed another vertex in this slot, or evidence names it. */
  readonly equivocation: boolean;
  readonly acceptedByCount: number;
  readonly acceptedByObserver: boolean;
  readonly finalized: boolean;
  /** Which phase this vertex plays for which leader. */
  readonly roles: readonly VertexRole[];
};

/** A visitor over vertices in view: the vertex and its place among its slot's vertices. */
export type VertexVisitor = (vertex: ViewVertex, slotIndex: number, slotSize: number) => void;

export type DagModel = {
  readonly validators: number;
  readonly stake: StakeTable;
  readonly maxRounds: number;
  /** Bumped on every change; a renderer redraws when it moves. */
  version(): number;
  observer(): number;
  setObserver(validator: number): void;
  ingest(event: DagEvent): IngestOutcome;
  /** Ingests a batch; returns how many events changed the model. */
  ingestAll(events: Iterable<DagEvent>): number;
  /** Rounds held, or undefined before the first vertex. */
  roundRange(): { readonly lowest: number; readonly highest: number } | undefined;
  forEachVertexInRounds(firstRound: number, lastRound: number, visit: VertexVisitor): void;
  verticesInRounds(firstRound: number, lastRound: number): ViewVertex[];
  /** Visits each parent edge of the vertices in [firstRound, lastRound]; `parent` is undefined when not held. */
  forEachEdgeInRounds(firstRound: number, lastRound: number, visit: (child: ViewVertex, parentRef: DagRef, parent: ViewVertex | undefined) => void): void;
  vertex(ref: DagRef | VertexKey): ViewVertex | undefined;
  slot(round: number, author: number): readonly ViewVertex[];
  leaderOf(round: number): number | undefined;
  /** The PBFT phases of the round's leader slot; undefined when the leader is not known. */
  phases(round: number): LeaderPhases | undefined;
  /** The observer's (or `by`'s) decision on the round's leader slot. */
  decision(round: number, by?: number): ObserverDecision | undefined;
  /** Highest round of the finalized region as `by` (default: the observer) sees it; 0 for none. */
  finalizedRound(by?: number): number;
  stats(by?: number): ObserverStats;
  /** Newest leader round worth highlighting: its vertex is held, preferably with round r+2 too. */
  latestLeaderRound(): number | undefined;
  /** Validators named by evidence or seen with two vertices at `round`. */
  equivocators(round: number): readonly number[];
  details(ref: DagRef | VertexKey): VertexDetails | undefined;
  dropped(): DroppedSummary;
};

const EMPTY: readonly ViewVertex[] = Object.freeze([]);

function emptyStats(): ObserverStats {
  return { committedLeaders: 0, skippedLeaders: 0, lastCommittedRound: 0, lastCommitIndex: 0, lastCertifiedSequence: 0, evidenceReported: 0 };
}

export function createDagModel(init: DagModelInit): DagModel {
  const stake = createStakeTable(init.stakes);
  const validators = stake.stakes.length;
  const window = createRoundWindow(init.maxRounds ?? DEFAULT_MAX_ROUNDS);
  const stats: ObserverStats[] = Array.from({ length: validators }, emptyStats);
  const phasesCache = new Map<number, LeaderPhases>();
  let observer = init.observer ?? 0;
  checkAuthor(observer, validators, 'observer');
  let version = 0;
  window.onEvict = (round) => phasesCache.delete(round);

  const keyOf = (ref: DagRef | VertexKey): VertexKey => (typeof ref === 'string' ? ref : refKey(ref));
  const roundOfKey = (key: VertexKey): number => Number(key.slice(0, key.indexOf('/')));
  const byOrObserver = (by: number | undefined): number => {
    const who = by ?? observer;
    checkAuthor(who, validators, 'by');
    return who;
  };
  const applied = (): IngestOutcome => {
    version++;
    return 'applied';
  };
  const updateStats = (by: number, change: (s: ObserverStats) => ObserverStats): void => {
    stats[by] = change(stats[by] as ObserverStats);
  };

  function leaderOf(round: number): number | undefined {
    return window.bucket(round)?.leader ?? init.leaderOf?.(round);
  }

  function learnLeader(bucket: RoundBucket, leader: number): void {
    if (bucket.leader === leader) return;
    bucket.leader = leader;
    phasesCache.delete(bucket.round);
  }

  function recordDecision(bucket: RoundBucket | undefined, by: number, decision: ObserverDecision): IngestOutcome {
    if (bucket !== undefined) {
      if (bucket.decisions.has(by)) return 'duplicate';
      bucket.decisions.set(by, Object.freeze(decision));
      learnLeader(bucket, decision.leader);
    }
    return applied();
  }

  function onCommitted(event: CommittedEvent): IngestOutcome {
    checkRef(event.leader, validators, 'committed.leader');
    checkAuthor(event.by, validators, 'committed.by');
    const { round, author, digest } = event.leader;
    const outcome = recordDecision(window.ensureBucket(round), event.by, { status: 'committed', round, leader: author, digest, index: event.index, how: event.how, timeMs: event.timeMs });
    if (outcome === 'applied') {
      updateStats(event.by, (s) => ({ ...s, committedLeaders: s.committedLeaders + 1, lastCommittedRound: Math.max(s.lastCommittedRound, round), lastCommitIndex: Math.max(s.lastCommitIndex, event.index) }));
    }
    return outcome;
  }

  function onSkipped(event: SkippedEvent): IngestOutcome {
    checkAuthor(event.by, validators, 'skipped.by');
    checkAuthor(event.leader, validators, 'skipped.leader');
    const outcome = recordDecision(window.ensureBucket(event.round), event.by, { status: 'skipped', round: event.round, leader: event.leader, how: event.how, timeMs: event.timeMs });
    if (outcome === 'applied') updateStats(event.by, (s) => ({ ...s, skippedLeaders: s.skippedLeaders + 1 }));
    return outcome;
  }

  function ingest(event: DagEvent): IngestOutcome {
    switch (event.type) {
      case 'vertexProposed': {
        const vertex = toViewVertex(event, validators);
        const bucket = window.ensureBucket(vertex.round);
        if (bucket === undefined) return 'outside-window';
        if (!window.insertVertex(bucket, vertex)) return 'duplicate';
        for (let r = vertex.round - 2; r <= vertex.round; r++) phasesCache.delete(r);
        return applied();
      }
      case 'vertexAccepted': {
        checkRef(event.ref, validators, 'vertexAccepted.ref');
        checkAuthor(event.by, validators, 'vertexAccepted.by');
        const bucket = window.ensureBucket(event.ref.round);
        if (bucket === undefined) return 'outside-window';
        const key = refKey(event.ref);
        let bitmap = bucket.acceptedBy.get(key);
        if (bitmap === undefined) bucket.acceptedBy.set(key, (bitmap = new Uint8Array(Math.ceil(validators / 8))));
        const mask = 1 << (event.by & 7);
        const byte = bitmap[event.by >> 3] as number;
        if ((byte & mask) !== 0) return 'duplicate';
        bitmap[event.by >> 3] = byte | mask;
        return applied();
      }
      case 'committed':
        return onCommitted(event);
      case 'skipped':
        return onSkipped(event);
      case 'certified':
        checkAuthor(event.by, validators, 'certified.by');
        updateStats(event.by, (s) => ({ ...s, lastCertifiedSequence: Math.max(s.lastCertifiedSequence, event.sequence) }));
        return applied();
      case 'evidence': {
        checkAuthor(event.by, validators, 'evidence.by');
        checkAuthor(event.offender, validators, 'evidence.offender');
        updateStats(event.by, (s) => ({ ...s, evidenceReported: s.evidenceReported + 1 }));
        window.ensureBucket(event.round)?.evidenceOffenders.add(event.offender);
        return applied();
      }
    }
  }

  function forEachVertexInRounds(firstRound: number, lastRound: number, visit: VertexVisitor): void {
    const from = Math.max(firstRound, window.lowestRound());
    const to = Math.min(lastRound, window.highestRound());
    for (let round = from; round <= to; round++) {
      const bucket = window.bucket(round);
      if (bucket === undefined) continue;
      // Vertices are sorted by (author, digest), so a slot's vertices are consecutive.
      let previousAuthor = -1;
      let slotIndex = 0;
      for (const v of bucket.vertices) {
        slotIndex = v.author === previousAuthor ? slotIndex + 1 : 0;
        previousAuthor = v.author;
        visit(v, slotIndex, bucket.slots.get(v.author)?.length ?? 1);
      }
    }
  }

  function vertex(ref: DagRef | VertexKey): ViewVertex | undefined {
    const key = keyOf(ref);
    return window.bucket(roundOfKey(key))?.byKey.get(key);
  }

  function slot(round: number, author: number): readonly ViewVertex[] {
    return window.bucket(round)?.slots.get(author) ?? EMPTY;
  }

  function phases(round: number): LeaderPhases | undefined {
    const cached = phasesCache.get(round);
    if (cached !== undefined) return cached;
    const leader = leaderOf(round);
    if (leader === undefined || round < window.lowestRound() || round > window.highestRound()) return undefined;
    const computed = computeLeaderPhases({ stake, slot, roundVertices: (r) => window.bucket(r)?.vertices ?? EMPTY }, round, leader);
    phasesCache.set(round, computed);
    return computed;
  }

  function finalizedRound(by?: number): number {
    return stats[byOrObserver(by)]?.lastCommittedRound ?? 0;
  }

  function equivocators(round: number): readonly number[] {
    const bucket = window.bucket(round);
    if (bucket === undefined) return EMPTY as readonly never[];
    const found = new Set(bucket.evidenceOffenders);
    for (const [author, vertices] of bucket.slots) if (vertices.length > 1) found.add(author);
    return [...found].sort((a, b) => a - b);
  }

  function details(ref: DagRef | VertexKey): VertexDetails | undefined {
    const found = vertex(ref);
    if (found === undefined) return undefined;
    const bucket = window.bucket(found.round) as RoundBucket;
    const slotVertices = slot(found.round, found.author);
    const bitmap = bucket.acceptedBy.get(found.key);
    let acceptedByCount = 0;
    for (let v = 0; v < validators; v++) if (bitmap !== undefined && ((bitmap[v >> 3] as number) & (1 << (v & 7))) !== 0) acceptedByCount++;
    return Object.freeze({
      vertex: found,
      parents: Object.freeze(found.parents.map((p) => Object.freeze({ ref: p, known: vertex(p) !== undefined }))),
      slotIndex: slotVertices.indexOf(found),
      slotSize: slotVertices.length,
      equivocation: slotVertices.length > 1 || bucket.evidenceOffenders.has(found.author),
      acceptedByCount,
      acceptedByObserver: bitmap !== undefined && ((bitmap[observer >> 3] as number) & (1 << (observer & 7))) !== 0,
      finalized: found.round <= finalizedRound(),
      roles: vertexRoles(found, { leaderOf, phases, decision: (round) => window.bucket(round)?.decisions.get(observer) }),
    });
  }

  function latestLeaderRound(): number | undefined {
    let fallback: number | undefined;
    for (let round = window.highestRound(); round >= window.lowestRound(); round--) {
      const leader = leaderOf(round);
      if (leader === undefined || slot(round, leader).length === 0) continue;
      if (window.bucket(round + 2) !== undefined) return round;
      fallback ??= round;
    }
    return fallback;
  }

  return Object.freeze({
    validators,
    stake,
    maxRounds: window.maxRounds,
    version: () => version,
    observer: () => observer,
    setObserver(validator: number) {
      checkAuthor(validator, validators, 'setObserver');
      if (validator === observer) return;
      observer = validator;
      version++;
    },
    ingest,
    ingestAll(events: Iterable<DagEvent>) {
      let count = 0;
      for (const event of events) if (ingest(event) === 'applied') count++;
      return count;
    },
    roundRange: () => (window.highestRound() === 0 ? undefined : Object.freeze({ lowest: window.lowestRound(), highest: window.highestRound() })),
    forEachVertexInRounds,
    verticesInRounds(firstRound: number, lastRound: number) {
      const out: ViewVertex[] = [];
      forEachVertexInRounds(firstRound, lastRound, (v) => out.push(v));
      return out;
    },
    forEachEdgeInRounds(firstRound, lastRound, visit) {
      forEachVertexInRounds(firstRound, lastRound, (child) => {
        for (const parentRef of child.parents) visit(child, parentRef, vertex(parentRef));
      });
    },
    vertex,
    slot,
    leaderOf,
    phases,
    decision: (round: number, by?: number) => window.bucket(round)?.decisions.get(byOrObserver(by)),
    finalizedRound,
    stats: (by?: number) => stats[byOrObserver(by)] as ObserverStats,
    latestLeaderRound,
    equivocators,
    details,
    dropped: () => window.dropped(),
  });
}
