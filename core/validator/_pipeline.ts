/**
 * The validator's event handlers: rounds and timers, the own vertex, received vertices.
 *
 * DESIGN.md §2 "Rounds", "Equivocation", "Restart safety"; docs/protocol.md "The validator".
 * Timers: `leader/<r>` is the leader timeout of the wait for round r (armed when r becomes the
 * next round to propose: at the previous own proposal, or when the DAG jumps ahead), doubled
 * after each consecutive timeout up to `maxLeaderTimeoutMs` and reset by a proposal that found
 * its leader; `delay/<r>` is the end of `min_round_delay_ms`; `sync/<t>` re-asks any peer for
 * missing parents while vertices wait for them. A timer that fires for a round already left
 * is ignored, so a shell never has to cancel one.
 */
import type { Committee } from '../consensus/committee.ts';
import type { LeaderElector } from '../consensus/leaderSchedule.ts';
import type { Linearizer } from '../consensus/linearize.ts';
import { hashDomain, toHex, type Hash32, type Signature, type VerifyItem } from '../crypto/index.ts';
import {
  encodeSignedVertex,
  refKey,
  VERTEX_SIGNING_CONTEXT,
  vertexRef,
  vertexSigningMessage,
  type AcceptOutcome,
  type DagLimits,
  type DagStore,
  type InsertOutcome,
  type InsertReject,
  type SignedVertex,
} from '../dag/index.ts';
import type { Result } from '../result.ts';
import type { Ledger, ProtocolParams } from '../state/index.ts';
import type { Checkpointer } from './_checkpoints.ts';
import { createCommitter, type SignJob, type VerifyJob } from './_commits.ts';
import type { EvidencePool } from './_evidencePool.ts';
import { createJobs } from './_jobs.ts';
import { buildProposal, leaderTimeoutMs, proposalTarget, readiness, type Proposal } from './_propose.ts';
import { receiveVertex } from './_receive.ts';
import type { Verdicts } from './_verdicts.ts';
import type { PeerId, ReceiveReject, ReceiveRejectCode, ValidatorEffect, ValidatorLogger, ValidatorMempool, ValidatorMetrics, ValidatorStatus } from './types.ts';

/** Rejects that prove the sending peer misbehaved (the rest may happen to honest peers: lag, clocks, full buffers). */
const PENALIZED: ReadonlySet<ReceiveRejectCode> = new Set<ReceiveRejectCode>([
  'MALFORMED', 'BAD_SIGNATURE', 'WRONG_CHAIN', 'UNKNOWN_AUTHOR', 'GENESIS_ROUND', 'SCHEME_MISMATCH',
  'CHECKPOINT_SCHEME_MISMATCH', 'TOO_MANY_PARENTS', 'GENESIS_WITH_PARENTS', 'DUPLICATE_PARENT', 'PARENTS_NOT_SORTED',
  'PARENT_ROUND_NOT_BELOW', 'UNKNOWN_PARENT_AUTHOR', 'MULTIPLE_PARENTS_PER_AUTHOR', 'TOO_MANY_WEAK_LINKS',
  'PARENTS_NO_QUORUM', 'TOO_MANY_TRANSACTIONS', 'TRANSACTION_TOO_LARGE', 'TRANSACTIONS_TOO_LARGE', 'TOO_MANY_EVIDENCE',
  'TIMESTAMP_BEFORE_PARENTS',
]);

export type PipelineDeps = {
  readonly committee: Committee;
  readonly params: ProtocolParams;
  readonly limits: DagLimits;
  readonly self: number;
  readonly store: DagStore;
  readonly mempool: ValidatorMempool;
  readonly schedule: LeaderElector;
  readonly linearizer: Linearizer;
  readonly checkpointer: Checkpointer;
  readonly evidencePool: EvidencePool;
  readonly verdicts: Verdicts;
  readonly ledger: Ledger;
  readonly genesisHash: Hash32;
  readonly maxLeaderTimeoutMs: number;
  readonly maxVerifyBacklog: number;
  readonly maxFetchRefs: number;
  readonly logger: ValidatorLogger | undefined;
  readonly metrics: ValidatorMetrics | undefined;
};

