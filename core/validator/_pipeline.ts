/**
 * The validator's event handlers: rounds and timers, the own vertex, received vertices, and
 * the switch from one epoch to the next.
 *
 * DESIGN.md §2 "Rounds", "Equivocation", "Restart safety", "Epochs"; docs/protocol.md "The
 * validator". Timers: `leader/<e>/<r>` is the leader timeout of the wait for round r of epoch e
 * (armed when r becomes the next round to propose: at the previous own proposal, or when the
 * DAG jumps ahead), doubled after each consecutive timeout up to `maxLeaderTimeoutMs` and reset
 * by a proposal that found its leader; `delay/<e>/<r>` is the end of `min_round_delay_ms`;
 * `sync/<t>` re-asks any peer for missing parents while vertices wait for them. A timer that
 * fires for a round (or an epoch) already left is ignored, so a shell never has to cancel one;
 * the epoch is in the id because rounds start again at 1 in every epoch.
 */
import type { Certificate } from '../consensus/certificate.ts';
import { nextCommitteeOf } from '../consensus/certificateChain.ts';
import { epochLeaderSeed } from '../consensus/leaderSchedule.ts';
import { toHex, type Hash32, type Signature, type VerifyItem } from '../crypto/index.ts';
import {
  encodeSignedVertex,
  refKey,
  VERTEX_SIGNING_CONTEXT,
  vertexRef,
  vertexSigningMessage,
  vertexVerifyItem,
  type AcceptOutcome,
  type DagLimits,
  type InsertOutcome,
  type InsertReject,
  type SignedVertex,
  type VertexRef,
} from '../dag/index.ts';
import type { Result } from '../result.ts';
import { formatDecodeError } from '../codec/index.ts';
import { memberStake, stakeOf } from '../consensus/committee.ts';
import { certificateVerdict, checkRange, HONEST_RANGE_REJECTS, type RangeReject } from './_catchUp.ts';
import type { CommitLog } from './_commitLog.ts';
import { decodeCommitRange, encodeCommitRange } from './commitRange.ts';
import type { Address, Ledger, ProtocolParams } from '../state/index.ts';
import type { Checkpointer } from './_checkpoints.ts';
import { createCommitter, type SignJob, type VerifyJob } from './_commits.ts';
import { createEpochContext, type EpochContext } from './_epoch.ts';
import type { EvidencePool, FoundEvidence } from './_evidencePool.ts';
import { createJobs } from './_jobs.ts';
import type { NextEpochVertices } from './_nextEpochVertices.ts';
import { buildProposal, leaderTimeoutMs, proposalTarget, readiness, type Proposal } from './_propose.ts';
import { checkReceived, decodeReceived } from './_receive.ts';
import type { Verdicts } from './_verdicts.ts';
import { createTxChoice } from './_txChoice.ts';
import { createInFlight } from './_inFlight.ts';
import type { ResumeTracker } from './_resume.ts';
import type { ResumeStart } from './_resumeStart.ts';
import type { PeerId, ReceiveReject, ReceiveRejectCode, ValidatorEffect, ValidatorInit, ValidatorLogger, ValidatorMempool, ValidatorMetrics, ValidatorStatus } from './types.ts';

/** Rejects that prove the sending peer misbehaved (the rest may happen to honest peers: lag, clocks, full buffers). */
const PENALIZED: ReadonlySet<ReceiveRejectCode> = new Set<ReceiveRejectCode>([
  'MALFORMED', 'BAD_SIGNATURE', 'WRONG_CHAIN', 'UNKNOWN_AUTHOR', 'GENESIS_ROUND', 'SCHEME_MISMATCH',
  'CHECKPOINT_SCHEME_MISMATCH', 'TOO_MANY_PARENTS', 'GENESIS_WITH_PARENTS', 'DUPLICATE_PARENT', 'PARENTS_NOT_SORTED',
  'PARENT_ROUND_NOT_BELOW', 'UNKNOWN_PARENT_AUTHOR', 'MULTIPLE_PARENTS_PER_AUTHOR', 'TOO_MANY_WEAK_LINKS',
  'PARENTS_NO_QUORUM', 'TOO_MANY_TRANSACTIONS', 'TRANSACTION_TOO_LARGE', 'TRANSACTIONS_TOO_LARGE', 'TOO_MANY_EVIDENCE',
  'TIMESTAMP_BEFORE_PARENTS',
]);

/** Leader timeouts without a newer own vertex before the latest one is sent again. */
const RESEND_AFTER_TIMEOUTS = 5;

