/**
 * The DAG vertex: its canonical encoding, its digest, and the message its author signs.
 *
 * DESIGN.md §2 DAG and consensus; docs/protocol.md "DAG" (the format as built); docs/codec.md
 * (the encoding rules). A vertex is encoded as
 *
 *   chainId utf8{1..32} || epoch u64 || round varint || author u16 || parents list{≤10,000} of
 *   (round varint || author u16 || digest 32) || timestampMs u64 || transactions list{≤100,000}
 *   of bytes{≤1 MiB} || checkpointSignature option(sequence u64 || checkpointHash 32 ||
 *   tagged signature) ||
 *   evidence list{≤64} of bytes{≤EVIDENCE_ENTRY_MAX_BYTES}
 *
 * digest = hashDomain('kaldrix/vertex-digest/v1', encoding). The author signs, under
 * CONTEXTS.vertex, the SLOT-HEADER MESSAGE required by core/state/evidence.ts:
 *
 *   epoch u64 || round u64 (the 16-byte slot header) || chainId utf8 || author u16 || digest 32
 *
 * so two signed vertices of one slot are self-proving evidence that fits a transaction.
 * The codec's list bounds are the hard ceilings of any chain (PARAM_SPECS maxima); the chain's
 * own, tighter bounds (DagLimits) are checked by `validateVertex`.
 */
import { bytes, bytesFixed, list, map, option, refine, struct, u16, u64, varint, Writer, type Codec, type DecodeError } from '../codec/index.ts';
import { bytesEqual, contextBytes, CONTEXTS, createDomainHash, HASH32_BYTES, type Hash32, type Signature, type Signer, type TaggedPublicKey, type VerifyItem } from '../crypto/index.ts';
import { chainIdCodec, encodeSlotHeader, EVIDENCE_MESSAGE_MAX_BYTES, signatureCodec, TAGGED_SIGNATURE_MAX_BYTES, type Address, type Evidence } from '../state/index.ts';
import type { Result } from '../result.ts';
import type { VertexRef } from './types.ts';

/**
 * A checkpoint vote riding on a vertex: the signature over the checkpoint of `sequence` whose
 * hash is `checkpointHash` (the signed message is core/consensus `checkpointMessageOfHash`).
 * The hash travels with the signature so that any vote verifies on its own, given the signer's
 * key and the epoch: a vote for a checkpoint other than the receiver's is still checkable, and
 * two such votes of one signer for one sequence are evidence. Its meaning belongs to
 * core/consensus (checkpointSign.ts re-exports it); it is defined here because the vertex
 * encoding holds it and core/dag does not import the checkpoint messages.
 */
export type CheckpointVote = {
  readonly sequence: bigint;
  readonly checkpointHash: Hash32;
  readonly signature: Signature;
};

export type Vertex = {
  readonly chainId: string;
  readonly epoch: bigint;
  readonly round: number;
  readonly author: number;
  /** Canonical order (round, author, digest), strictly ascending. */
  readonly parents: readonly VertexRef[];
  readonly timestampMs: number;
  /** Signed transactions, each in its canonical encoding (decoded and checked by the ledger). */
  readonly transactions: readonly Uint8Array[];
  readonly checkpointSignature?: CheckpointVote | undefined;
  /** Encoded evidence (core/state `evidenceCodec`); an empty list when there is none. */
  readonly evidence: readonly Uint8Array[];
};

export type SignedVertex = {
  readonly vertex: Vertex;
  readonly signature: Signature;
};

/** The hard ceiling of `max_parents` (PARAM_SPECS). */
export const MAX_PARENTS_LIMIT = 10_000;
/** The hard ceiling of `max_transactions_per_block` (PARAM_SPECS). */
export const MAX_TRANSACTIONS_LIMIT = 100_000;
/** The hard ceiling of `max_tx_bytes` (PARAM_SPECS): one mebibyte. */
export const MAX_TRANSACTION_BYTES_LIMIT = 1024 * 1024;
/** The hard ceiling of evidence entries per vertex. */
export const MAX_EVIDENCE_LIMIT = 64;
/**
 * Largest encoded evidence: context (1) + offender (33) + two signed messages, each a
 * length-prefixed message (≤ 2 + 1 KiB) and a length-prefixed tagged signature (≤ 3 + 17,089).
 */
export const EVIDENCE_ENTRY_MAX_BYTES = 1 + 33 + 2 * (2 + EVIDENCE_MESSAGE_MAX_BYTES + 3 + TAGGED_SIGNATURE_MAX_BYTES);
/**
 * Default cap on a whole signed vertex's encoding: the default 4 MiB of transactions, 10,000
 * parents (~450 KB), 64 evidence entries (~2.3 MB) and a signature fit; a peer's message above
 * it is refused before parsing.
 */
export const MAX_SIGNED_VERTEX_BYTES = 8 * 1024 * 1024;

/** The FIPS 204 context every vertex signature uses. */
export const VERTEX_SIGNING_CONTEXT: Uint8Array = contextBytes(CONTEXTS.vertex);
const VERTEX_DIGEST_DOMAIN = 'kaldrix/vertex-digest/v1';
const vertexDigestHash = createDomainHash(VERTEX_DIGEST_DOMAIN);

/** u64 milliseconds on the wire, a safe-integer number in TypeScript. */
const timestampCodec: Codec<number> = map(
  refine(u64, (v) => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? undefined : 'timestampMs above 2^53 - 1')),
  { fromWire: (v) => Number(v), toWire: (v) => BigInt(v) },
);

