/**
 * Test support: random valid DAGs with up to f equivocating authors, and random delivery
 * orders that respect causality — the inputs of the "same DAG in 100 orders" property
 * (after Sui consensus/core/src/tests/randomized_tests.rs; our own generator).
 *
 * Validity as DESIGN.md §2 defines it: every vertex has at most one parent per author and
 * parents from the previous round worth a quorum of stake, plus optional weak links to older
 * rounds (to authors it has no strong parent from). Honest authors sign at most one vertex per
 * round and sometimes miss a round; Byzantine authors (total stake below one third) sometimes
 * sign two vertices for one slot with different parents. Every round keeps a quorum of stake
 * present, so the DAG can always grow.
 */
import type { DagVertex, VertexRef } from '../../dag/types.ts';
import { type Committee, isQuorum, stakeOf } from '../committee.ts';
import { refKey } from '../_vertexRefs.ts';
import { testCommittee, testRef } from './dagBuilder.ts';
import { createPrng } from '../../prng.ts';

/** A small deterministic PRNG (mulberry32): tests only; the simulator has its own. */
export type TestPrng = { nextFloat(): number; nextInt(bound: number): number };

export function createTestPrng(seed: number): TestPrng {
  return createPrng(seed);
}

function shuffle<T>(items: readonly T[], prng: TestPrng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.nextInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export type RandomDagInit = {
  readonly n: number;
  readonly rounds: number;
  readonly seed: number;
  /** Random stakes 1..5 instead of equal ones. */
  readonly weighted: boolean;
};

export type RandomDag = {
  readonly committee: Committee;
  readonly byzantine: readonly number[];
  /** All vertices, round by round (itself a causal order). */
  readonly vertices: readonly DagVertex[];
};

/** Byzantine authors: a random set whose stake stays at most total − quorum (below one third). */
function pickByzantine(committee: Committee, prng: TestPrng): number[] {
  const budget = committee.totalStake - committee.quorumStake;
  const chosen: number[] = [];
  let stake = 0n;
  for (const m of shuffle(committee.members, prng)) {
    if (stake + m.stake > budget || prng.nextFloat() < 0.3) continue;
    chosen.push(m.index);
    stake += m.stake;
  }
  return chosen.sort((a, b) => a - b);
}

/** Parents for a new vertex: a random quorum (or more) of round r-1 authors, one vertex each. */
function chooseParents(committee: Committee, previous: ReadonlyMap<number, VertexRef[]>, older: readonly VertexRef[], prng: TestPrng): VertexRef[] {
  const authors = shuffle([...previous.keys()], prng);
  const picked: number[] = [];
  for (const a of authors) {
    if (isQuorum(committee, stakeOf(committee, picked)) && prng.nextFloat() < 0.5) continue;
    picked.push(a);
  }
  const parents = picked.map((a) => {
    const options = previous.get(a) as VertexRef[];
    return options[prng.nextInt(options.length)] as VertexRef;
  });
  // Now and then a weak link to an older vertex of an author not already referenced.
  const weak = older.length > 0 && prng.nextFloat() < 0.15 ? older[prng.nextInt(older.length)] : undefined;
  if (weak !== undefined && !picked.includes(weak.author)) parents.push(weak);
  return parents;
}

/** Authors present at a round: most honest ones, some Byzantine ones; at least a quorum of stake. */
function presentAuthors(committee: Committee, prng: TestPrng): number[] {
  const present = committee.members.map((m) => m.index).filter(() => prng.nextFloat() < 0.85);
  for (const a of shuffle(committee.members.map((m) => m.index), prng)) {
    if (isQuorum(committee, stakeOf(committee, present))) break;
    if (!present.includes(a)) present.push(a);
  }
  return present.sort((a, b) => a - b);
}

export function randomDag(init: RandomDagInit): RandomDag {
  const prng = createTestPrng(init.seed);
  const committee = testCommittee(
    init.weighted ? Array.from({ length: init.n }, () => BigInt(1 + prng.nextInt(5))) : init.n,
  );
  const byzantine = pickByzantine(committee, prng);
  const vertices: DagVertex[] = [];
  let previous = new Map<number, VertexRef[]>();
  const older: VertexRef[] = [];
  for (let round = 1; round <= init.rounds; round++) {
    const current = new Map<number, VertexRef[]>();
    for (const author of presentAuthors(committee, prng)) {
      const copies = byzantine.includes(author) && prng.nextFloat() < 0.5 ? 2 : 1;
      for (let variant = 0; variant < copies; variant++) {
        const ref = testRef(round, author, variant);
        const parents = round === 1 ? [] : chooseParents(committee, previous, older, prng);
        vertices.push(Object.freeze({ ref, parents: Object.freeze(parents) }));
        current.set(author, [...(current.get(author) ?? []), ref]);
      }
    }
    for (const refs of previous.values()) older.push(...refs);
    previous = current;
  }
  return Object.freeze({ committee, byzantine, vertices: Object.freeze(vertices) });
}

/** A random delivery order in which every vertex comes after all its parents. */
export function randomCausalOrder(vertices: readonly DagVertex[], prng: TestPrng): DagVertex[] {
  const key = refKey;
  const waitingOn = new Map<string, number>();
  const children = new Map<string, DagVertex[]>();
  const ready: DagVertex[] = [];
  for (const v of vertices) {
    waitingOn.set(key(v.ref), v.parents.length);
    if (v.parents.length === 0) ready.push(v);
    for (const p of v.parents) {
      const list = children.get(key(p));
      if (list === undefined) children.set(key(p), [v]);
      else list.push(v);
    }
  }
  const order: DagVertex[] = [];
  while (ready.length > 0) {
    const i = prng.nextInt(ready.length);
    const v = ready[i] as DagVertex;
    ready[i] = ready[ready.length - 1] as DagVertex;
    ready.pop();
    order.push(v);
    for (const child of children.get(key(v.ref)) ?? []) {
      const left = (waitingOn.get(key(child.ref)) as number) - 1;
      waitingOn.set(key(child.ref), left);
      if (left === 0) ready.push(child);
    }
  }
  if (order.length !== vertices.length) throw new Error('randomCausalOrder: the DAG has a vertex whose parents are missing');
  return order;
}
