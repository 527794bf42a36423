/**
 * What the HTTP API asks of the running node: `ApiBackend`, implemented by the runtime
 * (infra/peer node.ts) over its validator, mempool, store and network.
 *
 * Plain data in, plain data out: numbers, strings, bigints, byte arrays and core's own types,
 * never fastify or prom-client objects. Encoding for the wire (bigint → decimal string, bytes →
 * hex, addresses → bech32m) and decoding of certificates and vertices for their summaries is the
 * server's job (server.ts), so the runtime hands over what it already holds. Every list answer
 * is bounded by the `limit` the server passes (at most `api.max_page_items`).
 */
import type { Committee } from '../../../core/consensus/committee.ts';
import type { Hash32 } from '../../../core/crypto/index.ts';
import type { Result } from '../../../core/result.ts';
import type { Account, Receipt } from '../../../core/state/index.ts';
import type { MempoolReject } from '../../../core/state/mempool/index.ts';
import type { ValidatorStatus } from '../../../core/validator/index.ts';

/** Inputs of `/readyz`: the node is ready when started, connected to enough peers and caught up. */
export type ApiReadiness = {
  /** False until the stored commits are replayed after a restart (the API answers meanwhile). */
  readonly started: boolean;
  readonly connectedPeers: number;
  readonly minPeers: number;
  /** False while the validator recovers or fetches certified ranges (DESIGN.md §2 Catch-up). */
  readonly caughtUp: boolean;
};

/** `/v1/status`: the validator's status plus who and where this node is. */
export type ApiStatus = ValidatorStatus & {
  readonly chainId: string;
  readonly peerId: string;
  readonly multiaddrs: readonly string[];
  /** The kaldrix package version. */
  readonly version: string;
  readonly connectedPeers: number;
  readonly mempoolTransactions: number;
  /** Events waiting for the validator (a growing number: the node cannot keep up, or an effect hangs). */
  readonly eventQueue: number;
  /** Whether the stored commits were replayed after the start (false only early after a restart). */
  readonly replayed: boolean;
  /** The checkpoint the node started from (its stored resume point, or a peer's); 0: the genesis. */
  readonly resumedFromSequence: bigint;
  /** Whether that point was taken from a peer by state sync (the node was behind every peer's commit log). */
  readonly resumedFromPeer: boolean;
  /** How many times the running node fell behind every peer's commit log and moved to a peer's point (state sync while running). */
  readonly stateSyncsWhileRunning: number;
  /** The checkpoint of the newest resume point written or started from; 0: none yet. */
  readonly resumePointSequence: bigint;
  /** The lowest commit index still stored (0 until resume points let the node prune). */
  readonly storedCommitFloor: bigint;
  /** The oldest commit this node serves peers as certified ranges (0: none yet); a peer further behind needs state sync. */
  readonly commitLogFrom: bigint;
};

export type ApiTransactionStatus =
  | { readonly status: 'pending' }
  | { readonly status: 'committed'; readonly commitIndex: bigint; readonly receipt: Receipt }
  /**
   * Not pooled here and not in the commits this node indexes: those from `indexedFromCommit` on
   * (a node indexes what it executed since it started — from its resume point, not from genesis —
   * and at most `api.tx_index_entries` transactions). An older transaction may well be committed.
   */
  | { readonly status: 'unknown'; readonly indexedFromCommit: bigint };

/** An account (or its absence) with its Merkle proof against the state root of a commit. */
export type ApiAccountProof = {
  /** null: the account does not exist; the proof is then an exclusion proof. */
  readonly account: Account | null;
  /** `encodeStateProof` of the proof (core/state smt). */
  readonly proof: Uint8Array;
  readonly stateRoot: Hash32;
  /** The commit whose state root the proof is against. */
  readonly commitIndex: bigint;
  /** The newest certificate covering that commit (undefined: not certified yet). */
  readonly certifiedSequence: bigint | undefined;
};

export interface ApiBackend {
  readiness(): ApiReadiness;
  /** The Prometheus text of `/metrics` (metrics.ts `render()`). */
  metrics(): Promise<{ readonly contentType: string; readonly text: string }>;
  status(): ApiStatus;
  /** Encoded certificates with sequence < `beforeSequence` (undefined: from the newest), newest first, at most `limit`. */
  certificatesBefore(beforeSequence: bigint | undefined, limit: number): Promise<readonly Uint8Array[]>;
  /** The encoded certificate of `sequence`, or undefined when not held. */
  certificate(sequence: bigint): Promise<Uint8Array | undefined>;
  /** Signed vertex encodings held for (`round`, `author`) of the current epoch: two under equivocation. */
  vertices(round: number, author: number): Promise<readonly Uint8Array[]>;
  /** Admits a signed transaction (its canonical bytes) to the mempool, then gossips it. */
  submitTransaction(bytes: Uint8Array): Promise<Result<Hash32, MempoolReject>>;
  transaction(id: Hash32): Promise<ApiTransactionStatus>;
  account(address: Uint8Array): Promise<ApiAccountProof>;
  /** The committee of the current epoch. */
  validators(): Committee;
}
