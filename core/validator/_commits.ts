/**
 * From accepted vertices to executed commits and certified checkpoints.
 *
 * DESIGN.md §2 "PBFT on the DAG", "Linearization", "Finality certificate", "Garbage
 * collection"; docs/protocol.md "The validator". After vertices are accepted: the commit rule
 * decides leader slots (in round order, stopping at the first undecided one); each committed
 * leader is linearized at once (its vertices are captured, so gc cannot take them away before
 * execution) and queued; the queue executes head first, pausing while execution waits for
 * signature verdicts (`_execution.ts`); each executed commit advances the commit digest chain,
 * tells the mempool, and may close a checkpoint, which is then signed. Then the DAG is
 * garbage-collected below (last committed leader round − gc_depth).
 *
 * Epochs (`_epoch.ts`): the commit that closes an epoch's last checkpoint is the epoch's last
 * executed commit. The epoch boundary is applied to the ledger right after it, the checkpoint
 * carries the post-boundary state root and the next committee, and the epoch is CLOSING: the
 * commit rule still runs (so the DAG keeps being garbage-collected while votes for the last
 * checkpoint ride on vertices), but its decisions are neither counted nor executed, and own
 * vertices carry no payload. When the checkpoint is certified, `onEpochCertified` hands over
 * to the next epoch; the commit index and the digest chain continue across it.
 */
import type { Certificate } from '../consensus/certificate.ts';
import { CHECKPOINT_SIGNING_CONTEXT, checkpointMessageOfHash, type CheckpointVote } from '../consensus/checkpointSign.ts';
import { checkpointHash, isEndOfEpoch, type Checkpoint } from '../consensus/checkpoint.ts';
import { nextCommitDigest } from '../consensus/commitDigest.ts';
import { countDecisions, tryDecide, ZERO_COMMIT_COUNTERS, type CommitCounters, type LeaderDecision } from '../consensus/commitRule.ts';
import type { CommittedSubDag } from '../consensus/linearize.ts';
import { bytesEqual, type Hash32, type Signature, type VerifyItem } from '../crypto/index.ts';
import type { GcOutcome, SignedVertex, VertexRef } from '../dag/index.ts';
import { applyEpochBoundary, getAccount, stateRoot, usedNonce, type Ledger, type ProtocolParams } from '../state/index.ts';
import type { CheckedRange } from './_catchUp.ts';
import type { CheckpointEquivocation, Checkpointer, VoteOutcome, VoteToVerify } from './_checkpoints.ts';
import type { CommitLog } from './_commitLog.ts';
import { endsEpoch, nextCommitteeMembers, type EpochContext } from './_epoch.ts';
import { executeCommit, type ExecutionDone } from './_execution.ts';
import { transactionItems } from './_receive.ts';
import type { Jobs } from './_jobs.ts';
import type { Proposal } from './_propose.ts';
import type { ResumeTracker } from './_resume.ts';
import type { ResumeStart } from './_resumeStart.ts';
import type { Verdicts } from './_verdicts.ts';
import type { PeerId, ValidatorEffect, ValidatorLogger, ValidatorMempool, ValidatorMetrics } from './types.ts';

export type VerifyJob =
  | { readonly kind: 'vertex'; readonly epoch: bigint; readonly signed: SignedVertex; readonly ref: VertexRef; readonly from: PeerId; /** `refKey(ref)`: with the signature, its entry among the vertices awaiting a verdict. */ readonly key: string; readonly items: readonly VerifyItem[] }
  | { readonly kind: 'votes'; readonly votes: readonly VoteToVerify[] }
  | { readonly kind: 'execution'; readonly items: readonly VerifyItem[] }
  /** Transaction signatures of an adopted range's commits, asked for in one batch ahead of their execution. */
  | { readonly kind: 'warm'; readonly items: readonly VerifyItem[] }
  /** A catch-up range's certificate signatures. */
  | { readonly kind: 'range'; readonly range: CheckedRange; readonly from: PeerId }
  /** A peer's latest own vertex, answering a restart with a lost store. */
  | { readonly kind: 'latest'; readonly epoch: bigint; readonly author: number; readonly round: number };