export type PipelineDeps = {
  /** The starting epoch. */
  readonly epoch: EpochContext;
  readonly selfAddress: Address;
  readonly params: ProtocolParams;
  readonly limits: DagLimits;
  readonly mempool: ValidatorMempool;
  readonly checkpointer: Checkpointer;
  readonly evidencePool: EvidencePool;
  readonly nextEpochVertices: NextEpochVertices;
  readonly verdicts: Verdicts;
  readonly ledger: Ledger;
  readonly genesisHash: Hash32;
  readonly maxLeaderTimeoutMs: number;
  readonly maxVerifyBacklog: number;
  readonly maxFetchRefs: number;
  readonly logger: ValidatorLogger | undefined;
  readonly metrics: ValidatorMetrics | undefined;
  readonly commitLog: CommitLog;
  readonly restart: ValidatorInit['restart'];
  readonly resumeTracker: ResumeTracker;
  /** Set when the validator resumed from a checkpoint (`init.resume`). */
  readonly start: ResumeStart | undefined;
};

export type Pipeline = {
  start(nowMs: number, out: ValidatorEffect[]): void;
  receive(bytes: Uint8Array, from: PeerId, nowMs: number, out: ValidatorEffect[]): void;
  verified(token: number, results: readonly boolean[], nowMs: number, out: ValidatorEffect[]): void;
  signed(token: number, signature: Signature, nowMs: number, out: ValidatorEffect[]): void;
  timer(timerId: string, nowMs: number, out: ValidatorEffect[]): void;
  latestReceived(bytes: Uint8Array, from: PeerId, fromMember: number | undefined, nowMs: number, out: ValidatorEffect[]): void;
  rangeReceived(bytes: Uint8Array, from: PeerId, nowMs: number, out: ValidatorEffect[]): void;
  latestOwnVertex(): Uint8Array | undefined;
  /** Whether a pooled transaction rides in an accepted, uncommitted vertex of this epoch (_txChoice.ts). */
  rides(id: Hash32): boolean;
  slotVertices(round: number, author: number): readonly Uint8Array[];
  commitRange(fromIndex: bigint, epoch: bigint): Uint8Array | undefined;
  commitLogFrom(): bigint | undefined;
  /** Ends every step: work deferred by an epoch switch (replaying held vertices, round 1). */
  settle(nowMs: number, out: ValidatorEffect[]): void;
  status(): ValidatorStatus;
  ledger(): Ledger;
  /** An accepted vertex of this epoch or the previous one (peers still finishing it fetch from us), also for gc_depth rounds after its collection. */
  vertexBytes(ref: VertexRef): Uint8Array | undefined;
};

