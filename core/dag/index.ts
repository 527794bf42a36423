/**
 * core/dag — the round-based, uncertified DAG: the vertex format and its signature, the
 * validation rules, the local store (pending buffer, equivocation detection, gc) and parent
 * selection. DESIGN.md §2 DAG and consensus; the format and rules as built: docs/protocol.md "DAG".
 */
export type { DagVertex, DagView, VertexRef } from './types.ts';
export {
  EVIDENCE_ENTRY_MAX_BYTES,
  MAX_EVIDENCE_LIMIT,
  MAX_PARENTS_LIMIT,
  MAX_SIGNED_VERTEX_BYTES,
  MAX_TRANSACTION_BYTES_LIMIT,
  MAX_TRANSACTIONS_LIMIT,
  VERTEX_SIGNING_CONTEXT,
  checkpointVoteCodec,
  decodeSignedVertex,
  decodeVertex,
  encodeSignedVertex,
  encodeVertex,
  signVertex,
  signedVertexCodec,
  vertexCodec,
  vertexDigest,
  vertexEquivocationEvidence,
  vertexRef,
  vertexRefCodec,
  vertexSigningMessage,
  vertexVerifyItem,
  type CheckpointVote,
  type SignedVertex,
  type Vertex,
} from './vertex.ts';
export { compareRefs, refKey } from './_ref.ts';
export {
  DEFAULT_MAX_EVIDENCE_PER_VERTEX,
  DEFAULT_MAX_FUTURE_ROUNDS,
  DEFAULT_MAX_VERTEX_TRANSACTION_BYTES,
  DEFAULT_MAX_WEAK_LINKS,
  dagLimitsFromParams,
  type DagLimits,
} from './limits.ts';
export {
  VERTEX_REJECT_CODES,
  checkParentTimestamps,
  validateVertex,
  type ParentTimestampReject,
  type ValidateContext,
  type ValidatedVertex,
  type VertexReject,
  type VertexRejectCode,
} from './validate.ts';
export {
  createDagStore,
  type AcceptOutcome,
  type DagStore,
  type DagStoreInit,
  type EquivocationPair,
  type GcOutcome,
  type InsertOutcome,
  type InsertReject,
  type StoredVertex,
} from './store.ts';
export { selectParents, type ParentSelectionLimits, type ParentSelectionReject, type TipsView } from './parents.ts';
