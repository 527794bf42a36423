/**
 * Protocol parameters: the values every node of one chain must agree on, fixed in the genesis.
 *
 * DESIGN.md §2. Operators write them in snake_case (genesis `params`, the TOML); TypeScript
 * uses camelCase with the unit last. `PARAM_SPECS` maps one to the other and states the range
 * a genesis may choose (checked by `parseGenesis`, which also checks the cross-field rules:
 * quorum vs. max_parents, timeouts vs. delays, and that evidence always fits a transaction).
 * Time values are milliseconds of the node's clock; counts are plain integers; the one amount
 * (min_validator_stake) is a u64 bigint, written as a decimal string in JSON.
 */

export type ProtocolParams = {
  readonly chainId: string;
  readonly maxTransactionsPerBlock: number;
  readonly maxParents: number;
  readonly blockTimeTargetMs: number;
  readonly epochLengthCheckpoints: number;
  readonly gcDepthRounds: number;
  readonly leaderTimeoutMs: number;
  readonly minRoundDelayMs: number;
  readonly maxForwardDriftMs: number;
  readonly checkpointIntervalMs: number;
  readonly maxTxBytes: number;
  readonly maxMempoolTxs: number;
  readonly maxMempoolBytes: number;
  readonly minValidatorStake: bigint;
  readonly unbondingEpochs: number;
  readonly slashFractionBps: number;
  readonly maxUnbondingEntries: number;
};

/** The hard ceiling of `max_unbonding_entries`: the account codec's list bound. */
export const MAX_UNBONDING_ENTRIES_LIMIT = 64;
/** Basis points in one whole (slash_fraction = 10,000 slashes everything). */
export const BPS_PER_UNIT = 10_000;

export const DEFAULT_PARAMS: ProtocolParams = Object.freeze({
  /** A devnet name; every real chain names itself in its genesis. */
  chainId: 'kaldrix-devnet',
  /**
   * Entries per vertex. At ~10 rounds/s and 4 validators, 1,000 gives 40,000 tx/s of headroom
   * over the 10,000 TPS target, and bounds a vertex to ~32 KB of batch digests.
   */
  maxTransactionsPerBlock: 1000,
  /**
   * Parent references per vertex: must be at least the quorum count (DESIGN.md §2). 256 admits
   * up to 383 equal-stake validators (quorum 256), or 300 (quorum 201) with room for weak links,
   * at 8 KB of parent hashes per vertex.
   */
  maxParents: 256,
  /** Target round duration under load: 2x the minimum round delay, so vertices batch well. */
  blockTimeTargetMs: 100,
  /**
   * Epoch length in CHECKPOINTS, not rounds: validator-set changes take effect at the end-of-epoch
   * checkpoint that carries the next set (DESIGN.md §2), so counting checkpoints puts every epoch
   * boundary on one. 3,600 checkpoints ≈ 1 hour at checkpoint_interval_ms = 1,000.
   */
  epochLengthCheckpoints: 3600,
  /**
   * Rounds kept below the last committed leader before vertices are dropped (cf. Mysticeti's
   * gc depth). 60 rounds ≈ 3–6 s at 50–100 ms rounds: a vertex from a validator delayed by
   * several leader timeouts (200 ms each) still gets linked and its transactions ordered, while
   * memory stays bounded at 60 × n vertices.
   */
  gcDepthRounds: 60,
  /** Mysticeti's default: long enough for a WAN round trip, short enough that a dead leader costs little. */
  leaderTimeoutMs: 200,
  /** Mysticeti's default: a floor on round duration so vertices carry batches, not single txs. */
  minRoundDelayMs: 50,
  /** Mysticeti's default: vertex timestamps further in our future than this are rejected. */
  maxForwardDriftMs: 500,
  /** About one finality certificate per second (DESIGN.md §2, PBFT stable checkpoints). */
  checkpointIntervalMs: 1000,
  /**
   * 64 KiB: an evidence transaction against an SLH-DSA validator, submitted by an SLH-DSA
   * account, carries three 17 KB signatures (~53 KB); evidence must always fit.
   */
  maxTxBytes: 64 * 1024,
  /** 5 s of the 10,000 TPS target. */
  maxMempoolTxs: 50_000,
  /** 50,000 transactions of ~5 KB (ML-DSA-65 with a key) fit; a hard memory ceiling per node. */
  maxMempoolBytes: 256 * 1024 * 1024,
  /** Makes a validator seat cost something (Sybil bound); chains set it against their supply. */
  minValidatorStake: 1_000_000n,
  /**
   * One week of 1-hour epochs: stake stays slashable long after it leaves, so evidence found
   * late still punishes (and long-range attacks need keys older than a week).
   */
  unbondingEpochs: 168,
  /** 5% per equivocation, as Cosmos SDK chains slash double signing: painful, not ruinous. */
  slashFractionBps: 500,
  /** Cosmos SDK's MaxEntries: bounds the account leaf; one entry per distinct release epoch. */
  maxUnbondingEntries: 7,
});

export type IntParamKey = Exclude<keyof ProtocolParams, 'chainId' | 'minValidatorStake'>;

/** The snake_case name and the allowed range of one parameter (bounds inclusive). */
export type ParamSpec =
  | { readonly key: IntParamKey; readonly name: string; readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly key: 'minValidatorStake'; readonly name: string; readonly kind: 'amount'; readonly min: bigint; readonly max: bigint };

const int = (key: IntParamKey, name: string, min: number, max: number): ParamSpec =>
  Object.freeze({ key, name, kind: 'int', min, max });

/** One mebibyte: the ceiling of any single transaction or a gossip message carrying it. */
const MIB = 1024 * 1024;

/** Every genesis parameter except chain_id (which the genesis carries at its top level). */
export const PARAM_SPECS: readonly ParamSpec[] = Object.freeze([
  int('maxTransactionsPerBlock', 'max_transactions_per_block', 1, 100_000),
  int('maxParents', 'max_parents', 1, 10_000),
  int('blockTimeTargetMs', 'block_time_target_ms', 1, 60_000),
  int('epochLengthCheckpoints', 'epoch_length', 1, 100_000_000),
  // The commit rule looks two rounds past a leader; a shallower gc would drop its votes.
  int('gcDepthRounds', 'gc_depth', 3, 1_000_000),
  int('leaderTimeoutMs', 'leader_timeout_ms', 1, 600_000),
  int('minRoundDelayMs', 'min_round_delay_ms', 0, 60_000),
  int('maxForwardDriftMs', 'max_forward_drift_ms', 0, 600_000),
  int('checkpointIntervalMs', 'checkpoint_interval_ms', 1, 3_600_000),
  int('maxTxBytes', 'max_tx_bytes', 1, MIB),
  int('maxMempoolTxs', 'max_mempool_txs', 1, 100_000_000),
  int('maxMempoolBytes', 'max_mempool_bytes', 1, Number.MAX_SAFE_INTEGER),
  Object.freeze({ key: 'minValidatorStake', name: 'min_validator_stake', kind: 'amount', min: 1n, max: (1n << 64n) - 1n }),
  int('unbondingEpochs', 'unbonding_epochs', 1, 1_000_000),
  int('slashFractionBps', 'slash_fraction', 0, BPS_PER_UNIT),
  int('maxUnbondingEntries', 'max_unbonding_entries', 1, MAX_UNBONDING_ENTRIES_LIMIT),
] as const);
