/**
 * The message protocol between the light client's pages (light client, explorer, wallet) and
 * the light-client worker (HOUSE-RULES 18): one discriminated union each way.
 *
 * Page → worker: requests, each with an `id` the worker answers once with a `reply`.
 * Worker → page: `reply` (to one request), and `status` whenever something a person would want
 * to see changed (peers, sync progress, the verified head, an alarm). Every verified value the
 * worker hands out carries its `VerificationReceipt` (core/light/receipt.ts): the height, the
 * certificate's checkpoint hash, the peers that served it, and what proof was checked. Values
 * that were not verified say so (`verified: false`) and carry no receipt.
 *
 * Structured clone carries bigint and Uint8Array, so core's types cross the boundary as they
 * are; the page treats everything it receives as untrusted shape until `isWorkerMessage` passed.
 */
import type { Account } from '../../core/state/index.ts';
import type { VerificationReceipt } from '../../core/light/index.ts';

/** How a trust root is given: the genesis file's text (what `kaldrix devnet` writes as genesis.json). */
export type TrustInput = { readonly kind: 'genesis'; readonly genesisText: string };

export type ConnectRequest = {
  readonly trust: TrustInput;
  /** Peer multiaddrs with `/p2p/<peer id>` (WebSockets: `/ws`; loopback allowed only when `allowLoopback`). */
  readonly peers: readonly string[];
  /** Dev and test networks on 127.0.0.1; off for production pages (TOOLCHAIN: the browser's gater). */
  readonly allowLoopback: boolean;
};

export type LightRequest =
  /** Start (or resume from IndexedDB, when the stored state has the same chain and trust root), dial the peers, sync. */
  | { readonly type: 'connect'; readonly request: ConnectRequest }
  | { readonly type: 'disconnect' }
  /** Drop what IndexedDB holds for this chain (the next connect syncs from the trust root). */
  | { readonly type: 'forget' }
  /** A verified account (inclusion or exclusion proof against the verified head's state root). */
  | { readonly type: 'account'; readonly addressText: string }
  /** The verified head and the committee that certified it. */
  | { readonly type: 'head' }
  /** The evidence behind the current alarm, as JSON a person can download and anyone can re-check. */
  | { readonly type: 'evidence' };

export type PageMessage = { readonly type: 'request'; readonly id: number; readonly body: LightRequest };

export type LightErrorCode =
  | 'MALFORMED_MESSAGE'
  | 'BAD_TRUST_ROOT'
  | 'BAD_PEER_ADDRESS'
  | 'BAD_ADDRESS'
  | 'NOT_CONNECTED'
  | 'NO_VERIFIED_HEAD'
  | 'NO_PEER_ANSWERED'
  | 'PROOF_REJECTED'
  | 'NO_EVIDENCE'
  | 'STORAGE_FAILED'
  | 'WORKER_FAILED';
export type LightError = { readonly code: LightErrorCode; readonly message: string };

export type VerifiedHead = {
  readonly chainId: string;
  readonly epoch: bigint;
  readonly sequence: bigint;
  readonly lastCommitIndex: bigint;
  readonly checkpointHash: Uint8Array;
  readonly stateRoot: Uint8Array;
  /** The committee that signed the head's certificate (members ascending by address). */
  readonly committee: readonly { readonly address: Uint8Array; readonly addressText: string; readonly stake: bigint; readonly scheme: string }[];
  /**
   * The epoch of `committee`. It is the head's epoch, except after resuming at an end-of-epoch
   * head: the signing committee is not stored, and the one shown is the next (head epoch + 1).
   */
  readonly committeeEpoch: bigint;
  readonly receipt: VerificationReceipt;
};

export type VerifiedAccountView = {
  readonly addressText: string;
  readonly account: Account;
  readonly exists: boolean;
  readonly receipt: VerificationReceipt;
};

export type ReplyBody =
  | { readonly type: 'connect'; readonly resumed: boolean }
  | { readonly type: 'disconnect' }
  | { readonly type: 'forget' }
  | { readonly type: 'account'; readonly account: VerifiedAccountView }
  | { readonly type: 'head'; readonly head: VerifiedHead }
  | { readonly type: 'evidence'; readonly fileName: string; readonly json: string };

export type PeerState = 'dialing' | 'connected' | 'disconnected' | 'banned';

export type PeerView = {
  readonly multiaddr: string;
  readonly peerId: string;
  readonly state: PeerState;
  /** Newest checkpoint sequence this peer served that verified; undefined before its first. */
  readonly verifiedSequence: bigint | undefined;
  /** Why it is banned or disconnected (a reject code and a sentence), when it is. */
  readonly reason: string | undefined;
};

export type SyncPhase = 'idle' | 'connecting' | 'syncing-epochs' | 'following' | 'stalled';

export type Alarm = {
  /** `forged-certificate`: a peer served a certificate that failed verification; `conflict`: two certified checkpoints disagree (more than f signed both). */
  readonly kind: 'forged-certificate' | 'conflict';
  readonly peers: readonly string[];
  readonly summary: string;
  readonly atMs: number;
};

export type LightStatus = {
  readonly phase: SyncPhase;
  readonly peers: readonly PeerView[];
  /** Epoch certificates applied of those known to exist (a progress bar); total 0 when none were needed. */
  readonly epochSync: { readonly done: number; readonly total: number };
  readonly head: VerifiedHead | undefined;
  /** True when this session started from the state IndexedDB held, with the time its re-check and load took. */
  readonly resumed: { readonly fromStorage: boolean; readonly loadMs: number } | undefined;
  /** Lies detected this session, newest last (bounded by MAX_ALARMS). */
  readonly alarms: readonly Alarm[];
  /** Why the verified state could not be read or stored (IndexedDB refused); absent when storage works or is not used. */
  readonly storageError?: string | undefined;
};

export const MAX_ALARMS = 32;

export type WorkerMessage =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly body: ReplyBody }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: LightError }
  | { readonly type: 'status'; readonly status: LightStatus };