export type Pipeline = {
  start(nowMs: number, out: ValidatorEffect[]): void;
  receive(bytes: Uint8Array, from: PeerId, nowMs: number, out: ValidatorEffect[]): void;
  verified(token: number, results: readonly boolean[], nowMs: number, out: ValidatorEffect[]): void;
  signed(token: number, signature: Signature, nowMs: number, out: ValidatorEffect[]): void;
  timer(timerId: string, nowMs: number, out: ValidatorEffect[]): void;
  status(): ValidatorStatus;
  ledger(): Ledger;
};

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { store, committee, params, limits, schedule, evidencePool } = deps;
  const jobs = createJobs<VerifyJob, SignJob>();
  /** Hex ids of transactions in own vertices not yet committed, with the vertex round. */
  const included = new Map<string, number>();
  /** Vertices (ref and signature) awaiting their verdict: a copy arriving meanwhile is dropped. */
  const inFlight = new Set<string>();
  const rejects: Partial<Record<ReceiveRejectCode, number>> = {};
  const pacing = { started: false, round: 0, signing: false, lastProposalMs: -Infinity, armedRound: 0, delayArmedRound: 0, timedOutRound: 0, consecutiveTimeouts: 0, timeouts: 0, syncArmed: false };
  let evidenceFound = 0;

  const committer = createCommitter({
    ...deps,
    jobs,
    onCommitted: (ids) => {
      for (const id of ids) included.delete(toHex(id));
    },
    onGc: (gcRound, released, out) => {
      for (const [id, round] of included) if (round < gcRound) included.delete(id);
      evidencePool.prune(gcRound);
      accepted(released, out);
    },
  });

  const reject = (error: ReceiveReject, from: PeerId, out: ValidatorEffect[]): void => {
    rejects[error.code] = (rejects[error.code] ?? 0) + 1;
    deps.metrics?.vertexRejected(error.code);
    deps.logger?.debug('vertex rejected', { code: error.code, from });
    if (PENALIZED.has(error.code)) out.push(Object.freeze({ type: 'penalize', peer: from, reason: error.code }));
  };

  /** Equivocations found while accepting become evidence; then the commit rule runs. */
  const accepted = (outcome: AcceptOutcome, out: ValidatorEffect[]): void => {
    if (outcome.accepted.length > 0) deps.metrics?.vertexAccepted(outcome.accepted.length);
    for (const pair of outcome.equivocations) {
      const found = evidencePool.offer(pair);
      if (found === undefined) continue;
      evidenceFound++;
      out.push(Object.freeze({ type: 'evidenceFound', ...found }));
    }
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
    const committedBefore = committer.counters().committedLeaders;
    committer.decide(out);
    // A committed leader is progress: the network is live, so the backoff starts over.
    if (committer.counters().committedLeaders > committedBefore) pacing.consecutiveTimeouts = 0;
    tryPropose(nowMs, out);
  };

  /**
   * While vertices wait for parents, ask any peer for the missing ones every leader timeout:
   * the peer that sent a vertex may be unable to answer (it crashed, or cannot reach us).
   */
  const armSync = (nowMs: number, out: ValidatorEffect[]): void => {
    if (pacing.syncArmed || store.pendingCount() === 0) return;
    pacing.syncArmed = true;
    out.push(Object.freeze({ type: 'setTimer', timerId: `sync/${nowMs}`, atMs: nowMs + params.leaderTimeoutMs }));
  };

  const sync = (nowMs: number, out: ValidatorEffect[]): void => {
    pacing.syncArmed = false;
    const refs = store.missingRefs().slice(0, deps.maxFetchRefs);
    if (refs.length > 0) out.push(Object.freeze({ type: 'fetch', from: undefined, refs: Object.freeze(refs) }));
    armSync(nowMs, out);
  };

  const tryPropose = (nowMs: number, out: ValidatorEffect[]): void => {
    if (!pacing.started || pacing.signing) return;
    const target = proposalTarget(store, pacing.round);
    if (target > 1 && target !== pacing.armedRound) {
      pacing.armedRound = target;
      const atMs = nowMs + leaderTimeoutMs(params.leaderTimeoutMs, pacing.consecutiveTimeouts, deps.maxLeaderTimeoutMs);
      out.push(Object.freeze({ type: 'setTimer', timerId: `leader/${target}`, atMs }));
    }
    const ready = readiness({ store, schedule, target, nowMs, lastProposalMs: pacing.lastProposalMs, minRoundDelayMs: params.minRoundDelayMs, timedOutRound: pacing.timedOutRound });
    if (!ready.ready) {
      if (ready.waitingFor === 'delay' && pacing.delayArmedRound !== target) {
        pacing.delayArmedRound = target;
        out.push(Object.freeze({ type: 'setTimer', timerId: `delay/${target}`, atMs: ready.atMs }));
      }
      return;
    }
    const proposal = buildProposal(
      {
        store, committee, limits, chainId: params.chainId, self: deps.self, round: target, nowMs, mempool: deps.mempool, included,
        evidence: evidencePool.take(limits.maxEvidencePerVertex), vote: committer.takeVote(),
      },
      toHex,
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
    pacing.round = ref.round;
    pacing.lastProposalMs = startedMs;
    for (const id of proposal.includedIds) included.set(toHex(id), ref.round);
    out.push(Object.freeze({ type: 'persist', key: `own-vertex/${committee.epoch}/${ref.round}`, bytes }));
    out.push(Object.freeze({ type: 'broadcast', bytes, round: ref.round }));
    const v = signed.vertex;
    out.push(Object.freeze({ type: 'proposed', ref, parents: v.parents, transactions: v.transactions.length, evidence: v.evidence.length, vote: v.checkpointSignature?.sequence }));
    inserted(store.insert(signed, ref), String(deps.self), nowMs, out);
    tryPropose(nowMs, out);
  };

  const vertexVerified = (job: Extract<VerifyJob, { kind: 'vertex' }>, results: readonly boolean[], nowMs: number, out: ValidatorEffect[]): void => {
    inFlight.delete(job.key);
    if (results[0] !== true) return reject({ code: 'BAD_SIGNATURE', ref: job.ref }, job.from, out);
    // Warm execution's verdicts with the transaction signatures verified alongside.
    for (let i = 1; i < job.items.length; i++) deps.verdicts.set(job.items[i] as VerifyItem, results[i] === true);
    const vote = job.signed.vertex.checkpointSignature;
    if (vote !== undefined) committer.offerVote(job.ref.author, vote, out);
    inserted(store.insert(job.signed, job.ref), job.from, nowMs, out);
  };

  return Object.freeze({
    start(nowMs: number, out: ValidatorEffect[]) {
      if (pacing.started) throw new Error('validator: started twice');
      pacing.started = true;
      tryPropose(nowMs, out);
    },
    receive(bytes: Uint8Array, from: PeerId, nowMs: number, out: ValidatorEffect[]) {
      const highestKnownRound = Math.max(store.highestRound(), pacing.round);
      const ledger = committer.ledger();
      const received = receiveVertex(bytes, { chainId: params.chainId, committee, limits, highestKnownRound, gcRound: store.lowestRound(), nowMs, ledger, params });
      if (!received.ok) return reject(received.error, from, out);
      const { signed, ref, items } = received.value;
      if (store.has(ref) || store.isPending(ref)) return;
      const key = `${refKey(ref)}/${toHex(hashDomain('kaldrix/validator-signature-key/v1', signed.signature.bytes))}`;
      if (inFlight.has(key)) return;
      if (inFlight.size >= deps.maxVerifyBacklog) return reject({ code: 'VERIFY_BACKLOG_FULL', max: deps.maxVerifyBacklog }, from, out);
      inFlight.add(key);
      jobs.verify(items, { kind: 'vertex', signed, ref, from, key, items }, out);
    },
    verified(token: number, results: readonly boolean[], nowMs: number, out: ValidatorEffect[]) {
      const job = jobs.takeVerify(token);
      const expected = job.kind === 'votes' ? job.votes.length : job.items.length;
      if (results.length !== expected) throw new RangeError(`validator: ${results.length} verdicts for ${expected} items (token ${token})`);
      if (job.kind === 'vertex') vertexVerified(job, results, nowMs, out);
      else if (job.kind === 'votes') committer.votesVerified(job.votes, results, out);
      else committer.executionVerdicts(job.items, results, out);
    },
    signed(token: number, signature: Signature, nowMs: number, out: ValidatorEffect[]) {
      const job = jobs.takeSign(token);
      if (job.kind === 'vertex') proposed(job.proposal, signature, job.startedMs, nowMs, out);
      else committer.checkpointSigned(job.checkpoint, signature, out);
    },
    timer(timerId: string, nowMs: number, out: ValidatorEffect[]) {
      const [kind, roundText] = timerId.split('/');
      if (kind === 'sync') return sync(nowMs, out);
      const round = Number(roundText);
      if (kind === 'leader' && round === pacing.armedRound && pacing.round < round && pacing.timedOutRound < round) {
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
    },
    status(): ValidatorStatus {
      const c = committer.counters();
      return Object.freeze({
        epoch: committee.epoch,
        selfIndex: deps.self,
        round: pacing.round,
        highestRound: store.highestRound(),
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
        evidenceFound,
        pendingVertices: store.pendingCount(),
        rejects: Object.freeze({ ...rejects }),
      });
    },
    ledger: () => committer.ledger(),
  });
}


