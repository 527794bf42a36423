/**
 * What the network reports as it runs: typed events for logs, metrics and tests
 * (HOUSE-RULES 16: events at the edges). Every rejection carries its typed cause.
 */
import type { DecodeError } from '../../../core/codec/index.ts';
import type { FrameError } from './_frames.ts';
import type { HandshakeReject } from './_pqHandshakeRun.ts';
import type { OpenError } from './pqSession.ts';
import type { RequestProtocolName } from '../../../core/net/protocols.ts';

/** Why a request or a response was refused. */
export type RequestReject =
  | { readonly code: 'FRAME'; readonly error: FrameError }
  | { readonly code: 'DECODE'; readonly error: DecodeError }
  | { readonly code: 'SEAL'; readonly error: OpenError }
  /** A consensus protocol on a connection without a PQ link. */
  | { readonly code: 'NO_PQ_LINK' }
  | { readonly code: 'RATE_LIMITED' }
  | { readonly code: 'TOO_MANY_INFLIGHT' }
  | { readonly code: 'NOT_CONNECTED' };

export type PeerNetworkEvent =
  | { readonly type: 'pq-link'; readonly peer: string; readonly seat: number | undefined; readonly sessionId: string }
  | { readonly type: 'pq-link-failed'; readonly peer: string; readonly reject: HandshakeReject }
  /** We refused a peer's request (server side). */
  | { readonly type: 'request-rejected'; readonly peer: string; readonly protocol: RequestProtocolName; readonly reject: RequestReject }
  /** A peer's answer to our request was unusable (client side). */
  | { readonly type: 'response-rejected'; readonly peer: string; readonly protocol: RequestProtocolName; readonly reject: RequestReject }
  | { readonly type: 'gossip-rejected'; readonly peer: string; readonly topic: string; readonly sizeBytes: number; readonly maxBytes: number }
  /** A transaction batch that does not decode. */
  | { readonly type: 'gossip-malformed'; readonly peer: string; readonly topic: string; readonly reason: string }
  /** A transaction batch holding a transaction invalid on its own (`reason`: the refusal code, e.g. BAD_SIGNATURE); not relayed. */
  | { readonly type: 'gossip-invalid'; readonly peer: string; readonly topic: string; readonly reason: string }
  | { readonly type: 'penalized'; readonly peer: string; readonly reason: string; readonly score: number }
  | { readonly type: 'banned'; readonly peer: string }
  /** A bug or an I/O failure on our side (a handler threw, a publish failed); no peer is blamed. */
  | { readonly type: 'error'; readonly what: string; readonly message: string };
