/**
 * One KALDRIX validator as a pure state machine: `createValidator(components, init)` returns a
 * frozen object whose `step(event)` returns the effects for the shell to carry out, in order.
 *
 * DESIGN.md §2 "DAG and consensus" (rounds, PBFT on the DAG, finality certificates,
 * equivocation, garbage collection); docs/protocol.md "The validator" (the rules as built);
 * HOUSE-RULES 2–3, 16, 20; etcd raft's Step/Ready shape. The simulator, the browser and the
 * Node peer run this very code: it reads no clock (events carry `nowMs`), draws no randomness,
 * and never verifies or signs inline (it emits `verify` and `sign` effects and continues when
 * the answers come back as events), so a run is a function of its events: same events in the
 * same order give the same effects, bit for bit.
 *
 * Pipeline of a received vertex: decode → validate (typed rejects) → `verify` (the vertex
 * signature, plus its transactions' signatures to warm execution's verdicts) → DAG store
 * (missing parents → `fetch`; equivocations → evidence) → commit rule → linearize → execute
 * → commit digest → checkpoint → `sign` the checkpoint → the vote rides on the next own
 * vertex; votes seen on others' vertices → `verify` (against the hash each names) →
 * certificate aggregator → certificate, or, for two votes of one member for one sequence over
 * different hashes, evidence (the same pool as vertex equivocations).
 *
 * Epochs: the checkpoint that ends an epoch carries the next committee; once the old committee
 * certifies it, the committee, the seat, the leader schedule and the DAG are replaced
 * (`_epoch.ts`); a node without a seat follows as an observer.
 *
 * Restart and catch-up: a validator that restarts (its store kept or lost) or falls behind
 * catches up by certified commit ranges from peers (`commitRange.ts`); after a lost store it
 * proposes only once a quorum of peers told it how far the network got (docs/protocol.md).
 * It restarts from genesis, or from a resume point (`init.resume`, `resumePoint.ts`): a
 * certified checkpoint it executed, with the ledger right after it.
 */
import { dagLimitsFromParams, type VertexRef } from '../dag/index.ts';
import { worstCaseQuorumCount, type Address, type Ledger } from '../state/index.ts';
import { createCommitLog } from './_commitLog.ts';
import { createCheckpointer } from './_checkpoints.ts';
import { createEpochContext } from './_epoch.ts';
import { createEvidencePool } from './_evidencePool.ts';
import { createNextEpochVertices } from './_nextEpochVertices.ts';
import { createPipeline, type Pipeline } from './_pipeline.ts';
import { createVerdicts } from './_verdicts.ts';
import { createResumeTracker } from './_resume.ts';
import { checkResume, seedEpochContext } from './_resumeStart.ts';
import type { ValidatorResumePoint } from './resumePoint.ts';
import { toHex, type Hash32 } from '../crypto/index.ts';
import type { ValidatorComponents, ValidatorEffect, ValidatorEvent, ValidatorInit, ValidatorStatus } from './types.ts';

/** The read side and the single entry point of a validator. */
export type Validator = {
  /** Feeds one event; returns the effects to carry out in order. Mutates only the validator. */
  step(event: ValidatorEvent): readonly ValidatorEffect[];
  status(): ValidatorStatus;
  /** The committed ledger state (an immutable value). */
  ledger(): Ledger;
  /** The signed encoding of an accepted vertex (this epoch or the previous one, including gc_depth rounds below the gc round), to answer a peer's fetch; undefined if not held. */
  vertexBytes(ref: VertexRef): Uint8Array | undefined;
  /** Signed encodings of the vertices held in slot (round, author) of the current epoch (two or more under equivocation). */
  slotVertices(round: number, author: number): readonly Uint8Array[];
  /** The own latest vertex of the current epoch, to answer a restarting peer's `requestLatestVertices`. */
  latestOwnVertex(): Uint8Array | undefined;
  /**
   * Whether transaction `id` rides in an accepted vertex of this epoch that is not committed yet
   * (it will execute there unless that vertex falls below the gc round). A node relays its own
   * clients' transactions only when they do not (infra/peer/_clientRelay.ts).
   */
  rides(id: Hash32): boolean;
  /** An encoded certified commit range for a peer in `epoch` from `fromIndex`, to answer its `requestCommitRange`; undefined when none can be cut. */
  commitRange(fromIndex: bigint, epoch: bigint): Uint8Array | undefined;
  /** The oldest commit the commit log still holds (ranges start there or later); undefined while it is empty. A node behind it needs state sync. */
  commitLogFrom(): bigint | undefined;
  /**
   * The latest checkpoint this validator both executed and holds a certificate for, with what
   * it takes to start again there (`init.resume`); undefined before the first. Persist it with
   * `encodeResumePoint` and the ledger's state snapshot.
   */
  resumePoint(): ValidatorResumePoint | undefined;
};

