/**
 * The committee of one epoch: validators with stake, and the quorum arithmetic of BFT.
 *
 * DESIGN.md §2 DAG and consensus: n = 3f + 1 by stake; a quorum is MORE than two thirds of the
 * total stake, a validity set is more than one third (at least one honest member). Members are
 * ordered by address; a member's position is its `index`, used as the vertex `author` and as the
 * bit position in certificate signer bitmaps.
 */
import { compareBytes, type TaggedPublicKey } from '../crypto/index.ts';
import type { Address, Amount } from '../state/index.ts';

export type CommitteeMember = {
  readonly index: number;
  readonly address: Address;
  readonly key: TaggedPublicKey;
  readonly stake: Amount;
};

export type Committee = {
  readonly epoch: bigint;
  readonly members: readonly CommitteeMember[];
  readonly totalStake: Amount;
  /** Smallest stake that is more than 2/3 of the total: floor(2·total/3) + 1. */
  readonly quorumStake: Amount;
  /** Smallest stake that is more than 1/3 of the total: floor(total/3) + 1. */
  readonly validityStake: Amount;
};

/** Largest committee: keeps author indices in a u16 and bitmaps small. */
export const MAX_COMMITTEE_SIZE = 10_000;

/**
 * Builds a committee from validator entries (any order; they are sorted by address).
 * Bad arguments are bugs of the caller (the ledger produces the set): they throw.
 */
export function createCommittee(
  epoch: bigint,
  validators: readonly { readonly address: Address; readonly key: TaggedPublicKey; readonly stake: Amount }[],
): Committee {
  if (validators.length === 0) throw new RangeError('createCommittee: a committee needs at least one member');
  if (validators.length > MAX_COMMITTEE_SIZE) throw new RangeError(`createCommittee: at most ${MAX_COMMITTEE_SIZE} members, got ${validators.length}`);
  const sorted = [...validators].sort((a, b) => compareBytes(a.address, b.address));
  let totalStake = 0n;
  const members = sorted.map((v, index) => {
    if (v.stake <= 0n) throw new RangeError(`createCommittee: member ${index} has non-positive stake`);
    if (index > 0 && compareBytes((sorted[index - 1] as typeof v).address, v.address) === 0) {
      throw new RangeError('createCommittee: duplicate member address');
    }
    totalStake += v.stake;
    return Object.freeze({ index, address: v.address, key: v.key, stake: v.stake });
  });
  return Object.freeze({
    epoch,
    members: Object.freeze(members),
    totalStake,
    quorumStake: (2n * totalStake) / 3n + 1n,
    validityStake: totalStake / 3n + 1n,
  });
}

export function memberStake(committee: Committee, index: number): Amount {
  const m = committee.members[index];
  if (m === undefined) throw new RangeError(`memberStake: no member ${index} in a committee of ${committee.members.length}`);
  return m.stake;
}

/** Total stake of a set of distinct member indices (duplicates counted once). */
export function stakeOf(committee: Committee, indices: Iterable<number>): Amount {
  const seen = new Set<number>();
  let sum = 0n;
  for (const i of indices) {
    if (seen.has(i)) continue;
    seen.add(i);
    sum += memberStake(committee, i);
  }
  return sum;
}

export const isQuorum = (committee: Committee, stake: Amount): boolean => stake >= committee.quorumStake;
export const isValidity = (committee: Committee, stake: Amount): boolean => stake >= committee.validityStake;
