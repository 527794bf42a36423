/**
 * The validator's vocabulary: the events a shell feeds it, the effects it returns, its typed
 * rejects, components, options and status.
 *
 * DESIGN.md §2 ("the engine is a pure state machine: (state, event) -> (state, effects)");
 * HOUSE-RULES 2, 3, 16, 20; the shape follows etcd raft's Step/Ready: the core never performs
 * I/O, never reads a clock and never verifies or signs inline. Every event carries `nowMs`.
 *
 * CONTRACT WITH THE SHELL: carry out the effects of one `step` IN ORDER, each completed before
 * the next starts. In particular `persist` of the own vertex precedes its `broadcast`: a vertex
 * must be durable before any peer can see it, or a restart could sign a second vertex for the
 * same round (equivocation by amnesia). Every `verify` and `sign` must be answered exactly once
 * (`verified` / `signed` with the same token); if the verify pool fails, retry — the verdict
 * is a function of the item, so a retry changes nothing but time. Bytes passed in
 * `vertexReceived` are handed over: never change them afterwards (their decoding is remembered
 * by identity, so one array broadcast to many validators in one process is decoded once).
 */
import type { DecodeError } from '../codec/index.ts';
import type { Committee } from '../consensus/committee.ts';
import type { Certificate } from '../consensus/certificate.ts';
import type { LeaderDecision } from '../consensus/commitRule.ts';
import type { Hash32, Signature, VerifyItem } from '../crypto/index.ts';
import type { InsertReject, SignedVertex, VertexRef, VertexReject } from '../dag/index.ts';
import type { Address, Evidence, EvidenceOutcome, Ledger, ProtocolParams, Receipt } from '../state/index.ts';
import type { Mempool } from '../state/mempool/index.ts';
import type { RangeRejectCode } from './_catchUp.ts';
import type { ValidatorResumePoint } from './resumePoint.ts';

/** A peer as the shell names it (a member index for validators; any string for others). */
export type PeerId = string;

export type ValidatorEvent =
  /** Begin: propose round 1. Events before `start` are refused (a bug of the shell). */
  | { readonly type: 'start'; readonly nowMs: number }
  /** Raw bytes of a signed vertex from a peer (gossip or a fetch answer). */
  | { readonly type: 'vertexReceived'; readonly nowMs: number; readonly bytes: Uint8Array; readonly from: PeerId }
  /** The verdicts of a `verify` effect, one per item, in order. */
  | { readonly type: 'verified'; readonly nowMs: number; readonly token: number; readonly results: readonly boolean[] }
  /** The signature asked for by a `sign` effect. */
  | { readonly type: 'signed'; readonly nowMs: number; readonly token: number; readonly signature: Signature }
  /** A timer set by `setTimer` fired (stale timers are ignored, so the shell need not cancel). */
  | { readonly type: 'timer'; readonly nowMs: number; readonly timerId: string }
  /**
   * A peer's answer to `requestLatestVertices`: its own latest signed vertex. `fromMember` is
   * the answering peer's seat in the current committee as the shell authenticated the
   * connection (undefined if unknown): only an answer from the author itself counts, since a
   * relayed vertex may be an old one.
   */
  | { readonly type: 'latestVertexReceived'; readonly nowMs: number; readonly bytes: Uint8Array; readonly from: PeerId; readonly fromMember: number | undefined }
  /** A peer's answer to `requestCommitRange`: an encoded certified commit range (commitRange.ts). */
  | { readonly type: 'commitRangeReceived'; readonly nowMs: number; readonly bytes: Uint8Array; readonly from: PeerId };

export type ValidatorEventType = ValidatorEvent['type'];