type Pacing = {
  started: boolean;
  round: number;
  signing: boolean;
  lastProposalMs: number;
  armedRound: number;
  delayArmedRound: number;
  timedOutRound: number;
  consecutiveTimeouts: number;
  timeouts: number;
  syncArmed: boolean;
};

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { params, limits, evidencePool } = deps;
  let epoch = deps.epoch;
  /** The previous epoch's store (and what it collected), kept to answer fetches of peers still finishing it. */
  let retired: EpochContext | undefined;
  const jobs = createJobs<VerifyJob, SignJob>();
  /**
   * Which pooled transactions to propose: none that ride in the DAG already, relayed ones after
   * a wait (the node a client chose proposes them first). _txChoice.ts says why.
   */
  const txChoice = createTxChoice(params, { designatedWaitMs: params.leaderTimeoutMs, anyoneWaitMs: 2 * params.leaderTimeoutMs }, toHex);
  /** Vertices (ref and signature) awaiting their verdict: a copy arriving meanwhile is dropped. */
  const inFlight = createInFlight();
  const rejects: Partial<Record<ReceiveRejectCode, number>> = {};
  const pacing: Pacing = { started: false, round: 0, signing: false, lastProposalMs: -Infinity, armedRound: 0, delayArmedRound: 0, timedOutRound: 0, consecutiveTimeouts: 0, timeouts: 0, syncArmed: false };
  let evidenceFound = 0;
  /** The own latest vertex of the current epoch, as sent (answers restarting peers). */
  let lastOwnBytes: Uint8Array | undefined;
  /**
   * Restart safety. `ownFloor`: the last own vertex a kept store remembers — never sign at or
   * below it in its epoch. `recovery`: after a lost store, the stake of peers whose latest own
   * vertex (signature verified) arrived from themselves, with the highest round among them.
   */
  const ownFloor = deps.restart?.kind === 'store-kept' ? deps.restart.lastOwnVertex : undefined;
  // Resumed without being told whether it ran before: it cannot know what it signed, so it
  // takes the lost-store path (a node that never signed only waits a little longer).
  const lostStore = deps.restart?.kind === 'store-lost' || (deps.restart === undefined && deps.start !== undefined);
  let recovery: { credited: Map<number, number>; highestRound: number; askPending: boolean } | undefined =
    lostStore ? { credited: new Map(), highestRound: 0, askPending: false } : undefined;
  /** Catch-up: when a range was last asked for, how many sync periods vertices have waited, ranges taken. */
  const catchUp = { lastRequestMs: -Infinity, stuckSyncs: 0, adopted: 0, commits: 0 };

  const committer = createCommitter({
    ...deps,
    epoch: () => epoch,
    jobs,
    onCommitted: (ids) => txChoice.committed(ids),
    onGc: (gcRound, outcome, out) => {
      txChoice.gc(gcRound);
      evidencePool.prune(gcRound);
      epoch.collected.keep(outcome.dropped, gcRound);
      accepted(outcome.released, out);
    },
    onEpochCertified: (certificate, out) => switchEpoch(certificate, out),
    commitLog: deps.commitLog,
    onCheckpointEquivocation: ({ evidence, sequence, member }, out) => {
      found(evidencePool.offerEvidence(evidence, Object.freeze({ context: 'checkpoint', sequence }), member), out);
    },
  });

  const reject = (error: ReceiveReject, from: PeerId, out: ValidatorEffect[]): void => {
    rejects[error.code] = (rejects[error.code] ?? 0) + 1;
    deps.metrics?.vertexRejected(error.code);
    deps.logger?.debug('vertex rejected', { code: error.code, from });
    if (PENALIZED.has(error.code)) out.push(Object.freeze({ type: 'penalize', peer: from, reason: error.code }));
  };

  /** Evidence new to the pool is counted and reported. */
  const found = (evidence: FoundEvidence | undefined, out: ValidatorEffect[]): void => {
    if (evidence === undefined) return;
    evidenceFound++;
    out.push(Object.freeze({ type: 'evidenceFound', ...evidence }));
  };

  /** Equivocations found while accepting become evidence; then the commit rule runs. */
  const accepted = (outcome: AcceptOutcome, out: ValidatorEffect[]): void => {
    if (outcome.accepted.length > 0) deps.metrics?.vertexAccepted(outcome.accepted.length, outcome.accepted.map((v) => v.ref));
    for (const v of outcome.accepted) if (v.signed.vertex.transactions.length > 0) txChoice.sawVertex(v.signed.vertex.transactions, v.ref.round, v.ref.author === epoch.self);
    // An own vertex this run did not sign (an earlier run's): never sign that slot, or below, again.
    for (const v of outcome.accepted) if (v.ref.author === epoch.self && v.ref.round > pacing.round) pacing.round = v.ref.round;
    for (const pair of outcome.equivocations) found(evidencePool.offer(pair), out);
  };

  const inserted = (result: Result<InsertOutcome, InsertReject>, from: PeerId, nowMs: number, out: ValidatorEffect[]): void => {
    if (!result.ok) return reject(result.error, from, out);
    const outcome = result.value;
    if (outcome.status === 'duplicate') return;
    if (outcome.status === 'pending') {
      const refs = outcome.missing.slice(0, deps.maxFetchRefs);
      if (refs.length > 0) out.push(Object.freeze({ type: 'fetch', from, refs: Object.freeze(refs) }));
      armSync(nowMs, out);
      return;
    }
    for (const r of outcome.rejected) reject(r.reject, from, out);
    accepted(outcome, out);
    if (couldDecide(outcome)) {
      const committedBefore = committer.counters().committedLeaders;
      committer.decide(out);
      // A committed leader is progress: the network is live, so the backoff starts over.
      if (committer.counters().committedLeaders > committedBefore) pacing.consecutiveTimeouts = 0;
    }
    tryPropose(nowMs, out);
  };

  /**
   * A vertex at round q counts only as a vote or blame for slot q-1 and as a certificate for
   * slot q-2, and either needs a quorum of stake at round q; every other decision follows from
   * those (indirect decisions hang on a decided anchor). So the commit rule can only move when
   * an accepted vertex's round holds a quorum: before that (two thirds of a round's arrivals)
   * running it is wasted — at 100 validators it was a sixth of all the work.
   */
  const couldDecide = (outcome: AcceptOutcome): boolean => {
    let checked = -1;
    for (const v of outcome.accepted) {
      if (v.ref.round === checked) continue;
      checked = v.ref.round;
      if (epoch.store.roundHasQuorum(v.ref.round)) return true;
    }
    return false;
  };

  /**
   * While vertices wait for parents, ask any peer for the missing ones every leader timeout:
   * the peer that sent a vertex may be unable to answer (it crashed, or cannot reach us).
   */
  const armSync = (nowMs: number, out: ValidatorEffect[]): void => {
    if (pacing.syncArmed || epoch.store.pendingCount() === 0) return;
    pacing.syncArmed = true;
    out.push(Object.freeze({ type: 'setTimer', timerId: `sync/${nowMs}`, atMs: nowMs + params.leaderTimeoutMs }));
  };

  const sync = (nowMs: number, out: ValidatorEffect[]): void => {
    pacing.syncArmed = false;
    const refs = epoch.store.missingRefs().slice(0, deps.maxFetchRefs);
    if (refs.length > 0) out.push(Object.freeze({ type: 'fetch', from: undefined, refs: Object.freeze(refs) }));
    // Parents still missing after two rounds of asking: peers may have collected them already.
    catchUp.stuckSyncs = epoch.store.pendingCount() > 0 ? catchUp.stuckSyncs + 1 : 0;
    if (catchUp.stuckSyncs >= 2) requestRange(nowMs, out);
    armSync(nowMs, out);
  };

  /**
   * The own vertex is sent once. If no newer own vertex follows within RESEND_AFTER_TIMEOUTS
   * leader timeouts, the round is stuck — typically its messages were lost, or a partition cut
   * the quorum and has healed since, and nobody re-sends on their own — so it is sent again,
   * and again at that pace while the stall lasts (peers drop the duplicates).
   */
  const armResend = (round: number, nowMs: number, out: ValidatorEffect[]): void => {
    out.push(Object.freeze({ type: 'setTimer', timerId: `resend/${epoch.committee.epoch}/${round}`, atMs: nowMs + RESEND_AFTER_TIMEOUTS * params.leaderTimeoutMs }));
  };

  /**
   * Asks peers for a certified commit range from the next commit to execute — at most once per
   * leader timeout (answers to an earlier request may still be on their way).
   */
  const requestRange = (nowMs: number, out: ValidatorEffect[]): void => {
    const head = committer.rangeHead();
    if (nowMs < catchUp.lastRequestMs + params.leaderTimeoutMs) return;
    catchUp.lastRequestMs = nowMs;
    out.push(Object.freeze({ type: 'requestCommitRange', fromIndex: head.commitIndex + 1n, epoch: epoch.committee.epoch }));
  };

  const rangeReceived = (bytes: Uint8Array, from: PeerId, nowMs: number, out: ValidatorEffect[]): void => {
    const decoded = decodeCommitRange(bytes);
    if (!decoded.ok) return rangeRejected({ code: 'MALFORMED_RANGE', reason: formatDecodeError(decoded.error) }, from, out);
    const head = committer.rangeHead();
    const checked = checkRange(decoded.value, { chainId: params.chainId, committee: epoch.committee, ...head });
    if (!checked.ok) return rangeRejected(checked.error, from, out);
    jobs.verify(checked.value.items, { kind: 'range', range: checked.value, from }, out);
  };

  const rangeRejected = (error: RangeReject, from: PeerId, out: ValidatorEffect[]): void => {
    deps.logger?.debug('commit range rejected', { code: error.code, from });
    if (!HONEST_RANGE_REJECTS.has(error.code)) out.push(Object.freeze({ type: 'penalize', peer: from, reason: error.code }));
  };

  const rangeVerified = (job: Extract<VerifyJob, { kind: 'range' }>, results: readonly boolean[], nowMs: number, out: ValidatorEffect[]): void => {
    const { range, from } = job;
    if (range.certificate.checkpoint.epoch !== epoch.committee.epoch) return;
    const verdict = certificateVerdict(range, epoch.committee, results);
    if (!verdict.ok) return rangeRejected(verdict.error, from, out);
    // Verification took time: the head may have moved (another range, local commits).
    const head = committer.rangeHead();
    const first = range.commits[0];
    const last = range.commits[range.commits.length - 1];
    const stillWanted = first === undefined || last === undefined
      ? head.closing && range.certificate.checkpoint.lastCommitIndex === head.commitIndex
      : !head.closing && first.index === head.commitIndex + 1n && last.index > head.decidedIndex;
    if (!stillWanted) return;
    catchUp.adopted++;
    catchUp.commits += range.commits.length;
    catchUp.stuckSyncs = 0;
    committer.adoptRange(range, out);
    // Further behind than one range reaches: ask for the next one at once.
    catchUp.lastRequestMs = -Infinity;
    requestRange(nowMs, out);
    tryPropose(nowMs, out);
  };

  /** A peer's latest own vertex after our lost store: verified, then credited to its author. */
  const latestReceived = (bytes: Uint8Array, from: PeerId, fromMember: number | undefined, nowMs: number, out: ValidatorEffect[]): void => {
    receive(bytes, from, nowMs, out);
    if (recovery === undefined) return;
    const decoded = decodeReceived(bytes);
    if (!decoded.ok) return;
    const { vertex } = decoded.value;
    const member = epoch.committee.members[vertex.author];
    // Credited only from the author itself: a vertex relayed by another peer may be an old one.
    if (vertex.chainId !== params.chainId || vertex.epoch !== epoch.committee.epoch || member === undefined || vertex.author !== fromMember) return;
    if (vertex.author === epoch.self || member.key.scheme !== decoded.value.signature.scheme) return;
    jobs.verify([vertexVerifyItem(decoded.value, member.key)], { kind: 'latest', epoch: vertex.epoch, author: vertex.author, round: vertex.round }, out);
  };

  const latestVerified = (job: Extract<VerifyJob, { kind: 'latest' }>, valid: boolean, nowMs: number, out: ValidatorEffect[]): void => {
    if (recovery === undefined || !valid || job.epoch !== epoch.committee.epoch) return;
    recovery.credited.set(job.author, Math.max(job.round, recovery.credited.get(job.author) ?? 0));
    recovery.highestRound = Math.max(recovery.highestRound, job.round);
    const { committee, self } = epoch;
    const ownStake = self === undefined ? 0n : memberStake(committee, self);
    const needed = committee.quorumStake < committee.totalStake - ownStake ? committee.quorumStake : committee.totalStake - ownStake;
    if (stakeOf(committee, recovery.credited.keys()) < needed) return;
    // A quorum of others answered. Every own vertex signed before the loss had parents from a
    // quorum; that quorum and this one share an honest member, whose latest round is at least
    // the lost vertex's round − 1. Proposing above highest + 1 can therefore never re-sign a slot.
    pacing.round = Math.max(pacing.round, recovery.highestRound + 1);
    deps.logger?.debug('recovered after a lost store', { epoch: String(committee.epoch), resumeAbove: pacing.round });
    recovery = undefined;
    tryPropose(nowMs, out);
  };

  const askLatest = (nowMs: number, out: ValidatorEffect[]): void => {
    out.push(Object.freeze({ type: 'requestLatestVertices' }));
    out.push(Object.freeze({ type: 'setTimer', timerId: `latest/${epoch.committee.epoch}/${nowMs}`, atMs: nowMs + params.leaderTimeoutMs }));
  };

  const tryPropose = (nowMs: number, out: ValidatorEffect[]): void => {
    const { store, schedule, committee, self } = epoch;
    // An observer (no seat in this epoch's committee) follows but never proposes; nor does a
    // validator still learning, after a lost store, how far it had got.
    if (!pacing.started || pacing.signing || self === undefined || recovery !== undefined) return;
    const target = proposalTarget(store, pacing.round);
    if (target > 1 && target !== pacing.armedRound) {
      pacing.armedRound = target;
      const atMs = nowMs + leaderTimeoutMs(params.leaderTimeoutMs, pacing.consecutiveTimeouts, deps.maxLeaderTimeoutMs);
      out.push(Object.freeze({ type: 'setTimer', timerId: `leader/${committee.epoch}/${target}`, atMs }));
    }
    const ready = readiness({ store, schedule, target, nowMs, lastProposalMs: pacing.lastProposalMs, minRoundDelayMs: params.minRoundDelayMs, timedOutRound: pacing.timedOutRound });
    if (!ready.ready) {
      if (ready.waitingFor === 'delay' && pacing.delayArmedRound !== target) {
        pacing.delayArmedRound = target;
        out.push(Object.freeze({ type: 'setTimer', timerId: `delay/${committee.epoch}/${target}`, atMs: ready.atMs }));
      }
      return;
    }
    // While the epoch closes nothing more of it executes: no payload rides, only the vote.
    const closing = committer.closing();
    const proposal = buildProposal(
      {
        store, committee, limits, chainId: params.chainId, self, round: target, nowMs, mempool: deps.mempool,
        choose: txChoice.chooser(nowMs, self, committee.members.length, committee.epoch),
        evidence: closing ? [] : evidencePool.take(limits.maxEvidencePerVertex), vote: committer.takeVote(), withTransactions: !closing,
      },
    );
    if (proposal === undefined) throw new Error(`validator: no parents for round ${target} although round ${target - 1} has a quorum`);
    if (ready.leaderPresent) pacing.consecutiveTimeouts = 0;
    pacing.signing = true;
    for (const item of proposal.knownValid) deps.verdicts.set(item, true);
    jobs.sign(vertexSigningMessage(proposal.vertex), VERTEX_SIGNING_CONTEXT, { kind: 'vertex', proposal, startedMs: nowMs }, out);
  };

  /** The own vertex is signed: store it, persist it, then (only then) broadcast it. */
  const proposed = (proposal: Proposal, signature: Signature, startedMs: number, nowMs: number, out: ValidatorEffect[]): void => {
    const signed: SignedVertex = Object.freeze({ vertex: proposal.vertex, signature });
    const ref = vertexRef(signed.vertex);
    const bytes = encodeSignedVertex(signed);
    pacing.signing = false;
    const current = signed.vertex.epoch === epoch.committee.epoch;
    if (current) {
      pacing.round = ref.round;
      pacing.lastProposalMs = startedMs;
    }
    // Signed just before the epoch ended: still sent (it may carry the vote a slower peer
    // needs for the end-of-epoch certificate), kept only where fetches are answered from.
    out.push(Object.freeze({ type: 'persist', key: `own-vertex/${signed.vertex.epoch}/${ref.round}`, bytes }));
    out.push(Object.freeze({ type: 'broadcast', bytes, round: ref.round }));
    if (current) lastOwnBytes = bytes;
    const v = signed.vertex;
    out.push(Object.freeze({ type: 'proposed', ref, parents: v.parents, transactions: v.transactions.length, evidence: v.evidence.length, vote: v.checkpointSignature?.sequence }));
    if (current) armResend(ref.round, nowMs, out);
    if (current) inserted(epoch.store.insert(signed, ref), String(epoch.self), nowMs, out);
    else retired?.store.insert(signed, ref);
    tryPropose(nowMs, out);
  };

  const vertexVerified = (job: Extract<VerifyJob, { kind: 'vertex' }>, results: readonly boolean[], nowMs: number, out: ValidatorEffect[]): void => {
    inFlight.remove(job.key, job.signed.signature.bytes);
    // Verified for an epoch that has ended meanwhile: nothing of it is needed any more.
    if (job.epoch !== epoch.committee.epoch) return;
    if (results[0] !== true) return reject({ code: 'BAD_SIGNATURE', ref: job.ref }, job.from, out);
    // Warm execution's verdicts with the transaction signatures verified alongside.
    for (let i = 1; i < job.items.length; i++) deps.verdicts.set(job.items[i] as VerifyItem, results[i] === true);
    const vote = job.signed.vertex.checkpointSignature;
    if (vote !== undefined) committer.offerVote(job.ref.author, vote, out);
    inserted(epoch.store.insert(job.signed, job.ref), job.from, nowMs, out);
  };

  const receive = (bytes: Uint8Array, from: PeerId, nowMs: number, out: ValidatorEffect[]): void => {
    const decoded = decodeReceived(bytes);
    if (!decoded.ok) return reject(decoded.error, from, out);
    const { store, committee } = epoch;
    const signed = decoded.value;
    if (signed.vertex.epoch > committee.epoch && signed.vertex.chainId === params.chainId) {
      // Peers are in a later epoch: this validator's epoch ended without it (its certificate is
      // late, or it was down). Catch up by certified ranges (at most one request per leader
      // timeout, so unverified future vertices cannot make it ask more often).
      requestRange(nowMs, out);
      if (signed.vertex.epoch === committee.epoch + 1n) {
        if (!deps.nextEpochVertices.hold(bytes, from)) reject({ code: 'NEXT_EPOCH_BUFFER_FULL', epoch: signed.vertex.epoch }, from, out);
        return;
      }
    }
    const highestKnownRound = Math.max(store.highestRound(), pacing.round, committer.lastDecidedRound());
    const received = checkReceived(signed, { chainId: params.chainId, committee, limits, highestKnownRound, gcRound: store.lowestRound(), nowMs, ledger: committer.ledger(), params });
    if (!received.ok) {
      // Far-ahead vertices from a validly formed peer: the network moved on without us.
      if (received.error.code === 'ROUND_TOO_FAR_AHEAD') requestRange(nowMs, out);
      return reject(received.error, from, out);
    }
    const { ref, items } = received.value;
    if (store.has(ref) || store.isPending(ref)) return;
    const key = refKey(ref);
    if (inFlight.has(key, signed.signature.bytes)) return;
    if (inFlight.size() >= deps.maxVerifyBacklog) return reject({ code: 'VERIFY_BACKLOG_FULL', max: deps.maxVerifyBacklog }, from, out);
    inFlight.add(key, signed.signature.bytes);
    jobs.verify(items, { kind: 'vertex', epoch: committee.epoch, signed, ref, from, key, items }, out);
  };

  /**
   * The end-of-epoch certificate is in: every epoch-scoped part is replaced (`_epoch.ts`), the
   * commit index and digest chain carry on, vertices of the new epoch held so far are replayed,
   * and the validator proposes round 1 if it has a seat.
   */
  const switchEpoch = (certificate: Certificate, out: ValidatorEffect[]): void => {
    const committee = nextCommitteeOf(certificate);
    if (committee === undefined) throw new Error('validator: switchEpoch without a next committee');
    const leaderSeed = epochLeaderSeed(committee.epoch, certificate.checkpoint.commitDigest);
    retired = epoch;
    epoch = createEpochContext(committee, deps.selfAddress, leaderSeed, params.gcDepthRounds);
    committer.startEpoch();
    deps.checkpointer.startEpoch(committee);
    evidencePool.startEpoch(committee);
    // Transactions of old-epoch vertices that were never executed may be proposed again.
    txChoice.clear();
    inFlight.clear();
    Object.assign(pacing, { round: 0, armedRound: 0, delayArmedRound: 0, timedOutRound: 0, consecutiveTimeouts: 0 });
    lastOwnBytes = undefined;
    if (ownFloor !== undefined && ownFloor.epoch === committee.epoch) pacing.round = ownFloor.round;
    // Still recovering from a lost store: the same question, now about the new epoch.
    if (recovery !== undefined) recovery = { credited: new Map(), highestRound: 0, askPending: true };
    out.push(Object.freeze({
      type: 'epochChanged', epoch: committee.epoch, committee, selfIndex: epoch.self, leaderSeed, firstCommitIndex: certificate.checkpoint.lastCommitIndex + 1n,
    }));
    pendingReplay = true;
  };

  /**
   * After a switch, at the end of the same step (not inside the certificate's call chain): the
   * held vertices of the new epoch, then round 1. Loops only if a replay switched again.
   */
  let pendingReplay = false;
  const settle = (nowMs: number, out: ValidatorEffect[]): void => {
    if (recovery?.askPending === true) {
      recovery.askPending = false;
      askLatest(nowMs, out);
    }
    while (pendingReplay) {
      pendingReplay = false;
      for (const held of deps.nextEpochVertices.drain()) receive(held.bytes, held.from, nowMs, out);
      tryPropose(nowMs, out);
    }
  };

  const timer = (timerId: string, nowMs: number, out: ValidatorEffect[]): void => {
    const [kind, epochText, roundText] = timerId.split('/');
    if (kind === 'sync') return sync(nowMs, out);
    if (kind === 'resend') {
      // Still the newest own vertex after a long wait: peers may never have received it.
      if (epochText === String(epoch.committee.epoch) && Number(roundText) === pacing.round && lastOwnBytes !== undefined) {
        out.push(Object.freeze({ type: 'broadcast', bytes: lastOwnBytes, round: pacing.round, resend: true }));
        armResend(pacing.round, nowMs, out);
      }
      return;
    }
    if (kind === 'latest') {
      // Not enough answers yet: ask again (and for a range: the network may be far ahead).
      if (recovery !== undefined && epochText === String(epoch.committee.epoch)) {
        askLatest(nowMs, out);
        requestRange(nowMs, out);
      }
      return;
    }
    const round = Number(roundText);
    const { store, schedule, committee } = epoch;
    const current = epochText === String(committee.epoch);
    if (current && kind === 'leader' && round === pacing.armedRound && pacing.round < round && pacing.timedOutRound < round) {
      const leader = schedule.leaderOf(round - 1);
      // A timeout only counts when the leader is what is missing.
      if (store.slot(round - 1, leader).length === 0) {
        pacing.timedOutRound = round;
        pacing.timeouts++;
        pacing.consecutiveTimeouts++;
        deps.metrics?.leaderTimeout();
        out.push(Object.freeze({ type: 'leaderTimeout', round: round - 1, leader }));
      }
    }
    tryPropose(nowMs, out);
  };

  return Object.freeze({
    start(nowMs: number, out: ValidatorEffect[]) {
      if (pacing.started) throw new Error('validator: started twice');
      pacing.started = true;
      if (ownFloor !== undefined && ownFloor.epoch === epoch.committee.epoch) pacing.round = Math.max(pacing.round, ownFloor.round);
      // Resumed: rounds up to the point's last leader are long decided; a vertex there is of no use.
      if (deps.start !== undefined) pacing.round = Math.max(pacing.round, deps.start.leaderRound);
      if (deps.restart !== undefined || deps.start !== undefined) requestRange(nowMs, out);
      if (recovery !== undefined) askLatest(nowMs, out);
      tryPropose(nowMs, out);
    },
    latestReceived,
    rangeReceived,
    latestOwnVertex: () => lastOwnBytes,
    rides: (id: Hash32) => txChoice.rides(id),
    slotVertices: (round: number, author: number) => epoch.store.slot(round, author).map((v) => encodeSignedVertex(v.signed)),
    commitRange(fromIndex: bigint, asOfEpoch: bigint) {
      const range = deps.commitLog.rangeFrom(fromIndex, asOfEpoch);
      return range === undefined ? undefined : encodeCommitRange(range);
    },
    commitLogFrom: () => deps.commitLog.held().oldestIndex,
    receive,
    verified(token: number, results: readonly boolean[], nowMs: number, out: ValidatorEffect[]) {
      const job = jobs.takeVerify(token);
      const expected = job.kind === 'votes' ? job.votes.length : job.kind === 'range' ? job.range.items.length : job.kind === 'latest' ? 1 : job.items.length;
      if (results.length !== expected) throw new RangeError(`validator: ${results.length} verdicts for ${expected} items (token ${token})`);
      if (job.kind === 'vertex') vertexVerified(job, results, nowMs, out);
      else if (job.kind === 'votes') committer.votesVerified(job.votes, results, out);
      else if (job.kind === 'range') rangeVerified(job, results, nowMs, out);
      else if (job.kind === 'latest') latestVerified(job, results[0] === true, nowMs, out);
      else if (job.kind === 'warm') committer.warmVerdicts(job.items, results);
      else committer.executionVerdicts(job.items, results, out);
    },
    signed(token: number, signature: Signature, nowMs: number, out: ValidatorEffect[]) {
      const job = jobs.takeSign(token);
      if (job.kind === 'vertex') proposed(job.proposal, signature, job.startedMs, nowMs, out);
      else committer.checkpointSigned(job.checkpoint, job.hash, signature, out);
    },
    timer,
    settle,
    status(): ValidatorStatus {
      const c = committer.counters();
      return Object.freeze({
        epoch: epoch.committee.epoch,
        selfIndex: epoch.self,
        round: pacing.round,
        highestRound: epoch.store.highestRound(),
        committedLeaders: c.committedLeaders,
        skippedLeaders: c.skippedLeaders,
        directCommits: c.directCommits,
        indirectCommits: c.indirectCommits,
        leaderTimeouts: pacing.timeouts,
        lastCommitIndex: c.lastCommitIndex,
        commitDigest: c.commitDigest,
        stateRoot: committer.ledger().tree.root(),
        executedTransactions: c.executedTransactions,
        lastCheckpointSequence: deps.checkpointer.lastSequence(),
        lastCertifiedSequence: deps.checkpointer.lastCertified(),
        epochClosing: committer.closing(),
        evidenceFound,
        conflictingVotes: deps.checkpointer.conflictingVotes(),
        pendingVertices: epoch.store.pendingCount(),
        gcRound: epoch.store.lowestRound(),
        lastDecidedRound: committer.lastDecidedRound(),
        queuedCommits: c.queuedCommits,
        awaitingVerdicts: c.awaitingVerdicts,
        rejects: Object.freeze({ ...rejects }),
        rangesAdopted: catchUp.adopted,
        rangeCommits: catchUp.commits,
        recovering: recovery !== undefined,
      });
    },
    ledger: () => committer.ledger(),
    vertexBytes(ref: VertexRef) {
      const stored = epoch.store.get(ref) ?? epoch.collected.get(ref) ?? retired?.store.get(ref) ?? retired?.collected.get(ref);
      return stored === undefined ? undefined : encodeSignedVertex(stored.signed);
    },
  });
}
