/**
 * The own vertex: when to propose the next round, building and signing it, and sending it —
 * after it is persisted — and again if the round stalls.
 *
 * DESIGN.md §2 "Rounds", "Restart safety"; docs/protocol.md "The validator". Timers:
 * `leader/<e>/<r>` is the leader timeout of the wait for round r of epoch e (armed when r becomes
 * the next round to propose: at the previous own proposal, or when the DAG jumps ahead), doubled
 * after each consecutive timeout up to `maxLeaderTimeoutMs` and reset by a proposal that found
 * its leader or by a commit; `delay/<e>/<r>` is the end of `min_round_delay_ms`;
 * `resend/<e>/<r>` re-sends the own vertex of round r if no newer one followed. A timer for a
 * round (or an epoch) already left is ignored, so a shell never has to cancel one.
 */
import { VERTEX_SIGNING_CONTEXT, encodeSignedVertex, vertexRef, vertexSigningMessage, type DagLimits, type SignedVertex, type VertexRef } from '../dag/index.ts';
import type { Signature } from '../crypto/index.ts';
import type { ProtocolParams } from '../state/index.ts';
import type { Committer, SignJob, VerifyJob } from './_commits.ts';
import type { EpochContext } from './_epoch.ts';
import type { EvidencePool } from './_evidencePool.ts';
import type { Jobs } from './_jobs.ts';
import { buildProposal, leaderTimeoutMs, proposalTarget, readiness, type Proposal } from './_propose.ts';
import type { TxChoice } from './_txChoice.ts';
import type { Verdicts } from './_verdicts.ts';
import type { ValidatorEffect, ValidatorMempool, ValidatorMetrics } from './types.ts';

/** Leader timeouts without a newer own vertex before the latest one is sent again. */
const RESEND_AFTER_TIMEOUTS = 5;

export type ProposerDeps = {
  readonly params: ProtocolParams;
  readonly limits: DagLimits;
  readonly mempool: ValidatorMempool;
  readonly evidencePool: EvidencePool;
  readonly verdicts: Verdicts;
  readonly jobs: Jobs<VerifyJob, SignJob>;
  readonly committer: Committer;
  readonly txChoice: TxChoice;
  readonly maxLeaderTimeoutMs: number;
  readonly metrics: ValidatorMetrics | undefined;
  readonly epoch: () => EpochContext;
  /** Restart safety after a kept store: the last own vertex it remembers — never sign at or below it in its epoch. */
  readonly ownFloor: { readonly epoch: bigint; readonly round: number } | undefined;
  /** True while the validator may not propose (learning, after a lost store, how far it had got). */
  readonly holdBack: () => boolean;
  /** The signed own vertex of the current epoch, into the DAG like a received one. */
  readonly insertOwn: (signed: SignedVertex, ref: VertexRef, nowMs: number, out: ValidatorEffect[]) => void;
  /** The signed own vertex of an epoch that ended while it was being signed: kept where fetches are answered from. */
  readonly keepRetired: (signed: SignedVertex, ref: VertexRef) => void;
};

export type Proposer = {
  /** Proposing may begin (`floorRound`: never sign at or below it in this epoch; the kept store's floor applies too). */
  start(floorRound: number): void;
  /** Proposes the next round if it is ready (or arms the timer that will say when). */
  tryPropose(nowMs: number, out: ValidatorEffect[]): void;
  /** The own vertex of `proposal` is signed. */
  signed(proposal: Proposal, signature: Signature, startedMs: number, nowMs: number, out: ValidatorEffect[]): void;
  /** A `leader`, `delay` or `resend` timer fired. */
  timerFired(kind: string, epochText: string | undefined, round: number, nowMs: number, out: ValidatorEffect[]): void;
  /** Never sign at or below `round` in this epoch (an own vertex of an earlier run, a recovered floor). */
  raiseFloor(round: number): void;
  /** A leader committed: the network is live, so the timeout backoff starts over. */
  progressed(): void;
  /** A new epoch: rounds start again at 1 (or above a kept store's own vertex in it). */
  epochSwitched(): void;
  /** The round of the last own vertex of this epoch (or the floor). */
  round(): number;
  /** Leader timeouts that found their leader missing. */
  timeouts(): number;
  /** The own latest vertex of this epoch, as sent. */
  lastOwnBytes(): Uint8Array | undefined;
};