/** One committed leader, as checkers, metrics and explorers see it. */
export type CommittedOutput = {
  readonly type: 'committed';
  readonly commitIndex: bigint;
  readonly leader: VertexRef;
  readonly how: LeaderDecision['how'];
  /** Execution order (the leader last). */
  readonly vertices: readonly VertexRef[];
  /** The same vertices, signed (a commit adopted from a range was never in the local DAG). */
  readonly signedVertices: readonly SignedVertex[];
  readonly commitDigest: Hash32;
  readonly receipts: readonly Receipt[];
  /** Vertex-carried evidence of this commit, in order: what slashed, or why it did not. */
  readonly evidence: readonly EvidenceOutcome[];
  readonly stateRoot: Hash32;
  /** The ledger after this commit (an immutable value: holding it costs only what later commits did not share). */
  readonly ledger: Ledger;
  /** The leader vertex's timestamp: the commit's time. */
  readonly timestampMs: number;
};

export type ValidatorEffect =
  /** Write `bytes` durably under `key` before the next effect. */
  | { readonly type: 'persist'; readonly key: string; readonly bytes: Uint8Array }
  /**
   * Send the own signed vertex to every peer. `resend`: the same vertex again, because no
   * progress followed it (lost messages, a partition that healed) — already persisted.
   */
  | { readonly type: 'broadcast'; readonly bytes: Uint8Array; readonly round: number; readonly resend?: true }
  /** Verify `items` (verify pool); answer with `verified`. */
  | { readonly type: 'verify'; readonly token: number; readonly items: readonly VerifyItem[] }
  /** Sign `message` under `context` with the validator key; answer with `signed`. */
  | { readonly type: 'sign'; readonly token: number; readonly message: Uint8Array; readonly context: Uint8Array }
  /** Deliver `timer { timerId }` at `atMs` (setting an id again need not cancel the first). */
  | { readonly type: 'setTimer'; readonly timerId: string; readonly atMs: number }
  /** Ask `from` (or any peer) for these vertices; answers come back as `vertexReceived`. */
  | { readonly type: 'fetch'; readonly from: PeerId | undefined; readonly refs: readonly VertexRef[] }
  /**
   * Ask every validator peer for its own latest vertex (answer with `latestVertexReceived`,
   * from `Validator.latestOwnVertex()`). Sent after a restart with a lost store: the validator
   * proposes nothing until it has learned from a quorum how far the network got.
   */
  | { readonly type: 'requestLatestVertices' }
  /**
   * Ask peers for a certified commit range starting at commit `fromIndex` of `epoch` (answer
   * with `commitRangeReceived`, from `Validator.commitRange(fromIndex, epoch)`): the validator
   * is behind.
   */
  | { readonly type: 'requestCommitRange'; readonly fromIndex: bigint; readonly epoch: bigint }
  /** A peer sent something provably bad: lower its score. */
  | { readonly type: 'penalize'; readonly peer: PeerId; readonly reason: ReceiveReject['code'] | RangeRejectCode }
  /** The own vertex was proposed (informational: simulators and traces). */
  | { readonly type: 'proposed'; readonly ref: VertexRef; readonly parents: readonly VertexRef[]; readonly transactions: number; readonly evidence: number; readonly vote: bigint | undefined }
  /** A leader slot was skipped (a view change). */
  | { readonly type: 'skipped'; readonly round: number; readonly leader: number; readonly how: LeaderDecision['how'] }
  | CommittedOutput
  /** A leader timeout fired: the validator moves on without that leader's vertex. */
  | { readonly type: 'leaderTimeout'; readonly round: number; readonly leader: number }
  | { readonly type: 'checkpointCertified'; readonly certificate: Certificate }
  /**
   * The end-of-epoch certificate was seen: the validator now runs `epoch` with `committee`
   * (rounds start again at 1). `selfIndex` is its seat, undefined when it has none (it keeps
   * following as an observer). The shell signs from now on with the key the committee names
   * for the seat (a rotated key takes effect here) and may re-route peers by member index.
   */
  | { readonly type: 'epochChanged'; readonly epoch: bigint; readonly committee: Committee; readonly selfIndex: number | undefined; readonly leaderSeed: Hash32; /** Index the epoch's first commit will get (the commit chain continues). */ readonly firstCommitIndex: bigint }
  /**
   * Self-proving equivocation evidence by member `author` (of the current committee), new to
   * the evidence pool: it rides on the next own vertices. `slot` is what it convicts: two
   * vertices of one round, or two checkpoint votes for one sequence.
   */
  | { readonly type: 'evidenceFound'; readonly evidence: Evidence; readonly slot: EvidenceSlot; readonly author: number };