/** Defaults of the options in `ValidatorInit`, with their reasons. */
export const VALIDATOR_DEFAULTS = Object.freeze({
  /** Backoff stops doubling at 8× leader_timeout_ms: 1.6 s with the default 200 ms — a stalled network retries often enough to heal fast. */
  maxLeaderTimeoutFactor: 8,
  /** 1,024 vertices in verification: ~10 rounds of a 100-validator committee. */
  maxVerifyBacklog: 1024,
  /** References per fetch: one round of a 64-member committee; more come with the next fetch. */
  maxFetchRefs: 64,
  /** Waiting evidence entries: 8 vertices' worth at the default max_evidence_per_vertex. */
  maxPendingEvidence: 64,
  /** Verdicts kept for execution: ~6 s of the 10,000 TPS target. */
  maxVerdicts: 65_536,
  /** Commits kept for peers catching up: ~100 s at 10 commits/s (references to vertices the DAG held anyway, until they age out). */
  maxLoggedCommits: 1024,
  /** …and at most this many bytes of their signatures and transactions: ~25,000 transfers of ML-DSA-44 senders. */
  maxLoggedBytes: 64 * 1024 * 1024,
});

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`createValidator: init.${name} must be a positive integer`);
  return value;
}

function selfAddressOf(components: ValidatorComponents, init: ValidatorInit): Address {
  const { committee } = components;
  if (init.selfIndex !== undefined) {
    const member = committee.members[init.selfIndex];
    if (member === undefined) throw new RangeError(`createValidator: init.selfIndex ${init.selfIndex} is not a committee member`);
    if (init.selfAddress !== undefined && toHex(init.selfAddress) !== toHex(member.address)) throw new RangeError('createValidator: init.selfAddress is not the address of member init.selfIndex');
    return member.address;
  }
  if (init.selfAddress === undefined) throw new RangeError('createValidator: init.selfIndex or init.selfAddress is required');
  return init.selfAddress;
}

