/**
 * Cutting checkpoints from the committed sequence and collecting their votes into certificates.
 *
 * docs/protocol.md "When a validator signs": a committed leader closes a checkpoint when its
 * timestamp is at least `checkpoint_interval_ms` past the timestamp of the leader that closed
 * the previous one (the genesis time for the first). Cut on the committed sequence, never on a
 * local clock, so every honest validator cuts the same checkpoints. `txRoot` covers the ids of
 * every transaction with a receipt since the previous checkpoint (applied or rejected), in
 * execution order.
 *
 * Votes arrive piggybacked on vertices, each naming the checkpoint hash it signs, so each is
 * verified against its OWN hash (`checkpointMessageOfHash`), whatever this validator cut. A vote
 * for a checkpoint not cut yet is held (at most two different hashes per member and sequence,
 * at most `MAX_VOTE_LOOKAHEAD` sequences ahead) until it is. A verified vote whose hash is the
 * own checkpoint's counts toward its certificate; one with another hash never does: it means
 * the voter or this validator diverged (`conflictingVotes`). The first verified vote of each
 * member and sequence is remembered (`_voteRecords.ts`, within the window of the last
 * `MAX_VOTE_LOOKAHEAD` cut sequences and as many ahead), so a second verified vote with a
 * different hash becomes equivocation evidence (context 'checkpoint'), once per member and
 * sequence. A vote that does not verify is dropped and proves nothing (anyone can forge bytes).
 * The last checkpoint of an epoch carries the next committee (`_epoch.ts`); the votes,
 * records and aggregators of an epoch are always its own committee's (`startEpoch` swaps it).
 */
import type { Certificate } from '../consensus/certificate.ts';
import { createCertificateAggregator, type CertificateAggregator } from '../consensus/certificateAggregator.ts';
import { checkpointHash, checkpointTxRoot, type Checkpoint, type NextCommitteeMember } from '../consensus/checkpoint.ts';
import { checkpointEquivocationEvidence, checkpointMessageOfHash, checkpointVoteItem, type CheckpointVote } from '../consensus/checkpointSign.ts';
import type { Committee } from '../consensus/committee.ts';
import { bytesEqual, type Hash32, type TaggedPublicKey, type VerifyItem } from '../crypto/index.ts';
import type { Evidence, Receipt } from '../state/index.ts';
import { createVoteRecords } from './_voteRecords.ts';

/** Sequences beyond the last cut one whose votes are held: a node a few checkpoints behind still collects them. */
export const MAX_VOTE_LOOKAHEAD = 8n;
/**
 * Transaction ids remembered for the next txRoot. One checkpoint interval of the 10,000 TPS
 * target is 10,000 ids; beyond this bound the commit sequence itself is pathological (a bug).
 */
const MAX_TX_IDS_PER_CHECKPOINT = 10_000_000;
/** Different votes held per member and sequence before the cut: two are an equivocation, a third adds nothing. */
const MAX_HELD_VOTES_PER_MEMBER = 2;

/** A vote and the job that verifies it against its own hash, for the committee of `epoch`. */
export type VoteToVerify = { readonly member: number; readonly epoch: bigint; readonly vote: CheckpointVote; readonly item: VerifyItem };

/** Two verified votes of `member` for `sequence` that sign different checkpoints. */
export type CheckpointEquivocation = { readonly evidence: Evidence; readonly sequence: bigint; readonly member: number };

/** What a verified vote did. */
export type VoteOutcome = {
  /** The certificate it completed, if any. */
  readonly certificate: Certificate | undefined;
  /** The equivocation it proved (reported once per member and sequence). */
  readonly equivocation: CheckpointEquivocation | undefined;
  /** It signs a checkpoint other than the own one of its sequence (the voter or this validator diverged). */
  readonly conflicting: boolean;
};

export type CheckpointerInit = {
  readonly committee: Committee;
  readonly chainId: string;
  readonly genesisHash: Hash32;
  readonly genesisTimeMs: number;
  readonly checkpointIntervalMs: number;
  /**
   * Resuming after a certified checkpoint (`init.resume`): the chain continues from its
   * sequence and hash, and the next checkpoint closes an interval after its closing leader.
   * Default: the genesis (sequence 0, `genesisHash`, `genesisTimeMs`).
   */
  readonly after?: { readonly sequence: bigint; readonly hash: Hash32; readonly closingLeaderTimestampMs: number };
};

/** An executed commit, as the checkpointer needs it. */
export type ExecutedCommit = {
  readonly commitIndex: bigint;
  readonly commitDigest: Hash32;
  readonly stateRoot: Hash32;
  readonly timestampMs: number;
};

