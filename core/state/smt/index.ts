/**
 * The authenticated state tree: a persistent binary Merkle radix tree (a sparse Merkle tree
 * with leaf shortcuts) over 32-byte keys, hashed with BLAKE3; inclusion and exclusion proofs.
 *
 * Spec: docs/state-tree.md. Light clients need only `verifyProof`, `decodeStateProof` and the
 * hash functions; full nodes build trees with `emptyTree` and `applyBatch`.
 */
export { EMPTY_SUBTREE_HASH, MAX_TREE_DEPTH, STATE_KEY_BYTES, isStateKey, keyBit, stateLeafHash, stateNodeHash, stateValueHash } from './hashing.ts';
export { type InternalNode, type LeafNode, type TreeNode } from './node.ts';
export { MAX_ENTRIES_PER_PAGE, emptyTree, type EntriesOptions, type EntriesPage, type StateTree, type TreeEntry } from './tree.ts';
export { MAX_BATCH_UPDATES, applyBatch, type TreeUpdate } from './applyBatch.ts';
export { MAX_STATE_PROOF_BYTES, StateProofCodec, decodeStateProof, encodeStateProof, type ProofEnding, type StateProof } from './proof.ts';
export { prove } from './prove.ts';
export { verifyProof } from './verify.ts';