export function createProposer(deps: ProposerDeps): Proposer {
  const { params } = deps;
  const pacing = { started: false, round: 0, signing: false, lastProposalMs: -Infinity, armedRound: 0, delayArmedRound: 0, timedOutRound: 0, consecutiveTimeouts: 0, timeouts: 0 };
  let lastOwnBytes: Uint8Array | undefined;
  /** The kept store's own round in the current epoch, 0 when it has none there. */
  const keptFloor = (): number => (deps.ownFloor !== undefined && deps.ownFloor.epoch === deps.epoch().committee.epoch ? deps.ownFloor.round : 0);

  /**
   * The own vertex is sent once. If no newer own vertex follows within RESEND_AFTER_TIMEOUTS
   * leader timeouts, the round is stuck — typically its messages were lost, or a partition cut
   * the quorum and has healed since, and nobody re-sends on their own — so it is sent again,
   * and again at that pace while the stall lasts (peers drop the duplicates).
   */
  const armResend = (round: number, nowMs: number, out: ValidatorEffect[]): void => {
    out.push(Object.freeze({ type: 'setTimer', timerId: `resend/${deps.epoch().committee.epoch}/${round}`, atMs: nowMs + RESEND_AFTER_TIMEOUTS * params.leaderTimeoutMs }));
  };

  const tryPropose = (nowMs: number, out: ValidatorEffect[]): void => {
    const { store, schedule, committee, self } = deps.epoch();
    // An observer (no seat in this epoch's committee) follows but never proposes.
    if (!pacing.started || pacing.signing || self === undefined || deps.holdBack()) return;
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
    const closing = deps.committer.closing();
    const proposal = buildProposal({
      store, committee, limits: deps.limits, chainId: params.chainId, self, round: target, nowMs, mempool: deps.mempool,
      choose: deps.txChoice.chooser(nowMs, self, committee.members.length, committee.epoch),
      evidence: closing ? [] : deps.evidencePool.take(deps.limits.maxEvidencePerVertex), vote: deps.committer.takeVote(), withTransactions: !closing,
    });
    if (proposal === undefined) throw new Error(`validator: no parents for round ${target} although round ${target - 1} has a quorum`);
    if (ready.leaderPresent) pacing.consecutiveTimeouts = 0;
    pacing.signing = true;
    for (const item of proposal.knownValid) deps.verdicts.set(item, true);
    deps.jobs.sign(vertexSigningMessage(proposal.vertex), VERTEX_SIGNING_CONTEXT, { kind: 'vertex', proposal, startedMs: nowMs }, out);
  };

  return Object.freeze({
    start(floorRound: number): void {
      if (pacing.started) throw new Error('validator: started twice');
      pacing.started = true;
      pacing.round = Math.max(pacing.round, keptFloor(), floorRound);
    },
    tryPropose,
    /** The own vertex is signed: store it, persist it, then (only then) broadcast it. */
    signed(proposal: Proposal, signature: Signature, startedMs: number, nowMs: number, out: ValidatorEffect[]): void {
      const signed: SignedVertex = Object.freeze({ vertex: proposal.vertex, signature });
      const ref = vertexRef(signed.vertex);
      const bytes = encodeSignedVertex(signed);
      pacing.signing = false;
      const current = signed.vertex.epoch === deps.epoch().committee.epoch;
      if (current) {
        pacing.round = ref.round;
        pacing.lastProposalMs = startedMs;
      }
      // Signed just before the epoch ended: still sent (it may carry the vote a slower peer
      // needs for the end-of-epoch certificate), kept only where fetches are answered from.
      out.push(Object.freeze({ type: 'persist', key: `own-vertex/${signed.vertex.epoch}/${ref.round}`, bytes }));
      out.push(Object.freeze({ type: 'broadcast', bytes, round: ref.round }));
      const v = signed.vertex;
      out.push(Object.freeze({ type: 'proposed', ref, parents: v.parents, transactions: v.transactions.length, evidence: v.evidence.length, vote: v.checkpointSignature?.sequence }));
      if (current) {
        lastOwnBytes = bytes;
        armResend(ref.round, nowMs, out);
        deps.insertOwn(signed, ref, nowMs, out);
      } else deps.keepRetired(signed, ref);
      tryPropose(nowMs, out);
    },
    timerFired(kind: string, epochText: string | undefined, round: number, nowMs: number, out: ValidatorEffect[]): void {
      const { store, schedule, committee } = deps.epoch();
      const current = epochText === String(committee.epoch);
      if (kind === 'resend') {
        // Still the newest own vertex after a long wait: peers may never have received it.
        if (current && round === pacing.round && lastOwnBytes !== undefined) {
          out.push(Object.freeze({ type: 'broadcast', bytes: lastOwnBytes, round: pacing.round, resend: true }));
          armResend(pacing.round, nowMs, out);
        }
        return;
      }
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
    },
    raiseFloor(round: number): void {
      if (round > pacing.round) pacing.round = round;
    },
    progressed(): void {
      pacing.consecutiveTimeouts = 0;
    },
    epochSwitched(): void {
      Object.assign(pacing, { round: keptFloor(), armedRound: 0, delayArmedRound: 0, timedOutRound: 0, consecutiveTimeouts: 0 });
      lastOwnBytes = undefined;
    },
    round: () => pacing.round,
    timeouts: () => pacing.timeouts,
    lastOwnBytes: () => lastOwnBytes,
  });
}