/** The slot an equivocation convicts: a vertex round, or a checkpoint sequence (of the evidence's epoch). */
export type EvidenceSlot = { readonly context: 'vertex'; readonly round: number } | { readonly context: 'checkpoint'; readonly sequence: bigint };

export type ValidatorEffectType = ValidatorEffect['type'];

/** Why a received vertex was refused; a Byzantine peer's bad bytes are values, never exceptions. */
export type ReceiveReject =
  | { readonly code: 'MALFORMED'; readonly decodeError: DecodeError }
  | VertexReject
  | InsertReject
  | { readonly code: 'BAD_SIGNATURE'; readonly ref: VertexRef }
  /** More vertices awaiting their verdict than the validator holds (bounded). */
  | { readonly code: 'VERIFY_BACKLOG_FULL'; readonly max: number }
  /** A vertex of the next epoch, before the switch, beyond the held-vertex bounds. */
  | { readonly code: 'NEXT_EPOCH_BUFFER_FULL'; readonly epoch: bigint };

export type ReceiveRejectCode = ReceiveReject['code'];

/** Optional structured log (HOUSE-RULES 15: free when absent). */
export interface ValidatorLogger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Optional counters (HOUSE-RULES 15). */
export interface ValidatorMetrics {
  vertexRejected(code: ReceiveRejectCode): void;
  /** Vertices accepted into the DAG by one step, with their references (causal order). */
  vertexAccepted(count: number, refs: readonly VertexRef[]): void;
  leaderDecided(status: LeaderDecision['status'], how: LeaderDecision['how']): void;
  leaderTimeout(): void;
  committedTransactions(count: number): void;
}

/**
 * The mempool as the validator uses it: synchronous selection and commit notification only.
 * Admission (asynchronous, it verifies) is the shell's job.
 */
export type ValidatorMempool = Pick<Mempool, 'select' | 'onCommitted'>;

export type ValidatorComponents = {
  /** The committee of the starting epoch (state, not a constant: each epoch change replaces it). */
  readonly committee: Committee;
  /** Ledger state at the start (genesis: `ledgerFromGenesis`). */
  readonly ledger: Ledger;
  readonly mempool: ValidatorMempool;
  readonly logger?: ValidatorLogger;
  readonly metrics?: ValidatorMetrics;
};

