/**
 * Test support: hand-built DAGs behind the real `DagView` interface, plus committees with
 * chosen stakes and fixed leader schedules.
 *
 * Vertices carry no payload and no signature: the commit rule and linearizer read only refs and
 * parents. A test vertex's digest is BLAKE3 of (round, author, variant), so the same slot with
 * another `variant` is an equivocating twin, and a digest can be printed back as `r3/2'`.
 */
import { hashDomain, type Hash32 } from '../../crypto/index.ts';
import type { DagVertex, DagView, VertexRef } from '../../dag/types.ts';
import { type Committee, createCommittee } from '../committee.ts';
import type { LeaderElector } from '../leaderSchedule.ts';
import { compareVertexRefs, refKey, u64Bytes } from '../_vertexRefs.ts';

/** Variants a test names (`'` marks per variant in printed refs); more are never needed. */
const MAX_VARIANTS = 4;

export function testDigest(round: number, author: number, variant = 0): Hash32 {
  return hashDomain('kaldrix/test-vertex/v1', u64Bytes(round), u64Bytes(author), Uint8Array.of(variant));
}

export function testRef(round: number, author: number, variant = 0): VertexRef {
  return Object.freeze({ round, author, digest: testDigest(round, author, variant) });
}

/** Which variant of its slot `ref` is (-1 when it is not a test digest). */
export function variantOf(ref: VertexRef): number {
  for (let v = 0; v < MAX_VARIANTS; v++) {
    if (refKey(ref) === refKey(testRef(ref.round, ref.author, v))) return v;
  }
  return -1;
}

/** `r3/2` for variant 0, `r3/2'` for variant 1, … */
export function formatRef(ref: VertexRef): string {
  const variant = variantOf(ref);
  return `r${ref.round}/${ref.author}${variant < 0 ? '?' : "'".repeat(variant)}`;
}

/** A committee whose member i has stakes[i] (addresses chosen so sorting keeps the order). */
export function testCommittee(stakes: number | readonly bigint[]): Committee {
  const list = typeof stakes === 'number' ? Array.from({ length: stakes }, () => 1n) : stakes;
  return createCommittee(
    0n,
    list.map((stake, i) => ({
      address: Uint8Array.of(i >>> 8, i & 0xff),
      key: { scheme: 'ml-dsa-44' as const, publicKey: new Uint8Array(1312) },
      stake,
    })),
  );
}

/** Leader of round r is leaders(r). */
export function fixedLeaders(leaders: (round: number) => number): LeaderElector {
  return { leaderOf: leaders };
}

export const roundRobin = (n: number): LeaderElector => fixedLeaders((round) => round % n);

/** A growable DagView: vertices are inserted one by one, parents first. */
export type TestDag = DagView & {
  insert(vertex: DagVertex): void;
  has(ref: VertexRef): boolean;
  /** Every held vertex, in insertion order. */
  vertices(): readonly DagVertex[];
  /** Garbage-collects rounds below `round`. */
  collectBelow(round: number): void;
};

