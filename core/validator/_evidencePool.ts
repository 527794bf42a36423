/**
 * Equivocation evidence waiting for the validator's own next vertices.
 *
 * DESIGN.md §2 Equivocation: two signed vertices of one (epoch, round, author) slot, or two
 * checkpoint signatures of one member for one (epoch, sequence), are self-proving evidence.
 * The store reports each vertex pair once, the checkpointer each vote pair once; this pool
 * keeps one entry per (context, offender, slot) — the evidence's `slotId` — since one pair
 * convicts the slot and more would be refused at execution as ALREADY_SLASHED. At most
 * `maxEntries` wait. Reported vertex slots are forgotten below the gc round, checkpoint slots
 * more than `CHECKPOINT_SLOTS_REMEMBERED` sequences below the newest reported one (the
 * checkpointer never reports older ones). What is taken goes into the next own vertex, at most
 * `max_evidence_per_vertex` at a time.
 */
import type { Committee } from '../consensus/committee.ts';
import { toHex } from '../crypto/index.ts';
import type { EquivocationPair } from '../dag/index.ts';
import { vertexEquivocationEvidence } from '../dag/index.ts';
import { evidenceCodec, slotId, type Evidence } from '../state/index.ts';
import { MAX_VOTE_LOOKAHEAD } from './_checkpoints.ts';
import type { EvidenceSlot } from './types.ts';

export type FoundEvidence = { readonly evidence: Evidence; readonly slot: EvidenceSlot; readonly author: number };

/** The checkpointer tracks votes over twice its lookahead; slots older than that cannot come again. */
const CHECKPOINT_SLOTS_REMEMBERED = 2n * MAX_VOTE_LOOKAHEAD;

export type EvidencePool = {
  /** Evidence from a pair the store reported; undefined when its slot is known or the pool is full. */
  offer(pair: EquivocationPair): FoundEvidence | undefined;
  /**
   * Ready evidence (a checkpoint vote pair) by member `author` for `slot`; undefined when the
   * slot is known or the pool is full.
   */
  offerEvidence(evidence: Evidence, slot: EvidenceSlot, author: number): FoundEvidence | undefined;
  /** Up to `max` encoded entries for the next own vertex (removed from the pool). */
  take(max: number): readonly Uint8Array[];
  /**
   * Forgets which vertex slots below `round` were reported (the store can no longer report
   * them); waiting entries stay: evidence convicts for `unbonding_epochs`, whatever the DAG window.
   */
  prune(belowRound: number): void;
  /**
   * A new epoch: slots are named by the new committee from now on. Waiting entries stay (they
   * were built with the offender's address, which does not change).
   */
  startEpoch(committee: Committee): void;
  size(): number;
};

export function createEvidencePool(initialCommittee: Committee, maxEntries: number): EvidencePool {
  let committee = initialCommittee;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError('createEvidencePool: maxEntries must be a positive integer');
  /** Hex slot id → the slot, for pruning. */
  const seenSlots = new Map<string, EvidenceSlot>();
  const waiting: Uint8Array[] = [];

  const offerEvidence = (evidence: Evidence, slot: EvidenceSlot, author: number): FoundEvidence | undefined => {
    if (evidence.context !== slot.context) throw new RangeError(`evidence pool: ${evidence.context} evidence offered for a ${slot.context} slot`);
    const key = toHex(slotId(evidence));
    if (seenSlots.has(key) || waiting.length >= maxEntries) return undefined;
    if (slot.context === 'checkpoint') forgetCheckpointSlotsBelow(slot.sequence - CHECKPOINT_SLOTS_REMEMBERED);
    seenSlots.set(key, slot);
    waiting.push(evidenceCodec.encode(evidence));
    return Object.freeze({ evidence, slot, author });
  };

  const offer = (pair: EquivocationPair): FoundEvidence | undefined => {
    const { round, author } = pair.first.vertex;
    const member = committee.members[author];
    if (member === undefined) throw new RangeError(`evidence pool: author ${author} is not a member`);
    // Full: built anyway (cheap: two ~83-byte messages) so the slot is named by the evidence itself.
    const evidence = vertexEquivocationEvidence(pair.first, pair.second, member.address);
    return offerEvidence(evidence, Object.freeze({ context: 'vertex', round }), author);
  };

  const forgetCheckpointSlotsBelow = (sequence: bigint): void => {
    for (const [key, slot] of seenSlots) if (slot.context === 'checkpoint' && slot.sequence < sequence) seenSlots.delete(key);
  };

  const take = (max: number): readonly Uint8Array[] => waiting.splice(0, Math.max(0, max));

  const prune = (belowRound: number): void => {
    for (const [key, slot] of seenSlots) if (slot.context === 'vertex' && slot.round < belowRound) seenSlots.delete(key);
  };

  const startEpoch = (next: Committee): void => {
    committee = next;
    seenSlots.clear();
  };

  return Object.freeze({ offer, offerEvidence, take, prune, startEpoch, size: () => waiting.length });
}
