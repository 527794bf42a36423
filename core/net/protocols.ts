/**
 * KALDRIX's request-response protocols: their ids, size caps and message codecs.
 *
 * DESIGN.md §2 Network: every protocol is versioned (`/kaldrix/<name>/1`), length-prefixed
 * (one unsigned-varint-prefixed frame per request and per response, it-length-prefixed), size
 * capped in both directions, and decoded with core/codec before use (typed errors, frozen
 * values). The consensus protocols (`vertices`, `latest`, `range`) travel sealed under the PQ
 * link key (docs/pq-links.md); the light-client ones stay plain so a browser that has not run
 * the PQ handshake can use them (their answers are certified and proven, not secret).
 *
 * Caveat: a response is bounded by its cap, so a server trims a long answer (fewer vertices,
 * fewer certificates) rather than exceed it; the asker asks again for what is missing.
 */
import { bytes, bytesFixed, list, literals, option, refine, struct, u16, u32, u64, type Codec, type Infer } from '../codec/index.ts';
import { ADDRESS_BYTES } from '../crypto/index.ts';
import { MAX_SIGNED_VERTEX_BYTES, vertexRefCodec, type VertexRef } from '../dag/index.ts';
import { MAX_COMMIT_RANGE_BYTES } from '../validator/commitRange.ts';

export const PROTOCOLS = {
  pqHandshake: '/kaldrix/pq-handshake/1',
  vertices: '/kaldrix/vertices/1',
  latest: '/kaldrix/latest/1',
  range: '/kaldrix/range/1',
  latestCertificate: '/kaldrix/light/latest-certificate/1',
  epochCertificates: '/kaldrix/light/epoch-certificates/1',
  accountProof: '/kaldrix/light/account-proof/1',
  resumeOffer: '/kaldrix/sync/resume-offer/1',
  resumePiece: '/kaldrix/sync/resume-piece/1',
} as const;

export type RequestProtocolName = Exclude<keyof typeof PROTOCOLS, 'pqHandshake'>;
export type ProtocolId = (typeof PROTOCOLS)[keyof typeof PROTOCOLS];

/** Refs per `vertices` request: a missing-ancestor batch, and a bound on one answer's work. */
export const MAX_VERTEX_REFS_PER_REQUEST = 64;

/** Certificates per `light/epoch-certificates` answer: 64 epochs of catch-up per round trip. */
export const MAX_EPOCH_CERTIFICATES_PER_REQUEST = 64;

/**
 * One finality certificate: 1,000 ML-DSA-65 signers (3.3 KB each) plus a next validator set
 * fit; a chain with a larger committee raises it (core/consensus `certificateMaxBytes`).
 */
export const MAX_CERTIFICATE_BYTES = 8 * 1024 * 1024;

/** An encoded account with its state proof: the proof is ≤ 8.3 KB (256 siblings), the account far smaller. */
export const MAX_ACCOUNT_PROOF_BYTES = 64 * 1024;

/** Two full-size vertices: an answer carries at least one whole vertex, and a batch stays small enough to buffer. */
export const MAX_VERTICES_RESPONSE_BYTES = 2 * MAX_SIGNED_VERTEX_BYTES + 1024;

/** Certificates of one epoch-change answer together; the server trims the list to fit. */
export const MAX_EPOCH_CERTIFICATES_RESPONSE_BYTES = 4 * MAX_CERTIFICATE_BYTES;

/**
 * State sync (docs/protocol.md "State sync"): a peer offers its newest resume point — a certified
 * checkpoint with the whole ledger after it — in pieces, so a node further behind than any
 * peer's commit log starts from it. The point's record is cut in RESUME_RECORD_PIECE_BYTES
 * slices; its state is served in the pieces it was stored in (each ends after the entry that
 * crosses 1 MiB, so a piece holds up to one entry more).
 */
export const RESUME_RECORD_PIECE_BYTES = 1024 * 1024;
/** One piece of a point: a 1 MiB slice, or a stored state piece (1 MiB plus at most one entry of ≤ 16 KiB and its key). */
export const MAX_RESUME_PIECE_BYTES = RESUME_RECORD_PIECE_BYTES + 64 * 1024;
/** Pieces of one part: a 1 GiB state snapshot (core/state's cap) in 1 MiB pieces, with room. */
export const MAX_RESUME_PIECES = 2048;

const noRequest = struct({});

export const verticesRequestCodec: Codec<readonly VertexRef[]> = list(vertexRefCodec, { maxItems: MAX_VERTEX_REFS_PER_REQUEST });
export const verticesResponseCodec = list(bytes({ maxBytes: MAX_SIGNED_VERTEX_BYTES }), { maxItems: MAX_VERTEX_REFS_PER_REQUEST });

