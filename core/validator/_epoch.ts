/**
 * What one epoch of the validator consists of, and the rules of the handover between two.
 *
 * DESIGN.md §2 Epochs: validator-set changes (bond, unbond, slashing, rotate-key) take effect
 * at epoch boundaries; the end-of-epoch checkpoint, certified by the OLD committee, carries the
 * NEW one. docs/protocol.md "The validator" → "Epochs" states the rules as built:
 *   - epochs are counted in checkpoints: sequence s ends its epoch when s is a multiple of
 *     `epoch_length` (sequences are global and start at 1, so epoch e owns e·L+1 … (e+1)·L);
 *   - that checkpoint is cut on the ledger after `applyEpochBoundary`, and its next committee
 *     is the set the boundary selected — or the outgoing set when nobody qualifies (the
 *     state module's rule: consensus keeps the outgoing set rather than stop);
 *   - once it is certified, every epoch-scoped part is built afresh: the committee, this
 *     validator's seat (found by address: indices change between epochs, an address does
 *     not), the leader schedule seeded by `epochLeaderSeed(epoch, that checkpoint's commit
 *     digest)`, a new DAG store (rounds start again at 1) and a new linearizer.
 */
import type { Committee } from '../consensus/committee.ts';
import type { NextCommitteeMember } from '../consensus/checkpoint.ts';
import { createLeaderSchedule, type LeaderElector } from '../consensus/leaderSchedule.ts';
import { createLinearizer, type Linearizer } from '../consensus/linearize.ts';
import { bytesEqual, type Hash32 } from '../crypto/index.ts';
import { createDagStore, DEFAULT_MAX_FUTURE_ROUNDS, type DagStore } from '../dag/index.ts';
import type { Address, ValidatorEntry } from '../state/index.ts';
import { createCollectedVertices, type CollectedVertices } from './_collected.ts';

/** The epoch-scoped state of a validator: replaced as a whole at an epoch change. */
export type EpochContext = {
  readonly committee: Committee;
  /** This validator's member index, or undefined when it has no seat (it follows as an observer). */
  readonly self: number | undefined;
  readonly leaderSeed: Hash32;
  readonly store: DagStore;
  /** What the store collected, still served to peers for gc_depth more rounds (`_collected.ts`). */
  readonly collected: CollectedVertices;
  readonly schedule: LeaderElector;
  readonly linearizer: Linearizer;
};

/** The member index of `address` in `committee`, or undefined. */
export function seatOf(committee: Committee, address: Address): number | undefined {
  return committee.members.find((m) => bytesEqual(m.address, address))?.index;
}

export function createEpochContext(committee: Committee, selfAddress: Address, leaderSeed: Hash32, gcDepthRounds: number): EpochContext {
  return Object.freeze({
    committee,
    self: seatOf(committee, selfAddress),
    leaderSeed,
    // A validator catching up holds a chain of waiting vertices from its gc round to the newest
    // round peers send: gc_depth rounds and the future window, one vertex per author and round.
    store: createDagStore(committee, { maxPendingPerAuthor: Math.max(64, gcDepthRounds + DEFAULT_MAX_FUTURE_ROUNDS) }),
    collected: createCollectedVertices(gcDepthRounds),
    schedule: createLeaderSchedule(committee, leaderSeed),
    linearizer: createLinearizer({ gcDepthRounds }),
  });
}

/** Whether checkpoint `sequence` is the last of its epoch (`epoch_length` counts checkpoints). */
export function endsEpoch(sequence: bigint, epochLengthCheckpoints: number): boolean {
  if (!Number.isSafeInteger(epochLengthCheckpoints) || epochLengthCheckpoints < 1) throw new RangeError('endsEpoch: epochLengthCheckpoints must be a positive integer');
  return sequence > 0n && sequence % BigInt(epochLengthCheckpoints) === 0n;
}

/**
 * The next committee an end-of-epoch checkpoint carries: the validators the epoch boundary
 * selected (sorted by address, as the checkpoint codec requires), or — when that set is empty —
 * the outgoing committee unchanged, so the chain never halts for want of validators.
 */
export function nextCommitteeMembers(selected: readonly ValidatorEntry[], outgoing: Committee): readonly NextCommitteeMember[] {
  const source = selected.length > 0 ? selected : outgoing.members;
  return Object.freeze(source.map((v) => Object.freeze({ address: v.address, key: v.key, stake: v.stake })));
}
