/**
 * The server side of each request-response protocol as a pure function: decode the request
 * (typed errors), ask the runtime's `PeerRequestHandlers`, and encode an answer that fits the
 * protocol's response cap (a long answer is trimmed, never oversized).
 */
import type { DecodeError } from '../../../core/codec/index.ts';
import { MAX_SIGNED_VERTEX_BYTES } from '../../../core/dag/index.ts';
import { err, ok, type Result } from '../../../core/result.ts';
import { MAX_COMMIT_RANGE_BYTES } from '../../../core/validator/commitRange.ts';
import type { PeerRequestHandlers } from '../contracts.ts';
import {
  MAX_ACCOUNT_PROOF_BYTES,
  MAX_CERTIFICATE_BYTES,
  MAX_EPOCH_CERTIFICATES_RESPONSE_BYTES,
  MAX_RESUME_PIECE_BYTES,
  MAX_VERTICES_RESPONSE_BYTES,
  accountProofRequestCodec,
  accountProofResponseCodec,
  epochCertificatesRequestCodec,
  epochCertificatesResponseCodec,
  latestCertificateRequestCodec,
  latestCertificateResponseCodec,
  latestRequestCodec,
  latestResponseCodec,
  rangeRequestCodec,
  rangeResponseCodec,
  resumeOfferRequestCodec,
  resumeOfferResponseCodec,
  resumePieceRequestCodec,
  resumePieceResponseCodec,
  verticesRequestCodec,
  verticesResponseCodec,
  type RequestProtocolName,
} from '../../../core/net/protocols.ts';

export type AnswerContext = {
  readonly handlers: PeerRequestHandlers;
  /** This peer's validator seat in the current epoch's committee, claimed in `latest` answers. */
  readonly ownSeat: () => number | undefined;
};

/** Items that fit one after another under `maxBytes` together (each also under `itemMaxBytes`). */
function fitting(items: readonly Uint8Array[], itemMaxBytes: number, maxBytes: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let total = 0;
  for (const item of items) {
    if (item.length > itemMaxBytes) continue;
    if (total + item.length > maxBytes) break;
    total += item.length;
    out.push(item);
  }
  return out;
}

const within = (bytes: Uint8Array | undefined, maxBytes: number): Uint8Array | undefined =>
  bytes !== undefined && bytes.length <= maxBytes ? bytes : undefined;

export async function answerRequest(name: RequestProtocolName, request: Uint8Array, context: AnswerContext): Promise<Result<Uint8Array, DecodeError>> {
  const { handlers } = context;
  switch (name) {
    case 'vertices': {
      const refs = verticesRequestCodec.decode(request);
      if (!refs.ok) return refs;
      const held = refs.value.map((ref) => handlers.vertexBytes(ref)).filter((b): b is Uint8Array => b !== undefined);
      return ok(verticesResponseCodec.encode(fitting(held, MAX_SIGNED_VERTEX_BYTES, MAX_VERTICES_RESPONSE_BYTES)));
    }
    case 'latest': {
      const decoded = latestRequestCodec.decode(request);
      if (!decoded.ok) return decoded;
      return ok(latestResponseCodec.encode({ vertex: within(handlers.latestOwnVertex(), MAX_SIGNED_VERTEX_BYTES), claimedSeat: context.ownSeat() }));
    }
    case 'range': {
      const decoded = rangeRequestCodec.decode(request);
      if (!decoded.ok) return decoded;
      return ok(rangeResponseCodec.encode(within(handlers.commitRange(decoded.value.fromIndex, decoded.value.epoch), MAX_COMMIT_RANGE_BYTES)));
    }
    case 'latestCertificate': {
      const decoded = latestCertificateRequestCodec.decode(request);
      if (!decoded.ok) return decoded;
      return ok(latestCertificateResponseCodec.encode(within(handlers.latestCertificate(), MAX_CERTIFICATE_BYTES)));
    }
    case 'epochCertificates': {
      const decoded = epochCertificatesRequestCodec.decode(request);
      if (!decoded.ok) return decoded;
      const { fromEpoch, max } = decoded.value;
      const certificates = handlers.epochCertificates(fromEpoch, max).slice(0, max);
      return ok(epochCertificatesResponseCodec.encode(fitting(certificates, MAX_CERTIFICATE_BYTES, MAX_EPOCH_CERTIFICATES_RESPONSE_BYTES)));
    }
    case 'accountProof': {
      const address = accountProofRequestCodec.decode(request);
      if (!address.ok) return address;
      return ok(accountProofResponseCodec.encode(within(handlers.accountProof(address.value), MAX_ACCOUNT_PROOF_BYTES)));
    }
    case 'resumeOffer': {
      const decoded = resumeOfferRequestCodec.decode(request);
      if (!decoded.ok) return decoded;
      return ok(resumeOfferResponseCodec.encode(await handlers.resumeOffer()));
    }
    case 'resumePiece': {
      const decoded = resumePieceRequestCodec.decode(request);
      if (!decoded.ok) return decoded;
      const { sequence, part, index } = decoded.value;
      return ok(resumePieceResponseCodec.encode(within(await handlers.resumePiece(sequence, part, index), MAX_RESUME_PIECE_BYTES)));
    }
    default:
      return err(unreachable(name));
  }
}

function unreachable(name: never): never {
  throw new TypeError(`answerRequest: unknown protocol ${String(name)}`);
}
