/**
 * The validator's event handlers: rounds and timers, the own vertex, received vertices, and
 * the switch from one epoch to the next.
 *
 * DESIGN.md §2 "Rounds", "Equivocation", "Restart safety", "Epochs"; docs/protocol.md "The
 * validator". The parts: the own vertex (`_proposer.ts`), catch-up by certified ranges
 * (`_rangeCatchUp.ts`), recovery after a lost store (`_lostStore.ts`), commits and checkpoints
 * (`_commits.ts`). Timers: `leader/…`, `delay/…` and `resend/…` are the proposer's; `sync/<t>`
 * re-asks any peer for missing parents while vertices wait for them; `latest/…` re-asks for
 * peers' latest vertices after a lost store. A timer that fires for a round (or an epoch)
 * already left is ignored, so a shell never has to cancel one; the epoch is in the id because
 * rounds start again at 1 in every epoch.
 */
import type { Certificate } from '../consensus/certificate.ts';
import { nextCommitteeOf } from '../consensus/certificateChain.ts';
import { epochLeaderSeed } from '../consensus/leaderSchedule.ts';
import { toHex, type Hash32, type Signature, type VerifyItem } from '../crypto/index.ts';
import {
  encodeSignedVertex,
  refKey,
  type AcceptOutcome,
  type DagLimits,
  type InsertOutcome,
  type InsertReject,
  type VertexRef,
} from '../dag/index.ts';
import type { Result } from '../result.ts';
import type { CommitLog } from './_commitLog.ts';
import { encodeCommitRange } from './commitRange.ts';
import type { Address, Ledger, ProtocolParams } from '../state/index.ts';
import type { Checkpointer } from './_checkpoints.ts';
import { createCommitter, type SignJob, type VerifyJob } from './_commits.ts';
import { createEpochContext, type EpochContext } from './_epoch.ts';
import type { EvidencePool, FoundEvidence } from './_evidencePool.ts';
import { createJobs } from './_jobs.ts';
import type { NextEpochVertices } from './_nextEpochVertices.ts';
import { createProposer } from './_proposer.ts';
import { createLostStoreRecovery } from './_lostStore.ts';
import { createRangeCatchUp } from './_rangeCatchUp.ts';
import { checkReceived, decodeReceived, PENALIZED_RECEIVE_REJECTS } from './_receive.ts';
import type { Verdicts } from './_verdicts.ts';
import { createTxChoice } from './_txChoice.ts';
import { createInFlight } from './_inFlight.ts';
import type { ResumeTracker } from './_resume.ts';
import type { ResumeStart } from './_resumeStart.ts';
import type { PeerId, ReceiveReject, ReceiveRejectCode, ValidatorEffect, ValidatorInit, ValidatorLogger, ValidatorMempool, ValidatorMetrics, ValidatorStatus } from './types.ts';


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
  /** Whether the `sync/…` timer is armed. */
  let syncArmed = false;
  let evidenceFound = 0;
  // Resumed without being told whether it ran before: it cannot know what it signed, so it
  // takes the lost-store path (a node that never signed only waits a little longer).
  const lostStore = createLostStoreRecovery({
    params, jobs, epoch: () => epoch, logger: deps.logger,
    lost: deps.restart?.kind === 'store-lost' || (deps.restart === undefined && deps.start !== undefined),
  });

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
  const ranges = createRangeCatchUp({ params, jobs, committer, epoch: () => epoch, logger: deps.logger, onAdopted: (nowMs, out) => proposer.tryPropose(nowMs, out) });
  const proposer = createProposer({
    params, limits, mempool: deps.mempool, evidencePool, verdicts: deps.verdicts, jobs, committer, txChoice,
    maxLeaderTimeoutMs: deps.maxLeaderTimeoutMs, metrics: deps.metrics, epoch: () => epoch,
    ownFloor: deps.restart?.kind === 'store-kept' ? deps.restart.lastOwnVertex : undefined,
    holdBack: () => lostStore.recovering(),
    insertOwn: (signed, ref, nowMs, out) => inserted(epoch.store.insert(signed, ref), String(epoch.self), nowMs, out),
    keepRetired: (signed, ref) => void retired?.store.insert(signed, ref),
  });

  const reject = (error: ReceiveReject, from: PeerId, out: ValidatorEffect[]): void => {
    rejects[error.code] = (rejects[error.code] ?? 0) + 1;
    deps.metrics?.vertexRejected(error.code);
    deps.logger?.debug('vertex rejected', { code: error.code, from });
    if (PENALIZED_RECEIVE_REJECTS.has(error.code)) out.push(Object.freeze({ type: 'penalize', peer: from, reason: error.code }));
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
    for (const v of outcome.accepted) if (v.ref.author === epoch.self) proposer.raiseFloor(v.ref.round);
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
      if (committer.counters().committedLeaders > committedBefore) proposer.progressed();
    }
    proposer.tryPropose(nowMs, out);
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
    if (syncArmed || epoch.store.pendingCount() === 0) return;
    syncArmed = true;
    out.push(Object.freeze({ type: 'setTimer', timerId: `sync/${nowMs}`, atMs: nowMs + params.leaderTimeoutMs }));
  };

  const sync = (nowMs: number, out: ValidatorEffect[]): void => {
    syncArmed = false;
    const refs = epoch.store.missingRefs().slice(0, deps.maxFetchRefs);
    if (refs.length > 0) out.push(Object.freeze({ type: 'fetch', from: undefined, refs: Object.freeze(refs) }));
    ranges.syncEnded(epoch.store.pendingCount() > 0, nowMs, out);
    armSync(nowMs, out);
  };

  /** A peer's latest own vertex: a vertex like any other, and an answer to a validator whose store was lost. */
  const latestReceived = (bytes: Uint8Array, from: PeerId, fromMember: number | undefined, nowMs: number, out: ValidatorEffect[]): void => {
    receive(bytes, from, nowMs, out);
    lostStore.offer(bytes, fromMember, out);
  };

  const latestVerified = (job: Extract<VerifyJob, { kind: 'latest' }>, valid: boolean, nowMs: number, out: ValidatorEffect[]): void => {
    const above = lostStore.verified(job, valid);
    if (above === undefined) return;
    proposer.raiseFloor(above);
    proposer.tryPropose(nowMs, out);
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
      ranges.request(nowMs, out);
      if (signed.vertex.epoch === committee.epoch + 1n) {
        if (!deps.nextEpochVertices.hold(bytes, from)) reject({ code: 'NEXT_EPOCH_BUFFER_FULL', epoch: signed.vertex.epoch }, from, out);
        return;
      }
    }
    const highestKnownRound = Math.max(store.highestRound(), proposer.round(), committer.lastDecidedRound());
    const received = checkReceived(signed, { chainId: params.chainId, committee, limits, highestKnownRound, gcRound: store.lowestRound(), nowMs, ledger: committer.ledger(), params });
    if (!received.ok) {
      // Far-ahead vertices from a validly formed peer: the network moved on without us.
      if (received.error.code === 'ROUND_TOO_FAR_AHEAD') ranges.request(nowMs, out);
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
    proposer.epochSwitched();
    // Still recovering from a lost store: the same question, now about the new epoch.
    lostStore.epochSwitched();
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
    lostStore.settle(nowMs, out);
    while (pendingReplay) {
      pendingReplay = false;
      for (const held of deps.nextEpochVertices.drain()) receive(held.bytes, held.from, nowMs, out);
      proposer.tryPropose(nowMs, out);
    }
  };

  const timer = (timerId: string, nowMs: number, out: ValidatorEffect[]): void => {
    const [kind = '', epochText, roundText] = timerId.split('/');
    if (kind === 'sync') return sync(nowMs, out);
    if (kind === 'latest') {
      // Not enough answers yet: ask again (and for a range: the network may be far ahead).
      if (lostStore.timerFired(epochText, nowMs, out)) ranges.request(nowMs, out);
      return;
    }
    proposer.timerFired(kind, epochText, Number(roundText), nowMs, out);
  };

  return Object.freeze({
    start(nowMs: number, out: ValidatorEffect[]) {
      // Resumed: rounds up to the point's last leader are long decided; a vertex there is of no use.
      proposer.start(deps.start?.leaderRound ?? 0);
      if (deps.restart !== undefined || deps.start !== undefined) ranges.request(nowMs, out);
      if (lostStore.recovering()) lostStore.ask(nowMs, out);
      proposer.tryPropose(nowMs, out);
    },
    latestReceived,
    rangeReceived: (bytes: Uint8Array, from: PeerId, _nowMs: number, out: ValidatorEffect[]) => ranges.received(bytes, from, out),
    latestOwnVertex: () => proposer.lastOwnBytes(),
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
      else if (job.kind === 'range') ranges.verified(job, results, nowMs, out);
      else if (job.kind === 'latest') latestVerified(job, results[0] === true, nowMs, out);
      else if (job.kind === 'warm') committer.warmVerdicts(job.items, results);
      else committer.executionVerdicts(job.items, results, out);
    },
    signed(token: number, signature: Signature, nowMs: number, out: ValidatorEffect[]) {
      const job = jobs.takeSign(token);
      if (job.kind === 'vertex') proposer.signed(job.proposal, signature, job.startedMs, nowMs, out);
      else committer.checkpointSigned(job.checkpoint, job.hash, signature, out);
    },
    timer,
    settle,
    status(): ValidatorStatus {
      const c = committer.counters();
      const adopted = ranges.adopted();
      return Object.freeze({
        epoch: epoch.committee.epoch,
        selfIndex: epoch.self,
        round: proposer.round(),
        highestRound: epoch.store.highestRound(),
        committedLeaders: c.committedLeaders,
        skippedLeaders: c.skippedLeaders,
        directCommits: c.directCommits,
        indirectCommits: c.indirectCommits,
        leaderTimeouts: proposer.timeouts(),
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
        rangesAdopted: adopted.ranges,
        rangeCommits: adopted.commits,
        recovering: lostStore.recovering(),
      });
    },
    ledger: () => committer.ledger(),
    vertexBytes(ref: VertexRef) {
      const stored = epoch.store.get(ref) ?? epoch.collected.get(ref) ?? retired?.store.get(ref) ?? retired?.collected.get(ref);
      return stored === undefined ? undefined : encodeSignedVertex(stored.signed);
    },
  });
}