export type Checkpointer = {
  /**
   * Records an executed commit's receipts; returns the sequence of the checkpoint this commit
   * closes, or undefined. The caller then calls `close` (after the epoch boundary, if the
   * sequence ends the epoch).
   */
  onExecuted(receipts: readonly Receipt[], timestampMs: number): bigint | undefined;
  /** Cuts the checkpoint announced by `onExecuted` (to be signed); opens its aggregator. */
  close(commit: ExecutedCommit, nextCommittee: readonly NextCommitteeMember[] | undefined): Checkpoint;
  /** A vote seen on a vertex: the job to verify it now, or undefined (held, stale, useless or duplicate). */
  offerVote(member: number, vote: CheckpointVote): VoteToVerify | undefined;
  /** Held votes for `sequence`, now that it is cut, with their jobs. */
  takeHeldVotes(sequence: bigint): readonly VoteToVerify[];
  /**
   * A vote of the committee of `epoch` whose signature verified against its own hash (or the
   * own vote): the certificate it completes, the equivocation it proves. Votes of another
   * epoch (verified across a switch) are dropped.
   */
  addVerifiedVote(member: number, vote: CheckpointVote, epoch: bigint): VoteOutcome;
  /**
   * The next epoch's committee signs from here on. Called after the end-of-epoch certificate,
   * so every aggregator and held vote (all of the old committee) is dropped.
   */
  startEpoch(committee: Committee): void;
  lastSequence(): bigint;
  lastCertified(): bigint;
  /** A certificate for `sequence` arrived with a catch-up range: its votes are no longer needed. */
  certifiedElsewhere(sequence: bigint): void;
  /** Verified votes, so far, that sign a checkpoint other than the own one of their sequence. */
  conflictingVotes(): number;
};

const NOTHING: VoteOutcome = Object.freeze({ certificate: undefined, equivocation: undefined, conflicting: false });

