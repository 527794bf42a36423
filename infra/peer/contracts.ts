/**
 * The contracts between the parts of the full Node.js peer: its network (`net/`), its store
 * (`store/`), its HTTP API (`api/`) and the runtime that wires them to the one
 * `core/validator` (`node.ts`). Each part is built and tested on its own against these types;
 * the runtime is the only place that knows all of them.
 *
 * DESIGN.md §2 Network, §3 Full node. Bytes on these interfaces are KALDRIX's canonical
 * encodings (core/codec): signed vertices, signed transactions, certificates, commit ranges.
 * Nothing here trusts a peer: every handler validates what it gets before using it, and every
 * request answer is bounded.
 */
import type { Certificate } from '../../core/consensus/certificate.ts';
import type { VertexRef } from '../../core/dag/index.ts';
import type { ResumeOffer } from '../../core/net/protocols.ts';

/** A peer as the network names it: the libp2p peer id string. */
export type NetPeerId = string;

/** What the network asks the runtime when peers request data (all answers are bounded by the caller's caps). */
export interface PeerRequestHandlers {
  /** Signed vertex bytes for `ref`, or undefined when not held. */
  vertexBytes(ref: VertexRef): Uint8Array | undefined;
  /** The own latest signed vertex (answers a restarting validator). */
  latestOwnVertex(): Uint8Array | undefined;
  /** An encoded certified commit range (core/validator/commitRange.ts) for a peer in `epoch` from `fromIndex`. */
  commitRange(fromIndex: bigint, epoch: bigint): Uint8Array | undefined;
  /** Light-client queries: the latest certificate, epoch-change certificates, account proofs (encoded). */
  latestCertificate(): Uint8Array | undefined;
  epochCertificates(fromEpoch: bigint, max: number): readonly Uint8Array[];
  accountProof(address: Uint8Array): Uint8Array | undefined;
  /** State sync: how far back the commit log serves ranges, and the newest resume point (stateSync.ts). */
  resumeOffer(): Promise<ResumeOffer>;
  /** One piece of the stored resume point of checkpoint `sequence` (undefined when not held, e.g. pruned since the offer). */
  resumePiece(sequence: bigint, part: 'record' | 'state', index: number): Promise<Uint8Array | undefined>;
}

/**
 * What the runtime made of a transaction a peer relayed, decided before the network relays it
 * further: `accept` (admitted: relay it), `ignore` (refused for a reason that is not the
 * relayer's fault — already known, stale nonce, pool full — drop it quietly) or `reject` (invalid
 * on its own, e.g. a forged signature: drop it and penalize the relayer; `reason` is the
 * refusal's code).
 */
export type RelayVerdict = { readonly kind: 'accept' } | { readonly kind: 'ignore' } | { readonly kind: 'reject'; readonly reason: string };

/**
 * What the network delivers to the runtime (already size-checked). A vertex is NOT yet
 * validated — the validator does that after it is relayed; a transaction is admitted (or
 * refused) first, and its verdict decides whether the network relays it.
 */
export interface PeerInboundHandlers {
  vertex(bytes: Uint8Array, from: NetPeerId): void;
  transaction(bytes: Uint8Array, from: NetPeerId): RelayVerdict | Promise<RelayVerdict>;
}

/** Why a peer's score went down (the validator's reject codes, or the network's own). */
export type PenaltyReason = string;

export interface PeerNetwork {
  /** The peer's libp2p id and its listening multiaddrs (with /p2p/<id>), once started. */
  readonly peerId: NetPeerId;
  multiaddrs(): readonly string[];
  start(): Promise<void>;
  /** Closes every connection and listener; resolves when done. */
  stop(): Promise<void>;
  /** Gossip the own signed vertex / a transaction to the network. */
  publishVertex(bytes: Uint8Array): void;
  publishTransaction(bytes: Uint8Array): void;
  /** Ask `peer` (or the best-scored connected peers) for vertices; answers come back through `inbound.vertex`. */
  fetchVertices(refs: readonly VertexRef[], peer: NetPeerId | undefined): void;
  /** Ask validator peers for their latest own vertex; each answer is reported with the answering peer's validator seat. */
  requestLatestVertices(onAnswer: (bytes: Uint8Array, from: NetPeerId, fromMember: number | undefined) => void): void;
  /** Ask peers for a certified commit range; every answer is handed to `onAnswer`. */
  requestCommitRange(fromIndex: bigint, epoch: bigint, onAnswer: (bytes: Uint8Array, from: NetPeerId) => void): void;
  /** Lower a peer's score; below the threshold it is disconnected and remembered. */
  penalize(peer: NetPeerId, reason: PenaltyReason): void;
  /** Connected peers right now, and bytes in/out so far (for /metrics and /status). */
  stats(): PeerNetworkStats;
}

export type PeerNetworkStats = {
  readonly connectedPeers: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Peers disconnected for bad behaviour since start. */
  readonly bannedPeers: number;
};

/** The durable part of the peer (LevelDB): written before acting on it (write-ahead). */
export interface PeerStore {
  /** Writes `bytes` under `key` durably (fsync) before resolving: the own vertex before it is sent. */
  putDurable(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  /** Keys with `prefix`, ascending (bounded by `limit`). */
  keys(prefix: string, limit: number): Promise<readonly string[]>;
  /** One atomic batch: every put and delete lands, or none. */
  batch(puts: readonly { readonly key: string; readonly bytes: Uint8Array }[], deletes: readonly string[]): Promise<void>;
  /** Executed commits (encoded commit-range commits) and certificates, for restart and catch-up serving. */
  appendCommit(index: bigint, epoch: bigint, encodedCommit: Uint8Array): Promise<void>;
  putCertificate(certificate: Certificate, encoded: Uint8Array): Promise<void>;
  /** Commits from `fromIndex` ascending (bounded by `limit`), with their epochs. */
  commitsFrom(fromIndex: bigint, limit: number): Promise<readonly { readonly index: bigint; readonly epoch: bigint; readonly encoded: Uint8Array }[]>;
  /** Certificates ascending by sequence, from `fromSequence` (bounded by `limit`). */
  certificatesFrom(fromSequence: bigint, limit: number): Promise<readonly Uint8Array[]>;
  /** Certificates with sequence < `beforeSequence` (undefined: from the newest), newest first. */
  certificatesBefore(beforeSequence: bigint | undefined, limit: number): Promise<readonly Uint8Array[]>;
  /** End-of-epoch certificates from `fromEpoch` ascending (kept through pruning: light clients ratchet through them). */
  epochCertificatesFrom(fromEpoch: bigint, max: number): Promise<readonly Uint8Array[]>;
  /** The newest own vertex persisted (one seek), or undefined. */
  latestOwnVertex(): Promise<{ readonly epoch: bigint; readonly round: number; readonly bytes: Uint8Array } | undefined>;
  close(): Promise<void>;
}
