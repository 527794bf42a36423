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
 * Votes arrive piggybacked on vertices. A vote for a checkpoint this validator has not cut yet
 * is held (one per member and sequence, at most `MAX_VOTE_LOOKAHEAD` sequences ahead) until it
 * is; then its signature is verified against the own checkpoint's message. A vote that does
 * not verify is the voter's fault, or a vote for a different checkpoint: either way it does
 * not count. The last checkpoint of an epoch carries the next committee (`_epoch.ts`); the
 * votes and aggregators of an epoch are always its own committee's (`startEpoch` swaps it).
 */
import type { Certificate } from '../consensus/certificate.ts';
import { createCertificateAggregator, type CertificateAggregator } from '../consensus/certificateAggregator.ts';
import { checkpointHash, checkpointTxRoot, type Checkpoint, type NextCommitteeMember } from '../consensus/checkpoint.ts';
import { checkpointVoteItem, type CheckpointVote } from '../consensus/checkpointSign.ts';
import type { Committee } from '../consensus/committee.ts';
import type { Hash32, VerifyItem } from '../crypto/index.ts';
import type { Receipt } from '../state/index.ts';

/** Sequences beyond the last cut one whose votes are held: a node a few checkpoints behind still collects them. */
export const MAX_VOTE_LOOKAHEAD = 8n;
/**
 * Transaction ids remembered for the next txRoot. One checkpoint interval of the 10,000 TPS
 * target is 10,000 ids; beyond this bound the commit sequence itself is pathological (a bug).
 */
const MAX_TX_IDS_PER_CHECKPOINT = 10_000_000;

export type VoteToVerify = { readonly member: number; readonly vote: CheckpointVote; readonly item: VerifyItem };

export type CheckpointerInit = {
  readonly committee: Committee;
  readonly chainId: string;
  readonly genesisHash: Hash32;
  readonly genesisTimeMs: number;
  readonly checkpointIntervalMs: number;
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
  /** A vote seen on a vertex: the job to verify it now, or undefined (held, stale or duplicate). */
  offerVote(member: number, vote: CheckpointVote): VoteToVerify | undefined;
  /** Held votes for `sequence`, now that it is cut, with their jobs. */
  takeHeldVotes(sequence: bigint): readonly VoteToVerify[];
  /** A vote whose signature verified (or the own one); the certificate when it completes one. */
  addVerifiedVote(member: number, vote: CheckpointVote): Certificate | undefined;
  /**
   * The next epoch's committee signs from here on. Called after the end-of-epoch certificate,
   * so every aggregator and held vote (all of the old committee) is dropped.
   */
  startEpoch(committee: Committee): void;
  lastSequence(): bigint;
  lastCertified(): bigint;
  /** A certificate for `sequence` arrived with a catch-up range: its votes are no longer needed. */
  certifiedElsewhere(sequence: bigint): void;
};

export function createCheckpointer(init: CheckpointerInit): Checkpointer {
  const { chainId } = init;
  let committee = init.committee;
  let lastSequence = 0n;
  let lastHash = init.genesisHash;
  let lastCloseMs = init.genesisTimeMs;
  let lastCertified = 0n;
  let txIds: Hash32[] = [];
  const aggregators = new Map<bigint, CertificateAggregator>();
  const held = new Map<bigint, Map<number, CheckpointVote>>();

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
    // Bounded: a checkpoint that never gathers a quorum is given up after MAX_VOTE_LOOKAHEAD more.
    for (const s of [...aggregators.keys()]) if (s + MAX_VOTE_LOOKAHEAD < lastSequence) aggregators.delete(s);
    return checkpoint;
  };
  const jobFor = (aggregator: CertificateAggregator, member: number, vote: CheckpointVote): VoteToVerify | undefined => {
    const key = committee.members[member]?.key;
    if (key === undefined || key.scheme !== vote.signature.scheme) return undefined;
    return Object.freeze({ member, vote, item: checkpointVoteItem(aggregator.message, key, vote.signature) });
  };

  const offerVote: Checkpointer['offerVote'] = (member, vote) => {
    if (vote.sequence <= lastCertified) return undefined;
    const aggregator = aggregators.get(vote.sequence);
    if (aggregator !== undefined) return jobFor(aggregator, member, vote);
    if (vote.sequence <= lastSequence || vote.sequence > lastSequence + MAX_VOTE_LOOKAHEAD) return undefined;
    const votes = held.get(vote.sequence) ?? new Map<number, CheckpointVote>();
    if (!votes.has(member)) votes.set(member, vote);
    held.set(vote.sequence, votes);
    return undefined;
  };

  const takeHeldVotes: Checkpointer['takeHeldVotes'] = (sequence) => {
    const votes = held.get(sequence);
    held.delete(sequence);
    // Anything held at or below a cut sequence can no longer be matched.
    for (const s of [...held.keys()]) if (s < sequence) held.delete(s);
    const aggregator = aggregators.get(sequence);
    if (votes === undefined || aggregator === undefined) return [];
    const jobs: VoteToVerify[] = [];
    for (const [member, vote] of votes) {
      const job = jobFor(aggregator, member, vote);
      if (job !== undefined) jobs.push(job);
    }
    return jobs;
  };

  const addVerifiedVote: Checkpointer['addVerifiedVote'] = (member, vote) => {
    const aggregator = aggregators.get(vote.sequence);
    if (aggregator === undefined) return undefined;
    const added = aggregator.add(member, vote);
    if (!added.ok || !added.value.added || !added.value.quorumReached) return undefined;
    const certificate = aggregator.certificate();
    lastCertified = vote.sequence;
    for (const s of [...aggregators.keys()]) if (s <= lastCertified) aggregators.delete(s);
    return certificate;
  };

  const startEpoch = (next: Committee): void => {
    if (next.epoch !== committee.epoch + 1n) throw new RangeError(`checkpointer: epoch ${next.epoch} does not follow ${committee.epoch}`);
    committee = next;
    aggregators.clear();
    held.clear();
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
  });
}