export function createCheckpointer(init: CheckpointerInit): Checkpointer {
  const { chainId } = init;
  let committee = init.committee;
  let lastSequence = init.after?.sequence ?? 0n;
  let lastHash = init.after?.hash ?? init.genesisHash;
  let lastCloseMs = init.after?.closingLeaderTimestampMs ?? init.genesisTimeMs;
  let lastCertified = lastSequence;
  let txIds: Hash32[] = [];
  let conflictingVotes = 0;
  const aggregators = new Map<bigint, CertificateAggregator>();
  /** Hashes of the own checkpoints in the window (also certified ones: late votes are judged against them). */
  const cutHashes = new Map<bigint, Hash32>();
  const held = new Map<bigint, Map<number, CheckpointVote[]>>();
  const records = createVoteRecords();

  /** The last MAX_VOTE_LOOKAHEAD cut sequences and as many ahead: where votes are tracked. */
  const inWindow = (sequence: bigint): boolean =>
    sequence >= 1n && sequence + MAX_VOTE_LOOKAHEAD >= lastSequence && sequence <= lastSequence + MAX_VOTE_LOOKAHEAD;

  const onExecuted: Checkpointer['onExecuted'] = (receipts, timestampMs) => {
    for (const r of receipts) txIds.push(r.id);
    if (txIds.length > MAX_TX_IDS_PER_CHECKPOINT) throw new Error('checkpointer: too many transactions in one checkpoint interval');
    return timestampMs < lastCloseMs + init.checkpointIntervalMs ? undefined : lastSequence + 1n;
  };

  const close: Checkpointer['close'] = (commit, nextCommittee) => {
    const checkpoint: Checkpoint = Object.freeze({
      chainId,
      epoch: committee.epoch,
      sequence: lastSequence + 1n,
      lastCommitIndex: commit.commitIndex,
      commitDigest: commit.commitDigest,
      stateRoot: commit.stateRoot,
      txRoot: checkpointTxRoot(txIds),
      previousCheckpointHash: lastHash,
      ...(nextCommittee === undefined ? {} : { nextCommittee }),
    });
    lastSequence = checkpoint.sequence;
    lastHash = checkpointHash(checkpoint);
    lastCloseMs = commit.timestampMs;
    txIds = [];
    aggregators.set(checkpoint.sequence, createCertificateAggregator(committee, checkpoint));
    cutHashes.set(checkpoint.sequence, lastHash);
    // Bounded: a checkpoint that never gathers a quorum is given up after MAX_VOTE_LOOKAHEAD more.
    for (const s of [...aggregators.keys()]) if (!inWindow(s)) aggregators.delete(s);
    for (const s of [...cutHashes.keys()]) if (!inWindow(s)) cutHashes.delete(s);
    records.prune(lastSequence - MAX_VOTE_LOOKAHEAD);
    return checkpoint;
  };

  const keyOf = (member: number, vote: CheckpointVote): TaggedPublicKey | undefined => {
    const key = committee.members[member]?.key;
    return key === undefined || key.scheme !== vote.signature.scheme ? undefined : key;
  };

  /** The job verifying `vote` against the checkpoint hash it names. */
  const jobFor = (member: number, vote: CheckpointVote): VoteToVerify | undefined => {
    const key = keyOf(member, vote);
    if (key === undefined) return undefined;
    const message = checkpointMessageOfHash({ chainId, epoch: committee.epoch, sequence: vote.sequence }, vote.checkpointHash);
    return Object.freeze({ member, epoch: committee.epoch, vote, item: checkpointVoteItem(message, key, vote.signature) });
  };

  const hold = (member: number, vote: CheckpointVote): void => {
    const votes = held.get(vote.sequence) ?? new Map<number, CheckpointVote[]>();
    held.set(vote.sequence, votes);
    const mine = votes.get(member) ?? [];
    votes.set(member, mine);
    if (mine.length < MAX_HELD_VOTES_PER_MEMBER && !mine.some((v) => bytesEqual(v.checkpointHash, vote.checkpointHash))) mine.push(vote);
  };

  const offerVote: Checkpointer['offerVote'] = (member, vote) => {
    if (keyOf(member, vote) === undefined || !inWindow(vote.sequence) || !records.isNew(member, vote)) return undefined;
    if (vote.sequence > lastSequence) {
      hold(member, vote);
      return undefined;
    }
    // Also a vote for a checkpoint already certified: it adds no stake, but if its member signs
    // another checkpoint of the sequence later, the two are evidence only if this one verified.
    // One job per member and checkpoint hash: little next to verifying every vertex.
    return jobFor(member, vote);
  };

  const takeHeldVotes: Checkpointer['takeHeldVotes'] = (sequence) => {
    const votes = held.get(sequence);
    held.delete(sequence);
    // Anything held at or below a cut sequence can no longer be matched.
    for (const s of [...held.keys()]) if (s < sequence) held.delete(s);
    if (votes === undefined || !cutHashes.has(sequence)) return [];
    const jobs: VoteToVerify[] = [];
    for (const [member, mine] of votes) {
      for (const vote of mine) {
        const job = jobFor(member, vote);
        if (job !== undefined) jobs.push(job);
      }
    }
    return jobs;
  };

  /** Adds a vote for the own checkpoint to its aggregator; the certificate when it completes one. */
  const aggregate = (member: number, vote: CheckpointVote): Certificate | undefined => {
    const aggregator = aggregators.get(vote.sequence);
    if (aggregator === undefined) return undefined;
    const added = aggregator.add(member, vote);
    if (!added.ok || !added.value.added || !added.value.quorumReached) return undefined;
    const certificate = aggregator.certificate();
    lastCertified = vote.sequence;
    for (const s of [...aggregators.keys()]) if (s <= lastCertified) aggregators.delete(s);
    return certificate;
  };

  const addVerifiedVote: Checkpointer['addVerifiedVote'] = (member, vote, epoch) => {
    const address = committee.members[member]?.address;
    if (epoch !== committee.epoch || address === undefined || !inWindow(vote.sequence)) return NOTHING;
    const recorded = records.record(member, vote);
    const own = cutHashes.get(vote.sequence);
    const matches = own !== undefined && bytesEqual(own, vote.checkpointHash);
    const conflicting = own !== undefined && !matches && (recorded.status === 'first' || recorded.status === 'conflict');
    if (conflicting) conflictingVotes++;
    const equivocation: CheckpointEquivocation | undefined =
      recorded.status === 'conflict'
        ? Object.freeze({ evidence: checkpointEquivocationEvidence({ chainId, epoch }, recorded.first, vote, address), sequence: vote.sequence, member })
        : undefined;
    const certificate = matches ? aggregate(member, vote) : undefined;
    return certificate === undefined && equivocation === undefined && !conflicting ? NOTHING : Object.freeze({ certificate, equivocation, conflicting });
  };

  const startEpoch = (next: Committee): void => {
    if (next.epoch !== committee.epoch + 1n) throw new RangeError(`checkpointer: epoch ${next.epoch} does not follow ${committee.epoch}`);
    committee = next;
    aggregators.clear();
    cutHashes.clear();
    held.clear();
    records.clear();
  };

  return Object.freeze({
    onExecuted,
    close,
    startEpoch,
    offerVote,
    takeHeldVotes,
    addVerifiedVote,
    lastSequence: () => lastSequence,
    lastCertified: () => lastCertified,
    certifiedElsewhere(sequence: bigint) {
      if (sequence <= lastCertified) return;
      lastCertified = sequence;
      for (const s of [...aggregators.keys()]) if (s <= sequence) aggregators.delete(s);
      for (const s of [...held.keys()]) if (s <= sequence) held.delete(s);
    },
    conflictingVotes: () => conflictingVotes,
  });
}
