/**
 * Vertex validation: every rule a received vertex must pass before it may enter the DAG, in
 * the order of their cost (HOUSE-RULES 8: cheap first, the signature last and off-thread).
 *
 * DESIGN.md §2 DAG and consensus; docs/protocol.md "DAG" lists the rules with their reasons.
 * Genesis rule: round 0 is virtual (it has no vertices); a round-1 vertex has no parents; a
 * vertex of round r ≥ 2 names at most one parent per author at r − 1, worth a quorum of stake,
 * plus at most `maxWeakLinks` weak links to rounds ≤ r − 2 (those below the gc round are
 * accepted and ignored: below every commit's gc round, no linearization includes them).
 *
 * What is NOT decided here:
 * - the signature: `validateVertex` returns the `VerifyItem` for the verify pool;
 * - missing parents: not a fault; the store buffers the vertex and reports them for fetching;
 * - timestamps against parents (non-decreasing): needs the parents, so the store applies
 *   `checkParentTimestamps` when they are all present.
 */
import type { Committee } from '../consensus/committee.ts';
import { isQuorum, stakeOf } from '../consensus/committee.ts';
import type { SchemeName, VerifyItem } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import { compareRefs } from './_ref.ts';
import type { DagLimits } from './limits.ts';
import type { VertexRef } from './types.ts';
import { vertexDigest, vertexVerifyItem, type SignedVertex, type Vertex } from './vertex.ts';

export type ValidateContext = {
  readonly chainId: string;
  /** The committee of the node's current epoch (authors are its member indices). */
  readonly committee: Committee;
  readonly limits: DagLimits;
  /** Highest round this node knows: its DAG's, or a higher certified one while catching up. */
  readonly highestKnownRound: number;
  /** Lowest round still accepted (the store's gc round); older vertices never enter again. */
  readonly gcRound: number;
  /** The local clock in milliseconds since the Unix epoch (core has no clock of its own). */
  readonly nowMs: number;
};

export type VertexReject =
  | { readonly code: 'WRONG_CHAIN'; readonly expected: string; readonly actual: string }
  | { readonly code: 'WRONG_EPOCH'; readonly expected: bigint; readonly actual: bigint }
  | { readonly code: 'UNKNOWN_AUTHOR'; readonly author: number }
  | { readonly code: 'GENESIS_ROUND' }
  | { readonly code: 'BELOW_GC'; readonly round: number; readonly gcRound: number }
  | { readonly code: 'ROUND_TOO_FAR_AHEAD'; readonly round: number; readonly maxRound: number }
  | { readonly code: 'TIMESTAMP_TOO_FAR_AHEAD'; readonly timestampMs: number; readonly maxTimestampMs: number }
  | { readonly code: 'SCHEME_MISMATCH'; readonly keyScheme: SchemeName; readonly signatureScheme: SchemeName }
  | { readonly code: 'CHECKPOINT_SCHEME_MISMATCH'; readonly keyScheme: SchemeName; readonly signatureScheme: SchemeName }
  | { readonly code: 'TOO_MANY_PARENTS'; readonly count: number; readonly max: number }
  | { readonly code: 'PARENTS_NOT_SORTED'; readonly index: number }
  | { readonly code: 'DUPLICATE_PARENT'; readonly index: number }
  | { readonly code: 'PARENT_ROUND_NOT_BELOW'; readonly index: number }
  | { readonly code: 'UNKNOWN_PARENT_AUTHOR'; readonly index: number; readonly author: number }
  | { readonly code: 'GENESIS_WITH_PARENTS'; readonly count: number }
  | { readonly code: 'MULTIPLE_PARENTS_PER_AUTHOR'; readonly author: number }
  | { readonly code: 'TOO_MANY_WEAK_LINKS'; readonly count: number; readonly max: number }
  | { readonly code: 'PARENTS_NO_QUORUM'; readonly stake: bigint; readonly quorumStake: bigint }
  | { readonly code: 'TOO_MANY_TRANSACTIONS'; readonly count: number; readonly max: number }
  | { readonly code: 'TRANSACTION_TOO_LARGE'; readonly index: number; readonly sizeBytes: number; readonly max: number }
  | { readonly code: 'TRANSACTIONS_TOO_LARGE'; readonly sizeBytes: number; readonly max: number }
  | { readonly code: 'TOO_MANY_EVIDENCE'; readonly count: number; readonly max: number };

export type VertexRejectCode = VertexReject['code'];