export const latestRequestCodec = noRequest;
/** The own latest vertex and the seat its sender claims; the claim is believed only if the PQ handshake proved it. */
export const latestResponseCodec = struct({
  vertex: option(bytes({ maxBytes: MAX_SIGNED_VERTEX_BYTES })),
  claimedSeat: option(u16),
});

export const rangeRequestCodec = struct({ fromIndex: u64, epoch: u64 });
export const rangeResponseCodec = option(bytes({ maxBytes: MAX_COMMIT_RANGE_BYTES }));

export const latestCertificateRequestCodec = noRequest;
export const latestCertificateResponseCodec = option(bytes({ maxBytes: MAX_CERTIFICATE_BYTES }));

export const epochCertificatesRequestCodec = struct({
  fromEpoch: u64,
  max: refine(u16, (max) =>
    max >= 1 && max <= MAX_EPOCH_CERTIFICATES_PER_REQUEST ? undefined : `max must be 1..${MAX_EPOCH_CERTIFICATES_PER_REQUEST}, got ${max}`,
  ),
});
export const epochCertificatesResponseCodec = list(bytes({ maxBytes: MAX_CERTIFICATE_BYTES }), { maxItems: MAX_EPOCH_CERTIFICATES_PER_REQUEST });

export const accountProofRequestCodec = bytesFixed(ADDRESS_BYTES);
export const accountProofResponseCodec = option(bytes({ maxBytes: MAX_ACCOUNT_PROOF_BYTES }));

export const resumeOfferRequestCodec = noRequest;
const pieceCount = refine(u32, (n) => (n <= MAX_RESUME_PIECES ? undefined : `at most ${MAX_RESUME_PIECES} pieces, got ${n}`));
/**
 * What a peer can give a node that fell behind: the oldest commit its commit log still serves as
 * ranges (none when the log is empty), and its newest resume point, if it wrote one.
 */
export const resumeOfferResponseCodec = struct({
  commitLogFrom: option(u64),
  point: option(struct({ sequence: u64, lastCommitIndex: u64, epoch: u64, recordPieces: pieceCount, statePieces: pieceCount })),
});
export type ResumeOffer = Infer<typeof resumeOfferResponseCodec>;
export const resumePieceRequestCodec = struct({
  sequence: u64,
  part: literals({ record: 0, state: 1 }),
  index: refine(u32, (n) => (n < MAX_RESUME_PIECES ? undefined : `a piece index below ${MAX_RESUME_PIECES}, got ${n}`)),
});
export const resumePieceResponseCodec = option(bytes({ maxBytes: MAX_RESUME_PIECE_BYTES }));

/** Headroom over a payload cap for its codec's own prefixes (varint lengths, option markers, list counts). */
const CODEC_OVERHEAD_BYTES = 64;

/** Per protocol: plain request and response caps (bytes of the encoded message), and whether it is sealed. */
export const PROTOCOL_LIMITS: Readonly<Record<RequestProtocolName, { readonly requestBytes: number; readonly responseBytes: number; readonly sealed: boolean }>> =
  Object.freeze({
    vertices: { requestBytes: 1 + MAX_VERTEX_REFS_PER_REQUEST * (9 + 2 + 32), responseBytes: MAX_VERTICES_RESPONSE_BYTES + CODEC_OVERHEAD_BYTES, sealed: true },
    latest: { requestBytes: 0, responseBytes: MAX_SIGNED_VERTEX_BYTES + CODEC_OVERHEAD_BYTES, sealed: true },
    range: { requestBytes: 16, responseBytes: MAX_COMMIT_RANGE_BYTES + CODEC_OVERHEAD_BYTES, sealed: true },
    latestCertificate: { requestBytes: 0, responseBytes: MAX_CERTIFICATE_BYTES + CODEC_OVERHEAD_BYTES, sealed: false },
    epochCertificates: { requestBytes: 8 + 2, responseBytes: MAX_EPOCH_CERTIFICATES_RESPONSE_BYTES + CODEC_OVERHEAD_BYTES, sealed: false },
    accountProof: { requestBytes: ADDRESS_BYTES, responseBytes: MAX_ACCOUNT_PROOF_BYTES + CODEC_OVERHEAD_BYTES, sealed: false },
    resumeOffer: { requestBytes: 0, responseBytes: 1 + 8 + 1 + 3 * 8 + 2 * 4, sealed: true },
    resumePiece: { requestBytes: 8 + 1 + 4, responseBytes: MAX_RESUME_PIECE_BYTES + CODEC_OVERHEAD_BYTES, sealed: true },
  });
