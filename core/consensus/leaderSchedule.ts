/**
 * The stake-weighted leader schedule of one epoch: exactly one leader per round.
 *
 * DESIGN.md §2 DAG and consensus ("the leader's vertex at round r (stake-weighted leader
 * schedule per epoch)"). The idea follows Mysticeti's stake-based election
 * (`MystenLabs/sui` consensus/core/src/leader_schedule.rs): a deterministic pseudo-random draw
 * per round, weighted by stake, that every validator computes alone from public data.
 *
 * Draw: d = BLAKE3-derive-key('kaldrix/leader/v1', seed, u64 round) read as a 256-bit
 * big-endian integer; x = d mod totalStake; the leader is the first member whose cumulative
 * stake exceeds x (members in index order). Modulo bias: each x has probability
 * ⌊2^256/T⌋/2^256 or ⌈2^256/T⌉/2^256, so it differs from 1/T by less than 2^-256, and the
 * whole distribution is within statistical distance T/2^256 of exact (below 2^-128 for any
 * total stake under 2^128) — far below anything observable, so no rejection sampling.
 *
 * The seed is a parameter: the genesis hash for the first epoch, then a digest fixed before
 * the epoch starts (`epochLeaderSeed`, e.g. of the previous epoch's final commit digest), so
 * nobody can grind the schedule of a running epoch.
 *
 * One leader per round (Mysticeti allows several): it keeps the PBFT picture one-to-one — one
 * pre-prepare per view, one view change per skipped leader — and the commit rule's work per
 * round constant. Several leaders mainly shorten the wait of non-leader vertices when rounds
 * are long; our rounds are paced by the network (tens of ms), and the rule is written per slot,
 * so more leaders per round can be added later without changing it.
 */
import { createDomainHash, type Hash32, isHash32, toHex } from '../crypto/index.ts';
import type { Committee } from './committee.ts';
import { u64Bytes } from './_vertexRefs.ts';

const leaderDraw = createDomainHash('kaldrix/leader/v1');
const epochSeedHash = createDomainHash('kaldrix/leader-seed/v1');

/** Anything that names the leader of a round: the commit rule needs only this. */
export type LeaderElector = {
  /** The leader's member index for `round`. */
  leaderOf(round: number): number;
};

/** One epoch's schedule: the committee and seed it was built from, and the election. */
export type LeaderSchedule = LeaderElector & {
  readonly committee: Committee;
  readonly seed: Hash32;
};

function checkRound(round: number): void {
  if (!Number.isSafeInteger(round) || round < 0) throw new RangeError(`round must be a non-negative safe integer, got ${round}`);
}

/** Builds the schedule once (cumulative stakes precomputed); `leaderOf` is then O(log n). */
export function createLeaderSchedule(committee: Committee, seed: Hash32): LeaderSchedule {
  if (!isHash32(seed)) throw new TypeError('createLeaderSchedule: seed must be a 32-byte hash');
  const seedCopy = Uint8Array.from(seed);
  const cumulative: bigint[] = [];
  let sum = 0n;
  for (const member of committee.members) {
    sum += member.stake;
    cumulative.push(sum);
  }
  if (sum !== committee.totalStake || sum <= 0n) throw new RangeError('createLeaderSchedule: member stakes do not add up to totalStake');
  const leaderOfRound = (round: number): number => {
    checkRound(round);
    const draw = BigInt(`0x${toHex(leaderDraw(seedCopy, u64Bytes(round)))}`) % sum;
    // First index with draw < cumulative[index]: binary search, the array is increasing.
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (draw < (cumulative[mid] as bigint)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return Object.freeze({ committee, seed: seedCopy, leaderOf: leaderOfRound });
}

/** The leader of `round` under `seed`: a one-shot `createLeaderSchedule(committee, seed).leaderOf(round)`. */
export function leaderOf(committee: Committee, round: number, seed: Hash32): number {
  return createLeaderSchedule(committee, seed).leaderOf(round);
}

/**
 * The seed of epoch `epoch`'s schedule, from a digest everyone agreed on before the epoch began
 * (the genesis hash, or the previous epoch's final commit digest). Binding the epoch number keeps
 * two epochs that start from the same digest from sharing a schedule.
 */
export function epochLeaderSeed(epoch: bigint, agreedDigest: Hash32): Hash32 {
  if (!isHash32(agreedDigest)) throw new TypeError('epochLeaderSeed: agreedDigest must be a 32-byte hash');
  return epochSeedHash(u64Bytes(epoch), agreedDigest);
}