export const vertexRefCodec: Codec<VertexRef> = struct({ round: varint, author: u16, digest: bytesFixed(HASH32_BYTES) });

/** `u64 sequence || checkpointHash (32) || varint(len) || tagged signature`. */
export const checkpointVoteCodec: Codec<CheckpointVote> = struct({ sequence: u64, checkpointHash: bytesFixed(HASH32_BYTES), signature: signatureCodec });

export const vertexCodec: Codec<Vertex> = struct({
  chainId: chainIdCodec,
  epoch: u64,
  round: varint,
  author: u16,
  parents: list(vertexRefCodec, { maxItems: MAX_PARENTS_LIMIT }),
  timestampMs: timestampCodec,
  transactions: list(bytes({ maxBytes: MAX_TRANSACTION_BYTES_LIMIT }), { maxItems: MAX_TRANSACTIONS_LIMIT }),
  checkpointSignature: option(checkpointVoteCodec),
  evidence: list(bytes({ maxBytes: EVIDENCE_ENTRY_MAX_BYTES }), { maxItems: MAX_EVIDENCE_LIMIT }),
});

export const signedVertexCodec: Codec<SignedVertex> = struct({ vertex: vertexCodec, signature: signatureCodec });

/** The canonical encoding of the unsigned vertex (what the digest covers). */
export function encodeVertex(vertex: Vertex): Uint8Array {
  return vertexCodec.encode(vertex);
}

export function encodeSignedVertex(signed: SignedVertex): Uint8Array {
  return signedVertexCodec.encode(signed);
}

/** Decodes a signed vertex from a peer; bad bytes are a typed error. The result is frozen. */
export function decodeSignedVertex(input: Uint8Array, maxBytes: number = MAX_SIGNED_VERTEX_BYTES): Result<SignedVertex, DecodeError> {
  return signedVertexCodec.decode(input, { maxBytes });
}

export function decodeVertex(input: Uint8Array, maxBytes: number = MAX_SIGNED_VERTEX_BYTES): Result<Vertex, DecodeError> {
  return vertexCodec.decode(input, { maxBytes });
}

/**
 * Digests of frozen vertices, remembered: validation, the store and the signing message all ask
 * for one, and in a simulator every receiver holds the same decoded vertex. A mutable vertex is
 * hashed each time (it could change under its digest); a WeakMap lets them go together.
 */
const digests = new WeakMap<Vertex, Hash32>();

/** hashDomain('kaldrix/vertex-digest/v1', encodeVertex(vertex)). */
export function vertexDigest(vertex: Vertex): Hash32 {
  const known = digests.get(vertex);
  if (known !== undefined) return known;
  const digest = vertexDigestHash(encodeVertex(vertex));
  if (Object.isFrozen(vertex)) digests.set(vertex, digest);
  return digest;
}

/** The vertex's reference (computes its digest). */
export function vertexRef(vertex: Vertex): VertexRef {
  return Object.freeze({ round: vertex.round, author: vertex.author, digest: vertexDigest(vertex) });
}

/**
 * The bytes the author signs: slot header (epoch u64, round u64) || chainId utf8 || author u16 ||
 * digest. At most 16 + 33 + 2 + 32 = 83 bytes, far under the evidence limit of 1 KiB.
 */
export function vertexSigningMessage(vertex: Vertex, digest: Hash32 = vertexDigest(vertex)): Uint8Array {
  if (digest.length !== HASH32_BYTES) throw new RangeError('vertexSigningMessage: digest must be 32 bytes');
  const writer = new Writer();
  writer.bytes(encodeSlotHeader(vertex.epoch, BigInt(vertex.round)));
  chainIdCodec.encodeInto(writer, vertex.chainId);
  u16.encodeInto(writer, vertex.author);
  writer.bytes(digest);
  return writer.finish();
}

/** Signs `vertex` with its author's signer; the result is frozen. */
export async function signVertex(signer: Signer, vertex: Vertex): Promise<SignedVertex> {
  const signature = await signer.sign(vertexSigningMessage(vertex), VERTEX_SIGNING_CONTEXT);
  return Object.freeze({ vertex, signature });
}

/** The verify-pool job that checks `signed` against its author's committee key. */
export function vertexVerifyItem(signed: SignedVertex, authorKey: TaggedPublicKey, digest?: Hash32): VerifyItem {
  return Object.freeze({
    scheme: authorKey.scheme,
    publicKey: authorKey.publicKey,
    message: vertexSigningMessage(signed.vertex, digest),
    signature: signed.signature.bytes,
    context: VERTEX_SIGNING_CONTEXT,
  });
}

/**
 * Double-signing evidence from two different signed vertices of one slot (as the store reports
 * them), for the offender's address. Throws when the two are not an equivocation (a caller bug).
 */
export function vertexEquivocationEvidence(first: SignedVertex, second: SignedVertex, offender: Address): Evidence {
  const a = first.vertex;
  const b = second.vertex;
  if (a.epoch !== b.epoch || a.round !== b.round || a.author !== b.author || a.chainId !== b.chainId) {
    throw new RangeError('vertexEquivocationEvidence: the vertices are not of one slot');
  }
  const firstMessage = vertexSigningMessage(a);
  const secondMessage = vertexSigningMessage(b);
  if (bytesEqual(firstMessage, secondMessage)) throw new RangeError('vertexEquivocationEvidence: the vertices are equal');
  return Object.freeze({
    context: 'vertex',
    offender,
    first: Object.freeze({ message: firstMessage, signature: first.signature }),
    second: Object.freeze({ message: secondMessage, signature: second.signature }),
  });
}
