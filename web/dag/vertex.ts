/**
 * A vertex as the DAG view holds it, and its key.
 *
 * The key is `round/author/digest`: a vertex is named by (round, author, digest)
 * (docs/protocol.md "Vertex format"), and two equivocating vertices of one slot differ in the
 * digest only. View vertices are frozen: the model shares them with the renderer.
 */
import type { DagRef, SignatureInfo, VertexProposedEvent } from './types.ts';

export type VertexKey = string;

export type ViewVertex = {
  readonly key: VertexKey;
  readonly ref: DagRef;
  readonly round: number;
  readonly author: number;
  readonly epoch: number;
  readonly timeMs: number;
  readonly parents: readonly DagRef[];
  readonly transactions: number;
  readonly bytes: number;
  readonly signature: SignatureInfo | undefined;
};

export function refKey(ref: DagRef): VertexKey {
  return `${ref.round}/${ref.author}/${ref.digest}`;
}

const HEX_DIGEST = /^[0-9a-f]{1,128}$/;

/** Checks the shape of a proposed vertex; a malformed event is a bug of the adapter: it throws. */
export function toViewVertex(event: VertexProposedEvent, validators: number): ViewVertex {
  checkRef(event, validators, 'vertexProposed');
  const parents = event.parents.map((parent, i) => {
    checkRef(parent, validators, `vertexProposed.parents[${i}]`);
    if (parent.round >= event.round) throw new RangeError(`vertexProposed.parents[${i}]: round ${parent.round} is not below the vertex round ${event.round}`);
    return Object.freeze({ round: parent.round, author: parent.author, digest: parent.digest });
  });
  const ref = Object.freeze({ round: event.round, author: event.author, digest: event.digest });
  return Object.freeze({
    key: refKey(ref),
    ref,
    round: event.round,
    author: event.author,
    epoch: event.epoch,
    timeMs: event.timeMs,
    parents: Object.freeze(parents),
    transactions: event.transactions,
    bytes: event.bytes,
    signature: event.signature === undefined ? undefined : Object.freeze({ ...event.signature }),
  });
}

/** Throws a RangeError naming `what` when a reference is out of shape. */
export function checkRef(ref: DagRef, validators: number, what: string): void {
  if (!Number.isSafeInteger(ref.round) || ref.round < 1) throw new RangeError(`${what}: round must be an integer ≥ 1, got ${ref.round}`);
  checkAuthor(ref.author, validators, what);
  if (!HEX_DIGEST.test(ref.digest)) throw new RangeError(`${what}: digest must be lowercase hex`);
}

export function checkAuthor(author: number, validators: number, what: string): void {
  if (!Number.isInteger(author) || author < 0 || author >= validators) throw new RangeError(`${what}: validator ${author} is not in 0..${validators - 1}`);
}