export function createValidator(components: ValidatorComponents, init: ValidatorInit): Validator {
  const { committee, mempool } = components;
  const { params } = init;
  const selfAddress = selfAddressOf(components, init);
  if (!Number.isSafeInteger(init.genesisTimeMs) || init.genesisTimeMs < 0) throw new RangeError('createValidator: init.genesisTimeMs must be a non-negative integer');
  // A vertex needs a quorum of parents; with fewer allowed, no round after the first could be built.
  const quorumCount = worstCaseQuorumCount(committee.members.map((m) => m.stake));
  if (params.maxParents < quorumCount) {
    throw new RangeError(`createValidator: params.maxParents (${params.maxParents}) is below the committee's quorum count (${quorumCount})`);
  }
  const limits = dagLimitsFromParams(params);
  const start = init.resume === undefined ? undefined : checkResume(init.resume, { committee, ledger: components.ledger, leaderSeed: init.leaderSeed, chainId: params.chainId });
  const epoch = createEpochContext(committee, selfAddress, init.leaderSeed, params.gcDepthRounds);
  if (start !== undefined) seedEpochContext(epoch, start);
  const resumeTracker = createResumeTracker(params.gcDepthRounds, init.resume);
  const pipeline: Pipeline = createPipeline({
    epoch,
    selfAddress,
    params,
    limits,
    mempool,
    checkpointer: createCheckpointer({
      committee,
      chainId: params.chainId,
      genesisHash: init.genesisHash,
      genesisTimeMs: init.genesisTimeMs,
      checkpointIntervalMs: params.checkpointIntervalMs,
      ...(start === undefined ? {} : { after: { sequence: start.checkpointSequence, hash: start.checkpointHash, closingLeaderTimestampMs: start.closingLeaderTimestampMs } }),
    }),
    evidencePool: createEvidencePool(committee, positive('maxPendingEvidence', init.maxPendingEvidence ?? VALIDATOR_DEFAULTS.maxPendingEvidence)),
    nextEpochVertices: createNextEpochVertices(),
    verdicts: createVerdicts(positive('maxVerdicts', init.maxVerdicts ?? VALIDATOR_DEFAULTS.maxVerdicts)),
    ledger: components.ledger,
    genesisHash: init.genesisHash,
    maxLeaderTimeoutMs: positive('maxLeaderTimeoutMs', init.maxLeaderTimeoutMs ?? params.leaderTimeoutMs * VALIDATOR_DEFAULTS.maxLeaderTimeoutFactor),
    maxVerifyBacklog: positive('maxVerifyBacklog', init.maxVerifyBacklog ?? VALIDATOR_DEFAULTS.maxVerifyBacklog),
    maxFetchRefs: positive('maxFetchRefs', init.maxFetchRefs ?? VALIDATOR_DEFAULTS.maxFetchRefs),
    commitLog: createCommitLog(
      positive('maxLoggedCommits', init.maxLoggedCommits ?? VALIDATOR_DEFAULTS.maxLoggedCommits),
      positive('maxLoggedBytes', init.maxLoggedBytes ?? VALIDATOR_DEFAULTS.maxLoggedBytes),
    ),
    restart: init.restart,
    resumeTracker,
    start,
    logger: components.logger,
    metrics: components.metrics,
  });
  let lastNowMs = -Infinity;

  const step = (event: ValidatorEvent): readonly ValidatorEffect[] => {
    if (!Number.isFinite(event.nowMs)) throw new RangeError('Validator.step: event.nowMs must be a finite number');
    // Time is an input; it must not run backwards within one validator (a shell bug).
    if (event.nowMs < lastNowMs) throw new RangeError(`Validator.step: nowMs went back from ${lastNowMs} to ${event.nowMs}`);
    lastNowMs = event.nowMs;
    const out: ValidatorEffect[] = [];
    switch (event.type) {
      case 'start':
        pipeline.start(event.nowMs, out);
        break;
      case 'vertexReceived':
        pipeline.receive(event.bytes, event.from, event.nowMs, out);
        break;
      case 'verified':
        pipeline.verified(event.token, event.results, event.nowMs, out);
        break;
      case 'signed':
        pipeline.signed(event.token, event.signature, event.nowMs, out);
        break;
      case 'timer':
        pipeline.timer(event.timerId, event.nowMs, out);
        break;
      case 'latestVertexReceived':
        pipeline.latestReceived(event.bytes, event.from, event.fromMember, event.nowMs, out);
        break;
      case 'commitRangeReceived':
        pipeline.rangeReceived(event.bytes, event.from, event.nowMs, out);
        break;
    }
    pipeline.settle(event.nowMs, out);
    return Object.freeze(out);
  };

  return Object.freeze({
    step,
    status: () => pipeline.status(),
    ledger: () => pipeline.ledger(),
    vertexBytes: (ref: VertexRef) => pipeline.vertexBytes(ref),
    latestOwnVertex: () => pipeline.latestOwnVertex(),
    rides: (id: Hash32) => pipeline.rides(id),
    slotVertices: (round: number, author: number) => pipeline.slotVertices(round, author),
    commitRange: (fromIndex: bigint, asOfEpoch: bigint) => pipeline.commitRange(fromIndex, asOfEpoch),
    commitLogFrom: () => pipeline.commitLogFrom(),
    resumePoint: () => resumeTracker.point(),
  });
}
