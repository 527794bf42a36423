/**
 * The light client's state and vocabulary: what it trusts, how far it got, and the verifier it
 * needs. Plain frozen values: every transition (`advanceEpoch`, `acceptCheckpoint`) returns a
 * new state and never mutates the old one, so a shell can persist, compare or roll back freely.
 *
 * DESIGN.md §2 Light client: "trusts one thing: a genesis (or a pinned checkpoint) with its
 * validator set; from there it ratchets through end-of-epoch certificates, then verifies the
 * newest finality certificate". No raw signature is ever part of the state: after a
 * certificate verified, only its checkpoint (the summary) and the checkpoint's hash are kept.
 */
import type { Checkpoint, Committee, QuorumVerifier } from '../consensus/index.ts';
import type { Hash32, VerifyPool } from '../crypto/index.ts';

/** The newest checkpoint the client trusts, and its hash (what the next certificate links to). */
export type TrustedCheckpoint = {
  readonly checkpoint: Checkpoint;
  readonly hash: Hash32;
};

/**
 * Where trust starts. `committeeHash` names the committee trusted right after the root
 * (the genesis committee, or the committee a pinned checkpoint's epoch continues with), so a
 * reloaded state can be re-checked without the root's full committee.
 */
export type TrustRoot =
  | {
      readonly kind: 'genesis';
      readonly chainId: string;
      readonly genesisHash: Hash32;
      readonly committeeHash: Hash32;
    }
  | {
      readonly kind: 'checkpoint';
      readonly chainId: string;
      readonly checkpoint: TrustedCheckpoint;
      /** When the operator pinned it (ms since the Unix epoch); the age warning counts from it. */
      readonly pinnedAtMs: number;
      readonly committeeHash: Hash32;
    };

/** One committee handover the client verified: epoch `epoch` ended at `sequence`. */
export type EpochLink = {
  readonly epoch: bigint;
  readonly sequence: bigint;
  readonly checkpointHash: Hash32;
  /** `committeeHash` of the committee of `epoch + 1` that this checkpoint carried. */
  readonly nextCommitteeHash: Hash32;
};

export type LightState = {
  readonly chainId: string;
  readonly root: TrustRoot;
  /** The committee trusted now: it vouches for certificates of `committee.epoch` only. */
  readonly committee: Committee;
  /** The newest trusted checkpoint; undefined only while a genesis-rooted client has none. */
  readonly head: TrustedCheckpoint | undefined;
  /** Every handover since the root, oldest first (at most MAX_EPOCH_LINKS, the newest kept). */
  readonly epochChain: readonly EpochLink[];
  /**
   * Hex hashes of checkpoints already verified, newest last (at most ACCEPTED_CACHE_ENTRIES):
   * a certificate for one of them is answered without checking a signature again.
   */
  readonly acceptedHashes: readonly string[];
};

/** The verify pool's entry points the light client uses (the pool, or a stand-in with its contract). */
export type LightVerifier = QuorumVerifier & Pick<VerifyPool, 'verifyBatch'>;

/** Bound of `LightState.acceptedHashes`: a few peers' worth of recent heads; older ones are stale anyway. */
export const ACCEPTED_CACHE_ENTRIES = 64;
/**
 * Bound of `LightState.epochChain`: 100,000 handovers (eleven years of hourly epochs) ≈ 7 MB
 * encoded; beyond it the oldest links are dropped (the committee and head stay exact).
 */
export const MAX_EPOCH_LINKS = 100_000;
