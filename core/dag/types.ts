/**
 * The DAG's shared vocabulary: references to vertices and a read-only view of a local DAG.
 *
 * DESIGN.md §2 DAG and consensus. Every validator signs at most one vertex per round (an honest
 * one exactly one); a Byzantine author may sign several for one (round, author) slot —
 * equivocation — so a slot can hold more than one vertex and references carry the digest.
 * The commit rule and the linearizer read the DAG only through `DagView`, so they run the same
 * over the validator's store, a simulator's or a test's hand-built DAG.
 */
import type { Hash32 } from '../crypto/index.ts';

/** A reference to one vertex: its slot (round, author index) and its digest. */
export type VertexRef = {
  readonly round: number;
  readonly author: number;
  readonly digest: Hash32;
};

/** What the commit rule and linearizer need of a vertex. */
export type DagVertex = {
  readonly ref: VertexRef;
  /**
   * Parents at round - 1 (at least a quorum by stake), plus optional weak links to older rounds,
   * in canonical (round, author, digest) order — vertex validation refuses any other, and the
   * commit rule finds a slot among them by binary search.
   */
  readonly parents: readonly VertexRef[];
};

/** A read-only view of the locally accepted DAG (every vertex's parents are present). */
export interface DagView {
  /** All accepted vertices of one slot: usually one; more when the author equivocated. */
  slot(round: number, author: number): readonly DagVertex[];
  /** All accepted vertices of one round, in (author, digest) order. */
  round(round: number): readonly DagVertex[];
  /** The vertex with this reference, if accepted (and not garbage-collected). */
  get(ref: VertexRef): DagVertex | undefined;
  /** Highest round with at least one accepted vertex (0 for an empty DAG). */
  highestRound(): number;
  /** Lowest round still held (below it, vertices were garbage-collected). */
  lowestRound(): number;
}
