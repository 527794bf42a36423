/**
 * Proof generation: the path from the root toward a key, with every sibling's hash.
 *
 * Spec: docs/state-tree.md §Proofs. The walk follows the key's bits from the root until it
 * leaves the internal nodes; where it stops decides the proof: the key's own leaf (inclusion),
 * an empty subtree or another key's leaf (exclusion). Cost: one step per level, about log2(n)
 * for n entries; no hashing (every node already knows its hash).
 */
import { keyBit } from './hashing.ts';
import { subtreeHash } from './node.ts';
import type { ProofEnding, StateProof } from './proof.ts';
import type { StateTree } from './tree.ts';
import { checkKey, compareKeys } from './_keys.ts';

/** Proof of `key`'s value in `tree` (inclusion), or of its absence (exclusion). */
export function prove(tree: StateTree, key: Uint8Array): StateProof {
  checkKey(key, 'prove: key');
  const siblings: Uint8Array[] = [];
  let node = tree.rootNode;
  // Bounded by the tree's depth, at most 256 levels.
  for (let depth = 0; node !== null && node.kind === 'internal'; depth++) {
    const goRight = keyBit(key, depth) === 1;
    siblings.push(subtreeHash(goRight ? node.left : node.right).slice());
    node = goRight ? node.right : node.left;
  }
  let ending: ProofEnding;
  if (node === null) ending = { kind: 'empty' };
  else if (compareKeys(node.key, key) === 0) ending = { kind: 'inclusion' };
  else ending = { kind: 'otherLeaf', key: node.key.slice(), valueHash: node.valueHash.slice() };
  return Object.freeze({ ending: Object.freeze(ending), siblings: Object.freeze(siblings) });
}