export function createTestDag(): TestDag {
  const byKey = new Map<string, DagVertex>();
  const byRound = new Map<number, DagVertex[]>();
  let inserted: DagVertex[] = [];
  let lowest = 0;
  let highest = 0;
  const insert = (vertex: DagVertex): void => {
    const key = refKey(vertex.ref);
    if (byKey.has(key)) throw new Error(`test DAG: ${formatRef(vertex.ref)} inserted twice`);
    if (vertex.ref.round < lowest) throw new Error(`test DAG: ${formatRef(vertex.ref)} is below the lowest round ${lowest}`);
    for (const p of vertex.parents) {
      if (p.round >= vertex.ref.round) throw new Error(`test DAG: parent ${formatRef(p)} not below ${formatRef(vertex.ref)}`);
      if (p.round >= lowest && !byKey.has(refKey(p))) throw new Error(`test DAG: parent ${formatRef(p)} of ${formatRef(vertex.ref)} missing`);
    }
    // Canonical parent order, as vertex validation guarantees for every real vertex.
    const frozen = Object.freeze({ ref: vertex.ref, parents: Object.freeze([...vertex.parents].sort(compareVertexRefs)) });
    byKey.set(key, frozen);
    const list = byRound.get(vertex.ref.round) ?? [];
    list.push(frozen);
    list.sort((a, b) => compareVertexRefs(a.ref, b.ref));
    byRound.set(vertex.ref.round, list);
    inserted.push(frozen);
    highest = Math.max(highest, vertex.ref.round);
  };
  return {
    insert,
    has: (ref) => byKey.has(refKey(ref)),
    vertices: () => inserted,
    collectBelow: (round) => {
      lowest = Math.max(lowest, round);
      for (const [r, list] of byRound) {
        if (r >= lowest) continue;
        for (const v of list) byKey.delete(refKey(v.ref));
        byRound.delete(r);
      }
      inserted = inserted.filter((v) => v.ref.round >= lowest);
    },
    slot: (round, author) => (byRound.get(round) ?? []).filter((v) => v.ref.author === author),
    round: (round) => byRound.get(round) ?? [],
    get: (ref) => byKey.get(refKey(ref)),
    highestRound: () => highest,
    lowestRound: () => lowest,
  };
}

/** Programmatic builder over a TestDag with `n` authors. */
export type DagBuilder = {
  readonly n: number;
  readonly dag: TestDag;
  /** Adds one vertex with explicit parents; returns its ref. */
  vertex(round: number, author: number, parents: readonly VertexRef[], variant?: number): VertexRef;
  /**
   * Adds variant-0 vertices of `authors` (default all) at `round`, each with parents the
   * variant-0 vertices of `parentAuthors` (default: all present) at round − 1.
   */
  round(round: number, authors?: readonly number[], parentAuthors?: readonly number[]): VertexRef[];
  /** Every author at every round from..to, each referencing the whole previous round. */
  fullyConnected(fromRound: number, toRound: number): void;
  /** Round `round` with every author but `leader`, fully referencing round − 1. */
  withoutLeader(round: number, leader: number): VertexRef[];
  /** Two vertices for (round, author), variants 0 and 1, with the given parent authors at round − 1. */
  equivocate(round: number, author: number, parentsA: readonly number[], parentsB: readonly number[]): [VertexRef, VertexRef];
  /** Rounds from..to where only `group` produces vertices (the rest is cut off), referencing each other. */
  partition(fromRound: number, toRound: number, group: readonly number[]): void;
};

export function createDagBuilder(n: number): DagBuilder {
  const dag = createTestDag();
  const all = Array.from({ length: n }, (_, i) => i);
  const vertex = (round: number, author: number, parents: readonly VertexRef[], variant = 0): VertexRef => {
    const ref = testRef(round, author, variant);
    dag.insert({ ref, parents });
    return ref;
  };
  const previous = (round: number, parentAuthors?: readonly number[]): VertexRef[] =>
    round <= 1 ? [] : (parentAuthors ?? all).map((a) => testRef(round - 1, a)).filter((r) => dag.has(r));
  const round = (r: number, authors: readonly number[] = all, parentAuthors?: readonly number[]): VertexRef[] =>
    authors.map((a) => vertex(r, a, previous(r, parentAuthors)));
  return {
    n,
    dag,
    vertex,
    round,
    fullyConnected: (from, to) => {
      for (let r = from; r <= to; r++) round(r);
    },
    withoutLeader: (r, leader) => round(r, all.filter((a) => a !== leader)),
    equivocate: (r, author, parentsA, parentsB) => [
      vertex(r, author, previous(r, parentsA), 0),
      vertex(r, author, previous(r, parentsB), 1),
    ],
    partition: (from, to, group) => {
      for (let r = from; r <= to; r++) round(r, group, group);
    },
  };
}
