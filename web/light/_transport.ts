/**
 * What the light-client session needs from the network: dial a peer, ask it one
 * request-response question of a light protocol (core/net PROTOCOLS), hang up, hear of
 * dropped connections. The browser's implementation is `_libp2p.ts`; tests give a fake that
 * serves real certificates. Every failure is a value: a peer that is slow, closes its stream
 * or vanishes yields an `AskError`, never an exception.
 */
import type { Result } from '../../core/result.ts';

export type LightProtocolName = 'latestCertificate' | 'epochCertificates' | 'accountProof';

export type AskErrorCode =
  /** No open connection to the peer (it dropped, or was never dialled). */
  | 'NOT_CONNECTED'
  /** No whole answer within the deadline. */
  | 'TIMEOUT'
  /** The answer's length prefix exceeds the protocol's response cap: a misbehaving peer. */
  | 'TOO_LARGE'
  /** The stream ended, reset or failed before one whole frame arrived. */
  | 'STREAM_ERROR'
  /** The dial failed (refused, unreachable, denied, wrong peer id). */
  | 'DIAL_FAILED';

export type AskError = { readonly code: AskErrorCode; readonly message: string };

export type LightTransport = {
  dial(multiaddr: string, peerId: string): Promise<Result<void, AskError>>;
  /** One exchange: one request frame out, one response frame (≤ the protocol's cap) back. */
  ask(peerId: string, name: LightProtocolName, request: Uint8Array): Promise<Result<Uint8Array, AskError>>;
  hangUp(peerId: string): Promise<void>;
  /** `listener` hears the peer id of every connection that closes. One listener (the session). */
  onDisconnect(listener: (peerId: string) => void): void;
  stop(): Promise<void>;
};