/** Every reject code, in the order the rules run. */
export const VERTEX_REJECT_CODES = [
  'WRONG_CHAIN', 'WRONG_EPOCH', 'UNKNOWN_AUTHOR', 'GENESIS_ROUND', 'BELOW_GC', 'ROUND_TOO_FAR_AHEAD',
  'TIMESTAMP_TOO_FAR_AHEAD', 'SCHEME_MISMATCH', 'CHECKPOINT_SCHEME_MISMATCH', 'TOO_MANY_PARENTS',
  'GENESIS_WITH_PARENTS', 'DUPLICATE_PARENT', 'PARENTS_NOT_SORTED', 'PARENT_ROUND_NOT_BELOW',
  'UNKNOWN_PARENT_AUTHOR', 'MULTIPLE_PARENTS_PER_AUTHOR', 'TOO_MANY_WEAK_LINKS',
  'PARENTS_NO_QUORUM', 'TOO_MANY_TRANSACTIONS', 'TRANSACTION_TOO_LARGE', 'TRANSACTIONS_TOO_LARGE',
  'TOO_MANY_EVIDENCE',
] as const satisfies readonly VertexRejectCode[];
// Compile-time check that the list names every code of the union.
const allCodesListed: Exclude<VertexRejectCode, (typeof VERTEX_REJECT_CODES)[number]> extends never ? true : never = true;
void allCodesListed;

export type ParentTimestampReject = {
  readonly code: 'TIMESTAMP_BEFORE_PARENTS';
  readonly timestampMs: number;
  readonly parentTimestampMs: number;
};

/** A vertex that passed every check but its signature. */
export type ValidatedVertex = {
  readonly ref: VertexRef;
  /** Submit to the verify pool; accept the vertex only when it verifies. */
  readonly verifyItem: VerifyItem;
};

/** Checks `signed` against `ctx`; on success, the job that verifies its signature. */
export function validateVertex(signed: SignedVertex, ctx: ValidateContext): Result<ValidatedVertex, VertexReject> {
  const { vertex } = signed;
  const header = checkHeader(signed, ctx);
  if (!header.ok) return header;
  const parents = checkParents(vertex, ctx);
  if (!parents.ok) return parents;
  const payload = checkPayload(vertex, ctx.limits);
  if (!payload.ok) return payload;
  // Last and dearest: hash the whole vertex (up to megabytes) and hand back the signature job.
  const digest = vertexDigest(vertex);
  const authorKey = (ctx.committee.members[vertex.author] as Committee['members'][number]).key;
  const ref: VertexRef = Object.freeze({ round: vertex.round, author: vertex.author, digest });
  return ok(Object.freeze({ ref, verifyItem: vertexVerifyItem(signed, authorKey, digest) }));
}

/** Slot, clock and key checks: constant time. */
function checkHeader(signed: SignedVertex, ctx: ValidateContext): Result<void, VertexReject> {
  const { vertex } = signed;
  if (vertex.chainId !== ctx.chainId) return err({ code: 'WRONG_CHAIN', expected: ctx.chainId, actual: vertex.chainId });
  if (vertex.epoch !== ctx.committee.epoch) return err({ code: 'WRONG_EPOCH', expected: ctx.committee.epoch, actual: vertex.epoch });
  const member = ctx.committee.members[vertex.author];
  if (member === undefined) return err({ code: 'UNKNOWN_AUTHOR', author: vertex.author });
  if (vertex.round === 0) return err({ code: 'GENESIS_ROUND' });
  if (vertex.round < ctx.gcRound) return err({ code: 'BELOW_GC', round: vertex.round, gcRound: ctx.gcRound });
  const maxRound = ctx.highestKnownRound + ctx.limits.maxFutureRounds;
  if (vertex.round > maxRound) return err({ code: 'ROUND_TOO_FAR_AHEAD', round: vertex.round, maxRound });
  const maxTimestampMs = ctx.nowMs + ctx.limits.maxForwardDriftMs;
  if (vertex.timestampMs > maxTimestampMs) return err({ code: 'TIMESTAMP_TOO_FAR_AHEAD', timestampMs: vertex.timestampMs, maxTimestampMs });
  if (signed.signature.scheme !== member.key.scheme) {
    return err({ code: 'SCHEME_MISMATCH', keyScheme: member.key.scheme, signatureScheme: signed.signature.scheme });
  }
  const vote = vertex.checkpointSignature;
  if (vote !== undefined && vote.signature.scheme !== member.key.scheme) {
    return err({ code: 'CHECKPOINT_SCHEME_MISMATCH', keyScheme: member.key.scheme, signatureScheme: vote.signature.scheme });
  }
  return ok(undefined);
}