export type SignJob =
  | { readonly kind: 'vertex'; readonly proposal: Proposal; readonly startedMs: number }
  | { readonly kind: 'checkpoint'; readonly checkpoint: Checkpoint; readonly hash: Hash32 };

type QueuedCommit = {
  readonly decision: Extract<LeaderDecision, { status: 'commit' }>;
  readonly subDag: CommittedSubDag;
  readonly vertices: readonly SignedVertex[];
  readonly timestampMs: number;
};

export type CommitterDeps = {
  /** The current epoch's context (it changes at an epoch switch: always read through this). */
  readonly epoch: () => EpochContext;
  readonly params: ProtocolParams;
  readonly checkpointer: Checkpointer;
  readonly verdicts: Verdicts;
  readonly mempool: ValidatorMempool;
  readonly jobs: Jobs<VerifyJob, SignJob>;
  readonly ledger: Ledger;
  readonly genesisHash: Hash32;
  readonly metrics: ValidatorMetrics | undefined;
  readonly logger: ValidatorLogger | undefined;
  /** Called with each executed commit's transaction ids (the pipeline forgets them as included). */
  readonly onCommitted: (ids: readonly Hash32[]) => void;
  /** Called after gc with the new gc round and what it dropped and released from the pending buffer. */
  readonly onGc: (gcRound: number, outcome: GcOutcome, out: ValidatorEffect[]) => void;
  /** The end-of-epoch checkpoint was certified: switch to the committee it carries. */
  readonly onEpochCertified: (certificate: Certificate, out: ValidatorEffect[]) => void;
  /** Recent commits kept to serve catch-up ranges to peers. */
  readonly commitLog: CommitLog;
  /** A member signed two checkpoints of one sequence: the evidence goes to the pool. */
  readonly onCheckpointEquivocation: (equivocation: CheckpointEquivocation, out: ValidatorEffect[]) => void;
  /** Told of every executed commit, cut checkpoint and certificate: keeps the latest resume point. */
  readonly resumeTracker: ResumeTracker;
  /** Where the commit chain continues when the validator resumed from a checkpoint (default: the genesis). */
  readonly start: ResumeStart | undefined;
};

export type Committer = {
  /** Runs the commit rule over the current DAG, then executes what it can. */
  decide(out: ValidatorEffect[]): void;
  /** Execution's missing verdicts arrived. */
  executionVerdicts(items: readonly VerifyItem[], results: readonly boolean[], out: ValidatorEffect[]): void;
  /** Verdicts asked for ahead of execution (`warm` jobs) arrived: remembered only. */
  warmVerdicts(items: readonly VerifyItem[], results: readonly boolean[]): void;
  /** The own signature over `checkpoint` (whose hash is `hash`) is back. */
  checkpointSigned(checkpoint: Checkpoint, hash: Hash32, signature: Signature, out: ValidatorEffect[]): void;
  /** A vote seen on a verified vertex. */
  offerVote(member: number, vote: CheckpointVote, out: ValidatorEffect[]): void;
  votesVerified(votes: readonly VoteToVerify[], results: readonly boolean[], out: ValidatorEffect[]): void;
  /** The own vote waiting for the next own vertex (taken once). */
  takeVote(): CheckpointVote | undefined;
  ledger(): Ledger;
  /** True between the cut of the epoch's last checkpoint and its certificate. */
  closing(): boolean;
  /** The new epoch began (the context already swapped): the commit rule starts at round 1 again. */
  startEpoch(): void;
  /** Where a catch-up range must start and what it must reach beyond; while the epoch closes, only its certificate is wanted. */
  rangeHead(): { readonly commitIndex: bigint; readonly commitDigest: Hash32; readonly decidedIndex: bigint; readonly closing: boolean };
  /**
   * Takes a checked, certificate-verified range: its commits replace whatever was decided but not
   * executed, the commit rule continues after its last leader, and the DAG is collected below it.
   */
  adoptRange(range: CheckedRange, out: ValidatorEffect[]): void;
  /** Round of the last decided leader slot (the DAG is known up to here). */
  lastDecidedRound(): number;
  counters(): CommitCounters & { readonly lastCommitIndex: bigint; readonly commitDigest: Hash32; readonly executedTransactions: number; readonly queuedCommits: number; readonly awaitingVerdicts: boolean };
};

