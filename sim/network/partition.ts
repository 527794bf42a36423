/**
 * Network partitions: which directed links are cut.
 *
 * Two shapes (TigerBeetle's VOPR partitions and Jepsen's nemeses cover the same ground):
 * - groups: nodes talk only within their group, both ways. Nodes named in no group form one
 *   more group together ("the rest"), so `0-3 | 4-9` and `0-3` alone mean the same for n = 10.
 * - oneWay: every message from a node of `from` to a node of `to` is lost; the reverse
 *   direction and every other link still work (an asymmetric fault: a firewall, a half-dead NIC).
 * - between: the links between `a` and `b` are cut both ways, every other link works; unlike
 *   groups it leaves third parties connected to both sides (the split-brain setting where
 *   Byzantine validators talk to two halves that cannot hear each other).
 * A spec naming a node twice, out of range, or an empty group, is a bug in the caller (RangeError);
 * user text is checked with typed errors before it gets here (sim/scenario).
 */
export type PartitionSpec =
  | { readonly kind: 'groups'; readonly groups: readonly (readonly number[])[] }
  | { readonly kind: 'oneWay'; readonly from: readonly number[]; readonly to: readonly number[] }
  | { readonly kind: 'between'; readonly a: readonly number[]; readonly b: readonly number[] };

/** Answers whether a directed link is cut. */
export type PartitionCut = (from: number, to: number) => boolean;

export const NO_PARTITION: PartitionCut = () => false;

function checkNodes(nodes: number, list: readonly number[], seen: Uint8Array, what: string): void {
  if (list.length === 0) throw new RangeError(`partition: ${what} is empty`);
  for (const node of list) {
    if (!Number.isInteger(node) || node < 0 || node >= nodes) throw new RangeError(`partition: node ${node} out of range 0..${nodes - 1}`);
    if (seen[node] === 1) throw new RangeError(`partition: node ${node} named twice`);
    seen[node] = 1;
  }
}

/** Compiles a spec for `nodes` nodes into an O(1) cut test. */
export function compilePartition(nodes: number, spec: PartitionSpec): PartitionCut {
  const seen = new Uint8Array(nodes);
  if (spec.kind === 'groups') {
    const groupOf = new Int32Array(nodes).fill(spec.groups.length);
    spec.groups.forEach((group, g) => {
      checkNodes(nodes, group, seen, `group ${g}`);
      for (const node of group) groupOf[node] = g;
    });
    return (from, to) => groupOf[from] !== groupOf[to];
  }
  const [first, second] = spec.kind === 'oneWay' ? [spec.from, spec.to] : [spec.a, spec.b];
  checkNodes(nodes, first, seen, 'the first side');
  checkNodes(nodes, second, seen, 'the second side');
  // side[n]: 1 for the first side, 2 for the second, 0 for nodes in neither.
  const side = new Uint8Array(nodes);
  for (const node of first) side[node] = 1;
  for (const node of second) side[node] = 2;
  if (spec.kind === 'oneWay') return (from, to) => side[from] === 1 && side[to] === 2;
  return (from, to) => (side[from] as number) + (side[to] as number) === 3;
}