/** Parent list shape, one pass, then the quorum of the round − 1 parents. */
function checkParents(vertex: Vertex, ctx: ValidateContext): Result<void, VertexReject> {
  const { parents, round } = vertex;
  const { limits, committee } = ctx;
  if (parents.length > limits.maxParents) return err({ code: 'TOO_MANY_PARENTS', count: parents.length, max: limits.maxParents });
  if (round === 1) return parents.length === 0 ? ok(undefined) : err({ code: 'GENESIS_WITH_PARENTS', count: parents.length });
  const strongAuthors: number[] = [];
  let weakLinks = 0;
  for (let i = 0; i < parents.length; i++) {
    const parent = parents[i] as VertexRef;
    if (i > 0) {
      const order = compareRefs(parents[i - 1] as VertexRef, parent);
      if (order === 0) return err({ code: 'DUPLICATE_PARENT', index: i });
      if (order > 0) return err({ code: 'PARENTS_NOT_SORTED', index: i });
    }
    if (parent.round >= round) return err({ code: 'PARENT_ROUND_NOT_BELOW', index: i });
    if (committee.members[parent.author] === undefined) return err({ code: 'UNKNOWN_PARENT_AUTHOR', index: i, author: parent.author });
    if (parent.round === round - 1) {
      // Sorted by (round, author): a repeated author at round − 1 sits right after the first.
      if (strongAuthors[strongAuthors.length - 1] === parent.author) return err({ code: 'MULTIPLE_PARENTS_PER_AUTHOR', author: parent.author });
      strongAuthors.push(parent.author);
    } else {
      // A weak link below this node's gc round is accepted and ignored: it is below every commit's
      // gc round too, so no linearization includes it, and an honest author whose commits lag
      // this node's (one that just caught up by ranges, say) links to rounds it still holds.
      weakLinks++;
    }
  }
  if (weakLinks > limits.maxWeakLinks) return err({ code: 'TOO_MANY_WEAK_LINKS', count: weakLinks, max: limits.maxWeakLinks });
  const stake = stakeOf(committee, strongAuthors);
  if (!isQuorum(committee, stake)) return err({ code: 'PARENTS_NO_QUORUM', stake, quorumStake: committee.quorumStake });
  return ok(undefined);
}

/** Transaction and evidence bounds: linear in the entry count, no hashing. */
function checkPayload(vertex: Vertex, limits: DagLimits): Result<void, VertexReject> {
  const { transactions, evidence } = vertex;
  if (transactions.length > limits.maxTransactionsPerVertex) {
    return err({ code: 'TOO_MANY_TRANSACTIONS', count: transactions.length, max: limits.maxTransactionsPerVertex });
  }
  let totalBytes = 0;
  for (let i = 0; i < transactions.length; i++) {
    const sizeBytes = (transactions[i] as Uint8Array).length;
    if (sizeBytes > limits.maxTransactionBytes) return err({ code: 'TRANSACTION_TOO_LARGE', index: i, sizeBytes, max: limits.maxTransactionBytes });
    totalBytes += sizeBytes;
  }
  if (totalBytes > limits.maxVertexTransactionBytes) {
    return err({ code: 'TRANSACTIONS_TOO_LARGE', sizeBytes: totalBytes, max: limits.maxVertexTransactionBytes });
  }
  if (evidence.length > limits.maxEvidencePerVertex) return err({ code: 'TOO_MANY_EVIDENCE', count: evidence.length, max: limits.maxEvidencePerVertex });
  return ok(undefined);
}

/**
 * Timestamps never go backwards along an edge: a vertex's timestamp is at least the largest of
 * its parents'. So a commit's time (the leader's timestamp) is monotone along the committed
 * sequence, which finality-latency metrics and time-based checkpoints rely on; equal is allowed
 * so a fast round on a coarse clock is not refused. `parentTimestampMs` answers for held
 * parents; parents it does not know (garbage-collected) are skipped.
 */
export function checkParentTimestamps(
  vertex: Vertex,
  parentTimestampMs: (ref: VertexRef) => number | undefined,
): Result<void, ParentTimestampReject> {
  let maxMs = -1;
  for (const parent of vertex.parents) {
    const t = parentTimestampMs(parent);
    if (t !== undefined && t > maxMs) maxMs = t;
  }
  if (vertex.timestampMs < maxMs) return err({ code: 'TIMESTAMP_BEFORE_PARENTS', timestampMs: vertex.timestampMs, parentTimestampMs: maxMs });
  return ok(undefined);
}
