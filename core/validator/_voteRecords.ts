/**
 * The first verified checkpoint vote of each member for each sequence: what turns a second,
 * different vote into equivocation evidence.
 *
 * DESIGN.md §2 Equivocation ("two checkpoint signatures for the same sequence" are self-proving
 * evidence); docs/protocol.md "Checkpoint-vote equivocation". A vote carries the hash it signs,
 * so every vote verifies on its own; a member whose two VERIFIED votes for one sequence sign
 * different hashes has equivocated, whichever of them (if any) matches this validator's own
 * checkpoint. Each (sequence, member) is convicted once: a third conflicting vote adds nothing
 * (one pair slashes the slot; execution refuses a second as ALREADY_SLASHED). Bounded by the
 * caller's window: `prune` forgets sequences below it, so the records hold at most (window
 * sequences × committee size) votes.
 */
import { bytesEqual } from '../crypto/index.ts';
import type { CheckpointVote } from '../consensus/checkpointSign.ts';

type MemberRecord = { readonly first: CheckpointVote; convicted: boolean };

/** What recording a verified vote found. */
export type RecordOutcome =
  /** The member's first verified vote for the sequence. */
  | { readonly status: 'first' }
  /** The same hash as the member's first: nothing new. */
  | { readonly status: 'same' }
  /** A different hash: `first` and the new vote are the evidence pair (reported once). */
  | { readonly status: 'conflict'; readonly first: CheckpointVote }
  /** The member was already convicted for this sequence. */
  | { readonly status: 'convicted' };

export type VoteRecords = {
  /**
   * Whether `vote` could add anything once verified: false when the member's first verified
   * vote for the sequence signs the same hash, or the member is already convicted for it.
   */
  isNew(member: number, vote: CheckpointVote): boolean;
  /** Records a vote whose signature verified (against its own hash). */
  record(member: number, vote: CheckpointVote): RecordOutcome;
  /** Forgets every sequence below `sequence`. */
  prune(belowSequence: bigint): void;
  clear(): void;
};

const FIRST = Object.freeze({ status: 'first' as const });
const SAME = Object.freeze({ status: 'same' as const });
const CONVICTED = Object.freeze({ status: 'convicted' as const });

export function createVoteRecords(): VoteRecords {
  const bySequence = new Map<bigint, Map<number, MemberRecord>>();
  const get = (member: number, sequence: bigint): MemberRecord | undefined => bySequence.get(sequence)?.get(member);

  const isNew = (member: number, vote: CheckpointVote): boolean => {
    const known = get(member, vote.sequence);
    return known === undefined || (!known.convicted && !bytesEqual(known.first.checkpointHash, vote.checkpointHash));
  };

  const record = (member: number, vote: CheckpointVote): RecordOutcome => {
    const members = bySequence.get(vote.sequence) ?? new Map<number, MemberRecord>();
    bySequence.set(vote.sequence, members);
    const known = members.get(member);
    if (known === undefined) {
      members.set(member, { first: vote, convicted: false });
      return FIRST;
    }
    if (known.convicted) return CONVICTED;
    if (bytesEqual(known.first.checkpointHash, vote.checkpointHash)) return SAME;
    known.convicted = true;
    return Object.freeze({ status: 'conflict' as const, first: known.first });
  };

  const prune = (belowSequence: bigint): void => {
    for (const s of [...bySequence.keys()]) if (s < belowSequence) bySequence.delete(s);
  };

  return Object.freeze({
    isNew,
    record,
    prune,
    clear: () => bySequence.clear(),
  });
}
