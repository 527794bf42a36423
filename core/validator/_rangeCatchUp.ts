/**
 * Catch-up by certified commit ranges, the validator's side: when to ask peers for the range
 * after what it has executed, checking an answer, verifying its certificate, and adopting it if
 * it still extends the executed head once verified.
 *
 * DESIGN.md §2 "Catch-up"; docs/protocol.md "Catch-up". Asked at most once per leader timeout
 * (answers to an earlier request may still be on their way, and unverified far-ahead vertices
 * must not make it ask more often), except right after an adopted range: a validator further
 * behind than one range reaches asks for the next at once. Vertices waiting for parents through
 * two sync periods ask too: peers may have collected those parents already.
 */
import { formatDecodeError } from '../codec/index.ts';
import type { ProtocolParams } from '../state/index.ts';
import { certificateVerdict, checkRange, HONEST_RANGE_REJECTS, type RangeReject } from './_catchUp.ts';
import type { Committer, SignJob, VerifyJob } from './_commits.ts';
import type { EpochContext } from './_epoch.ts';
import type { Jobs } from './_jobs.ts';
import { decodeCommitRange } from './commitRange.ts';
import type { PeerId, ValidatorEffect, ValidatorLogger } from './types.ts';

/** Sync periods with vertices still waiting for parents before a range is asked for. */
const STUCK_SYNCS_BEFORE_RANGE = 2;

export type RangeCatchUpDeps = {
  readonly params: ProtocolParams;
  readonly jobs: Jobs<VerifyJob, SignJob>;
  readonly committer: Committer;
  readonly epoch: () => EpochContext;
  readonly logger: ValidatorLogger | undefined;
  /** A range was adopted: the validator may propose on top of it. */
  readonly onAdopted: (nowMs: number, out: ValidatorEffect[]) => void;
};

export type RangeCatchUp = {
  /** Asks peers for the range after the executed head (at most once per leader timeout). */
  request(nowMs: number, out: ValidatorEffect[]): void;
  received(bytes: Uint8Array, from: PeerId, out: ValidatorEffect[]): void;
  verified(job: Extract<VerifyJob, { kind: 'range' }>, results: readonly boolean[], nowMs: number, out: ValidatorEffect[]): void;
  /** A sync period ended; `stillWaiting`: vertices still wait for parents. */
  syncEnded(stillWaiting: boolean, nowMs: number, out: ValidatorEffect[]): void;
  /** Ranges adopted and the commits they held (status). */
  adopted(): { readonly ranges: number; readonly commits: number };
};

export function createRangeCatchUp(deps: RangeCatchUpDeps): RangeCatchUp {
  const { params, jobs, committer } = deps;
  const state = { lastRequestMs: -Infinity, stuckSyncs: 0, ranges: 0, commits: 0 };

  const request = (nowMs: number, out: ValidatorEffect[]): void => {
    const head = committer.rangeHead();
    if (nowMs < state.lastRequestMs + params.leaderTimeoutMs) return;
    state.lastRequestMs = nowMs;
    out.push(Object.freeze({ type: 'requestCommitRange', fromIndex: head.commitIndex + 1n, epoch: deps.epoch().committee.epoch }));
  };

  const rejected = (error: RangeReject, from: PeerId, out: ValidatorEffect[]): void => {
    deps.logger?.debug('commit range rejected', { code: error.code, from });
    if (!HONEST_RANGE_REJECTS.has(error.code)) out.push(Object.freeze({ type: 'penalize', peer: from, reason: error.code }));
  };

  return Object.freeze({
    request,
    received(bytes: Uint8Array, from: PeerId, out: ValidatorEffect[]): void {
      const decoded = decodeCommitRange(bytes);
      if (!decoded.ok) return rejected({ code: 'MALFORMED_RANGE', reason: formatDecodeError(decoded.error) }, from, out);
      const head = committer.rangeHead();
      const checked = checkRange(decoded.value, { chainId: params.chainId, committee: deps.epoch().committee, ...head });
      if (!checked.ok) return rejected(checked.error, from, out);
      jobs.verify(checked.value.items, { kind: 'range', range: checked.value, from }, out);
    },
    verified(job: Extract<VerifyJob, { kind: 'range' }>, results: readonly boolean[], nowMs: number, out: ValidatorEffect[]): void {
      const { range, from } = job;
      const { committee } = deps.epoch();
      if (range.certificate.checkpoint.epoch !== committee.epoch) return;
      const verdict = certificateVerdict(range, committee, results);
      if (!verdict.ok) return rejected(verdict.error, from, out);
      // Verification took time: the head may have moved (another range, local commits).
      const head = committer.rangeHead();
      const first = range.commits[0];
      const last = range.commits[range.commits.length - 1];
      const stillWanted = first === undefined || last === undefined
        ? head.closing && range.certificate.checkpoint.lastCommitIndex === head.commitIndex
        : !head.closing && first.index === head.commitIndex + 1n && last.index > head.decidedIndex;
      if (!stillWanted) return;
      state.ranges++;
      state.commits += range.commits.length;
      state.stuckSyncs = 0;
      committer.adoptRange(range, out);
      // Further behind than one range reaches: ask for the next one at once.
      state.lastRequestMs = -Infinity;
      request(nowMs, out);
      deps.onAdopted(nowMs, out);
    },
    syncEnded(stillWaiting: boolean, nowMs: number, out: ValidatorEffect[]): void {
      state.stuckSyncs = stillWaiting ? state.stuckSyncs + 1 : 0;
      if (state.stuckSyncs >= STUCK_SYNCS_BEFORE_RANGE) request(nowMs, out);
    },
    adopted: () => ({ ranges: state.ranges, commits: state.commits }),
  });
}
