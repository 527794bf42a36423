/**
 * Causal-history walks private to the commit rule and linearizer.
 *
 * A vertex's causal history is everything reachable through parent links. The walks are
 * depth-first with an explicit stack (no recursion: a long history must not overflow the call
 * stack) and visit each vertex once; they never descend below a stated round, so their work
 * is bounded by the vertices the DAG holds between that round and the start.
 */
import type { DagVertex, DagView } from '../dag/types.ts';
import { heldVertex } from './_votes.ts';
import { refKey } from './_vertexRefs.ts';

/** The vertices at exactly `round` in the causal history of `from` (from.round > round). */
export function ancestorsAtRound(dag: DagView, from: DagVertex, round: number): DagVertex[] {
  const found: DagVertex[] = [];
  const seen = new Set<string>([refKey(from.ref)]);
  const stack: DagVertex[] = [from];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    for (const parentRef of next.parents) {
      if (parentRef.round < round) continue;
      const key = refKey(parentRef);
      if (seen.has(key)) continue;
      seen.add(key);
      const parent = heldVertex(dag, parentRef);
      if (parentRef.round === round) found.push(parent);
      else stack.push(parent);
    }
  }
  return found;
}
