/**
 * What `createPeerNetwork` takes: the runtime's handlers (effects) and the network's settings,
 * each with its default and the reason for it.
 */
import type { SignatureBackend } from '../../../core/crypto/index.ts';
import type { PeerInboundHandlers, PeerRequestHandlers } from '../contracts.ts';
import type { ValidatorKey } from './_pqHandshakeRun.ts';
import type { CurrentSeat } from './_pqLinks.ts';
import type { PeerNetworkEvent } from './events.ts';
import type { GossipCaps } from './gossip.ts';
import type { RateLimit } from './hygiene.ts';

export type PeerNetworkOptions = {
  /** The chain this network carries; part of topic names and of the PQ handshake transcript. */
  readonly chainId: string;
  /** Holds `p2p-key` (the peer identity, mode 0600) and, with WebRTC-direct, `p2p-ds/`. */
  readonly dataDir: string;
  readonly requests: PeerRequestHandlers;
  readonly inbound: PeerInboundHandlers;
  /** Listen multiaddrs. Default: TCP and WebSockets on 127.0.0.1, ports chosen by the OS. A `/webrtc-direct` address adds that listener. */
  readonly listen?: readonly string[];
  /** Addresses to announce instead of the listening ones (behind NAT, a load balancer with TLS). Default none. */
  readonly announce?: readonly string[];
  /** Bootstrap multiaddrs, each ending in `/p2p/<peer id>`. Default none. */
  readonly bootstrap?: readonly string[];
  /** Redial bootstrap peers while fewer than this many peers are connected. Default: min(bootstrap count, 4). */
  readonly minPeers?: number;
  /**
   * This node's validator key (validators only): `index` answers its seat in the CURRENT epoch's
   * committee (undefined while it has none), asked at each handshake and each `latest` answer,
   * because seats are renumbered between epochs.
   */
  readonly validatorSeat?: CurrentSeat;
  /** The current committee's keys by seat: a peer's seat claim is checked against these. Default: none (no claim is believed). */
  readonly validatorKeys?: () => readonly ValidatorKey[];
  /** Verifies seat signatures. Default: the noble reference backend. */
  readonly signatureBackend?: SignatureBackend;
  readonly gossipCaps?: Partial<GossipCaps>;
  /** Deadline of one request-response exchange. Default 10 s: a 64 MiB commit range over a slow link. */
  readonly requestTimeoutMs?: number;
  /** Deadline of the PQ handshake. Default 5 s: three one-way delays and one ML-DSA signature. */
  readonly handshakeTimeoutMs?: number;
  readonly rateLimit?: RateLimit;
  readonly maxInflightPerPeer?: number;
  /** Score below which a peer is banned. Default −100. */
  readonly banThreshold?: number;
  /** How often the peer count is checked against `minPeers`. Default 1 s. */
  readonly redialIntervalMs?: number;
  /** First and largest backoff between redials of one bootstrap peer. Defaults 500 ms and 30 s. */
  readonly redialBackoffMs?: { readonly initial: number; readonly max: number };
  /** Default 200: enough for a committee of 100 plus light clients. */
  readonly maxConnections?: number;
  readonly onEvent?: (event: PeerNetworkEvent) => void;
};

export const DEFAULT_LISTEN: readonly string[] = Object.freeze(['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws']);
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
export const DEFAULT_REDIAL_INTERVAL_MS = 1_000;
export const DEFAULT_REDIAL_BACKOFF_MS = Object.freeze({ initial: 500, max: 30_000 });
export const DEFAULT_MAX_CONNECTIONS = 200;
/** Redialing keeps a few links; discovery beyond bootstrap peers is gossip's business. */
export const DEFAULT_MAX_MIN_PEERS = 4;
/** Peers asked at once for missing vertices when no peer is named. */
export const FETCH_FANOUT = 2;
/** Peers asked at once for a commit range. */
export const RANGE_FANOUT = 3;
/** Peers asked at once for their latest vertex: a whole committee's worth. */
export const LATEST_FANOUT = 128;
/** Refs one `fetchVertices` call may ask for (16 requests of 64). */
export const MAX_FETCH_REFS = 1024;