/** Signature jobs one range may warm at once: far below the verdict memory (65,536), so none is evicted before use. */
const MAX_WARM_ITEMS = 8_192;

export function createCommitter(deps: CommitterDeps): Committer {
  const { checkpointer, jobs } = deps;
  let counters: CommitCounters = ZERO_COMMIT_COUNTERS;
  let lastDecidedRound = deps.start?.leaderRound ?? 0;
  let ledger = deps.ledger;
  let commitIndex = deps.start?.commitIndex ?? 0n;
  let commitDigest = deps.start?.commitDigest ?? deps.genesisHash;
  let executedTransactions = 0;
  let executing = false;
  /** Set from the cut of the epoch's last checkpoint until its certificate. */
  let closing = false;
  let pendingVote: CheckpointVote | undefined;
  /** The certificate of the last adopted range, until execution reaches its checkpoint. */
  let adopted: { readonly certificate: Certificate; readonly hash: Hash32 } | undefined;
  /** While the epoch closes: the hash of its last checkpoint, which a peer's certificate may settle. */
  let closingHash: Hash32 | undefined;
  const queue: QueuedCommit[] = [];

  const record = (decision: LeaderDecision, out: ValidatorEffect[]): void => {
    const { store, linearizer } = deps.epoch();
    deps.metrics?.leaderDecided(decision.status, decision.how);
    lastDecidedRound = decision.round;
    if (decision.status === 'skip') {
      out.push(Object.freeze({ type: 'skipped', round: decision.round, leader: decision.leader, how: decision.how }));
      return;
    }
    const subDag = linearizer.commit(store, decision.vertex);
    const vertices = subDag.vertices.map((ref) => {
      const stored = store.get(ref);
      if (stored === undefined) throw new Error('committer: a linearized vertex is not in the store');
      return stored.signed;
    });
    const timestampMs = (vertices[vertices.length - 1] as SignedVertex).vertex.timestampMs;
    queue.push({ decision, subDag, vertices, timestampMs });
  };

  /** After the epoch's last checkpoint: decisions only advance the linearizer (for gc). */
  const recordClosing = (decision: LeaderDecision): void => {
    const { store, linearizer } = deps.epoch();
    lastDecidedRound = decision.round;
    if (decision.status === 'commit') linearizer.commit(store, decision.vertex);
  };

  const decide = (out: ValidatorEffect[]): void => {
    const { store, committee, schedule, linearizer } = deps.epoch();
    // Each pass decides at least one slot or stops; gc can release buffered vertices, which may
    // decide more: bounded by the rounds the DAG holds.
    for (;;) {
      const decisions = tryDecide(store, committee, schedule, lastDecidedRound);
      if (decisions.length === 0) break;
      if (!closing) counters = countDecisions(counters, decisions);
      for (const d of decisions) {
        if (closing) recordClosing(d);
        else record(d, out);
      }
      const gcRound = linearizer.gcRound();
      if (gcRound <= store.lowestRound()) continue;
      deps.onGc(gcRound, store.gc(gcRound), out);
    }
    drain(out);
  };

  const drain = (out: ValidatorEffect[]): void => {
    while (!executing && !closing && queue.length > 0) {
      const head = queue[0] as QueuedCommit;
      const outcome = executeCommit(ledger, head.vertices, deps.params, deps.verdicts);
      if (outcome.status === 'needs-verdicts') {
        executing = true;
        jobs.verify(outcome.items, { kind: 'execution', items: outcome.items }, out);
        return;
      }
      queue.shift();
      finish(head, outcome, out);
    }
  };

  const notifyMempool = (ids: readonly Hash32[]): void => {
    const committedLedger = ledger;
    deps.mempool.onCommitted({ account: (address) => getAccount(committedLedger, address) ?? undefined }, ids);
  };

  const finish = (commit: QueuedCommit, done: ExecutionDone, out: ValidatorEffect[]): void => {
    commitIndex += 1n;
    commitDigest = nextCommitDigest(commitDigest, commitIndex, commit.subDag);
    ledger = done.ledger;
    const root = stateRoot(ledger);
    const ids = done.receipts.map((r) => r.id);
    notifyMempool(ids);
    deps.onCommitted(ids);
    // A transaction included twice (two validators picked it from their mempools) executes once:
    // its second copy is dropped without effect and is not counted.
    const tookEffect = done.receipts.filter(usedNonce).length;
    executedTransactions += tookEffect;
    deps.metrics?.committedTransactions(tookEffect);
    out.push(Object.freeze({
      type: 'committed',
      commitIndex,
      leader: commit.decision.vertex,
      how: commit.decision.how,
      vertices: commit.subDag.vertices,
      signedVertices: commit.vertices,
      commitDigest,
      receipts: done.receipts,
      evidence: done.evidence,
      stateRoot: root,
      ledger,
      timestampMs: commit.timestampMs,
    }));
    deps.commitLog.record({ epoch: deps.epoch().committee.epoch, index: commitIndex, how: commit.decision.how, vertices: commit.vertices });
    deps.resumeTracker.executed(commit.subDag.leader.round, commit.subDag.vertices);
    const sequence = checkpointer.onExecuted(done.receipts, commit.timestampMs);
    if (sequence === undefined) return;
    const executed = { commitIndex, commitDigest, stateRoot: root, timestampMs: commit.timestampMs };
    const checkpoint = endsEpoch(sequence, deps.params.epochLengthCheckpoints) ? closeEpoch(executed) : checkpointer.close(executed, undefined);
    // `ledger` is now the one the checkpoint's root names (post-boundary at an epoch's end).
    deps.resumeTracker.cut({ checkpoint, ledger, leaderTimestampMs: commit.timestampMs, leaderRound: commit.subDag.leader.round, leaderSeed: deps.epoch().leaderSeed });
    // Checkpoints a caught-up range already certified need no vote; the certified one is checked.
    if (adopted !== undefined && checkpoint.sequence <= adopted.certificate.checkpoint.sequence) {
      if (checkpoint.sequence === adopted.certificate.checkpoint.sequence) adoptedCheckpointReached(checkpoint, out);
      return;
    }
    if (deps.epoch().self !== undefined) {
      const hash = checkpointHash(checkpoint);
      jobs.sign(checkpointMessageOfHash(checkpoint, hash), CHECKPOINT_SIGNING_CONTEXT, { kind: 'checkpoint', checkpoint, hash }, out);
    }
    const held = checkpointer.takeHeldVotes(checkpoint.sequence);
    if (held.length > 0) jobs.verify(held.map((v) => v.item), { kind: 'votes', votes: held }, out);
  };

  /**
   * The epoch's last checkpoint: the boundary is applied to the executed ledger, the checkpoint
   * carries its root and the next committee, and nothing more of this epoch is executed.
   */
  const closeEpoch = (executed: { commitIndex: bigint; commitDigest: Hash32; stateRoot: Hash32; timestampMs: number }): Checkpoint => {
    const { committee } = deps.epoch();
    const boundary = applyEpochBoundary(ledger, committee.epoch + 1n, deps.params);
    ledger = boundary.ledger;
    // The boundary moved balances (fees, released unbonding): the mempool re-checks its senders.
    notifyMempool([]);
    closing = true;
    // Commits decided after this one belong to no epoch: their transactions stay in the mempools.
    queue.length = 0;
    const checkpoint = checkpointer.close({ ...executed, stateRoot: boundary.stateRoot }, nextCommitteeMembers(boundary.validators, committee));
    closingHash = checkpointHash(checkpoint);
    return checkpoint;
  };

  /**
   * Execution of an adopted range reached its certified checkpoint. The range's digest chain
   * matched the certificate, so the same commits were executed; a different checkpoint here
   * means this validator's state had already diverged before the range — a bug, not a peer's
   * fault, and nothing may be signed or executed on top of it.
   */
  const adoptedCheckpointReached = (checkpoint: Checkpoint, out: ValidatorEffect[]): void => {
    const target = adopted as NonNullable<typeof adopted>;
    adopted = undefined;
    if (!bytesEqual(checkpointHash(checkpoint), target.hash)) {
      throw new Error(`committer: checkpoint ${checkpoint.sequence} after a certified range differs from the certified one (state diverged)`);
    }
    checkpointer.certifiedElsewhere(checkpoint.sequence);
    certified(target.certificate, out);
  };

  /**
   * A range brings many commits at once (a restart replays hundreds). Executed one by one, each
   * would wait for its own verify round trip; instead the transaction signatures of every queued
   * commit are asked for in one batch, with the keys the committed ledger names (a key that
   * changes inside the range is asked for again by execution itself — verdicts only save time).
   */
  const warmRange = (out: ValidatorEffect[]): void => {
    const items: VerifyItem[] = [];
    for (const commit of queue) {
      for (const signed of commit.vertices) {
        for (const item of transactionItems(signed, ledger, deps.params)) if (deps.verdicts.get(item) === undefined) items.push(item);
      }
      if (items.length >= MAX_WARM_ITEMS) break;
    }
    if (items.length > 0) jobs.verify(items, { kind: 'warm', items }, out);
  };

  const adoptRange = (range: CheckedRange, out: ValidatorEffect[]): void => {
    const { store, linearizer } = deps.epoch();
    if (closing) {
      // A range without commits: the certificate of the epoch's last checkpoint, which this
      // validator cut itself but never saw certified (it was cut off while the votes rode).
      if (range.commits.length !== 0 || closingHash === undefined) throw new Error('committer: a range with commits while the epoch closes');
      if (!bytesEqual(range.certificateHash, closingHash)) throw new Error('committer: the certified end-of-epoch checkpoint differs from the own one (state diverged)');
      checkpointer.certifiedElsewhere(range.certificate.checkpoint.sequence);
      certified(range.certificate, out);
      return;
    }
    const last = range.commits[range.commits.length - 1];
    if (last === undefined) throw new Error('committer: adoptRange with an empty range');
    // Decided-but-unexecuted commits are the range's first ones (or behind them): replaced.
    queue.length = 0;
    const decisions: LeaderDecision[] = [];
    for (const c of range.commits) {
      const decision = Object.freeze({ status: 'commit', round: c.leader.round, leader: c.leader.author, vertex: c.leader, how: c.how } as const);
      decisions.push(decision);
      const subDag = Object.freeze({ leader: c.leader, vertices: c.refs });
      // A commit decided here but not yet executed was linearized here already (identically:
      // the range reaches beyond every local decision, and the certificate's digest checks the
      // order); only the leaders beyond it are new to the linearizer.
      if (c.leader.round > linearizer.lastCommittedLeaderRound()) linearizer.adopt(subDag);
      const timestampMs = (c.vertices[c.vertices.length - 1] as SignedVertex).vertex.timestampMs;
      queue.push({ decision, subDag, vertices: c.vertices, timestampMs });
    }
    counters = countDecisions(counters, decisions);
    lastDecidedRound = last.leader.round;
    adopted = Object.freeze({ certificate: range.certificate, hash: range.certificateHash });
    warmRange(out);
    const gcRound = linearizer.gcRound();
    if (gcRound > store.lowestRound()) deps.onGc(gcRound, store.gc(gcRound), out);
    drain(out);
    // Vertices held above the range may decide the next slots at once.
    decide(out);
  };

  const certified = (certificate: Certificate | undefined, out: ValidatorEffect[]): void => {
    if (certificate === undefined) return;
    deps.commitLog.certified(certificate);
    deps.resumeTracker.certified(certificate);
    out.push(Object.freeze({ type: 'checkpointCertified', certificate }));
    if (isEndOfEpoch(certificate.checkpoint)) deps.onEpochCertified(certificate, out);
  };

  /** What a verified vote did: evidence first (the pool is epoch-independent), then the certificate (it may switch the epoch). */
  const voted = (member: number, vote: CheckpointVote, outcome: VoteOutcome, out: ValidatorEffect[]): void => {
    if (outcome.conflicting) deps.logger?.debug('checkpoint vote for another checkpoint', { member, sequence: vote.sequence });
    if (outcome.equivocation !== undefined) deps.onCheckpointEquivocation(outcome.equivocation, out);
    certified(outcome.certificate, out);
  };

  return Object.freeze({
    decide,
    warmVerdicts(items: readonly VerifyItem[], results: readonly boolean[]) {
      items.forEach((item, i) => deps.verdicts.set(item, results[i] === true));
    },
    executionVerdicts(items: readonly VerifyItem[], results: readonly boolean[], out: ValidatorEffect[]) {
      items.forEach((item, i) => deps.verdicts.set(item, results[i] === true));
      executing = false;
      drain(out);
    },
    checkpointSigned(checkpoint: Checkpoint, hash: Hash32, signature: Signature, out: ValidatorEffect[]) {
      const self = deps.epoch().self;
      // Signed for an epoch that ended meanwhile (certified without this vote): nobody needs it.
      if (checkpoint.epoch !== deps.epoch().committee.epoch || self === undefined) return;
      const vote: CheckpointVote = Object.freeze({ sequence: checkpoint.sequence, checkpointHash: hash, signature });
      // A newer vote replaces an unsent older one: one vote rides per vertex.
      pendingVote = vote;
      voted(self, vote, checkpointer.addVerifiedVote(self, vote, checkpoint.epoch), out);
    },
    offerVote(member: number, vote: CheckpointVote, out: ValidatorEffect[]) {
      const job = checkpointer.offerVote(member, vote);
      if (job !== undefined) jobs.verify([job.item], { kind: 'votes', votes: [job] }, out);
    },
    votesVerified(votes: readonly VoteToVerify[], results: readonly boolean[], out: ValidatorEffect[]) {
      // A vote that does not verify is dropped: forged bytes prove nothing about their claimed signer.
      votes.forEach((v, i) => {
        if (results[i] === true) voted(v.member, v.vote, checkpointer.addVerifiedVote(v.member, v.vote, v.epoch), out);
      });
    },
    takeVote() {
      const vote = pendingVote;
      pendingVote = undefined;
      return vote;
    },
    ledger: () => ledger,
    closing: () => closing,
    startEpoch() {
      deps.resumeTracker.startEpoch();
      closing = false;
      closingHash = undefined;
      lastDecidedRound = 0;
      // An unsent vote of the old epoch would ride on a new-epoch vertex for nothing.
      pendingVote = undefined;
    },
    counters: () => Object.freeze({ ...counters, lastCommitIndex: commitIndex, commitDigest, executedTransactions, queuedCommits: queue.length, awaitingVerdicts: executing }),
    rangeHead: () => Object.freeze({ commitIndex, commitDigest, decidedIndex: commitIndex + BigInt(queue.length), closing }),
    adoptRange,
    lastDecidedRound: () => lastDecidedRound,
  });
}