export type ValidatorInit = {
  /**
   * This validator's member index in `committee`. Omit it for a node without a seat at the
   * start: it follows (validates, executes, certifies) as an observer and takes a seat when a
   * later committee names `selfAddress`.
   */
  readonly selfIndex?: number;
  /** This validator's address: how it finds its seat in later committees. Default: member `selfIndex`'s address; required without `selfIndex`. */
  readonly selfAddress?: Address;
  /** Genesis parameters; `params.chainId` is the chain. */
  readonly params: ProtocolParams;
  /** Seed of the epoch's leader schedule (`epochLeaderSeed(0n, genesisHash)` for epoch 0). */
  readonly leaderSeed: Hash32;
  /** The genesis hash: the first checkpoint links to it, and the commit digest chain starts from it. */
  readonly genesisHash: Hash32;
  /** The genesis time: the first checkpoint closes `checkpoint_interval_ms` after it. */
  readonly genesisTimeMs: number;
  /** Upper bound of the leader timeout after backoff, ms. Default 8 × `leader_timeout_ms`. */
  readonly maxLeaderTimeoutMs?: number;
  /** Received vertices awaiting their verdict at once. Default 1,024. */
  readonly maxVerifyBacklog?: number;
  /** Most references per `fetch` effect. Default 64. */
  readonly maxFetchRefs?: number;
  /** Equivocation evidence queued for the own vertices. Default 64. */
  readonly maxPendingEvidence?: number;
  /** Signature verdicts remembered for execution. Default 65,536. */
  readonly maxVerdicts?: number;
  /** Executed commits kept to serve catch-up ranges to peers. Default 1,024. */
  readonly maxLoggedCommits?: number;
  /** …and the bytes of their vertices' signatures, transactions and evidence. Default 64 MiB. */
  readonly maxLoggedBytes?: number;
  /**
   * This start follows an earlier run of the same validator (default: a first start). With the
   * store kept, the shell passes the last own vertex it persisted (the validator never signs
   * another vertex for that slot or below); with the store lost, the validator learns its last
   * round from a quorum of peers before proposing (docs/protocol.md "Restart"). Either way it
   * catches up from its starting ledger by certified commit ranges.
   */
  readonly restart?: { readonly kind: 'store-kept'; readonly lastOwnVertex: { readonly epoch: bigint; readonly round: number } | undefined } | { readonly kind: 'store-lost' };
  /**
   * Start from this resume point (`Validator.resumePoint()`, `resumePoint.ts`) instead of the
   * genesis: at its commit index and digest, checkpoint sequence and hash, epoch and DAG
   * position; then catch up by certified commit ranges from there. `components.ledger` is the
   * point's ledger, `components.committee` and `leaderSeed` are those of `resumeEpochOf(point)`
   * (the next epoch's for an epoch's last checkpoint); a mismatch throws a RangeError. The
   * shell must have verified the certificate's signatures against that committee (the
   * validator does no crypto inline). `restart` still applies; without it the validator cannot
   * know whether it signed before and acts as after a lost store. Default: the genesis.
   */
  readonly resume?: ValidatorResumePoint;
};

/** A snapshot of what the validator has done (cheap; for metrics, UIs and tests). */
export type ValidatorStatus = {
  readonly epoch: bigint;
  /** The seat in the current committee; undefined for an observer. */
  readonly selfIndex: number | undefined;
  /** Round of the last own vertex in the current epoch (0 before the first). */
  readonly round: number;
  readonly highestRound: number;
  readonly committedLeaders: number;
  /** Skipped leader slots: PBFT view changes. */
  readonly skippedLeaders: number;
  readonly directCommits: number;
  readonly indirectCommits: number;
  readonly leaderTimeouts: number;
  readonly lastCommitIndex: bigint;
  readonly commitDigest: Hash32;
  readonly stateRoot: Hash32;
  /** Committed transactions that took effect (applied, or charged their fee); dropped copies and duplicates are not counted. */
  readonly executedTransactions: number;
  readonly lastCheckpointSequence: bigint;
  readonly lastCertifiedSequence: bigint;
  /** True between the end-of-epoch checkpoint's cut and its certificate: nothing is executed. */
  readonly epochClosing: boolean;
  /** Equivocations (vertex pairs and checkpoint vote pairs) turned into evidence for the own vertices. */
  readonly evidenceFound: number;
  /**
   * Verified checkpoint votes that sign another checkpoint than the own one of their sequence:
   * the voter or this validator diverged (or the voter equivocates). Counted once per member
   * and checkpoint hash within the vote window.
   */
  readonly conflictingVotes: number;
  readonly pendingVertices: number;
  /** The DAG's gc round (nothing below is held for consensus) and the round of the last decided leader slot. */
  readonly gcRound: number;
  readonly lastDecidedRound: number;
  /** Commits decided (or taken from a range) but not executed yet, and whether execution waits for signature verdicts. */
  readonly queuedCommits: number;
  readonly awaitingVerdicts: boolean;
  readonly rejects: Readonly<Partial<Record<ReceiveRejectCode, number>>>;
  /** Certified commit ranges taken (catch-up), and the commits they brought. */
  readonly rangesAdopted: number;
  readonly rangeCommits: number;
  /** True after a restart with a lost store until a quorum told the validator how far the network got. */
  readonly recovering: boolean;
};
