/**
 * The genesis `params` object → ProtocolParams: ranges per parameter (`PARAM_SPECS`), then the
 * rules that tie parameters to each other and to the validator set.
 *
 * Cross-field rules, each with its reason:
 * - max_parents ≥ the quorum count of the validator set: a vertex must be able to reference a
 *   quorum of stake from the previous round, even when only the smallest validators answer.
 * - leader_timeout_ms > min_round_delay_ms: a timeout below the round floor fires every round.
 * - block_time_target_ms ≥ min_round_delay_ms; checkpoint_interval_ms ≥ block_time_target_ms.
 * - max_tx_bytes ≥ the largest possible evidence transaction: equivocation must always be
 *   provable on chain, whatever schemes the offender and the reporter use.
 * - max_mempool_bytes ≥ max_tx_bytes: a mempool that cannot hold one transaction is useless.
 */
import type { ErrorSink } from './genesisJson.ts';
import { readAmount, readInteger, readObject } from './genesisJson.ts';
import { DEFAULT_PARAMS, PARAM_SPECS, type ProtocolParams } from './params.ts';
import { maxEvidenceTxBytes } from './txLimits.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Reads `value` (absent: all defaults). Invalid parameters are reported and replaced by their
 * defaults, so the later rules can still run and report their own problems.
 */
export function readParams(value: unknown, chainId: string, report: ErrorSink): ProtocolParams {
  const params: Mutable<ProtocolParams> = { ...DEFAULT_PARAMS, chainId };
  if (value === undefined) return Object.freeze(params);
  const names = PARAM_SPECS.map((s) => s.name);
  const hints = { chain_id: 'chain_id is given at the top level of the genesis, not in params' };
  const record = readObject(value, 'params', names, [], report, hints);
  if (record === undefined) return Object.freeze(params);
  for (const spec of PARAM_SPECS) {
    if (!Object.hasOwn(record, spec.name)) continue;
    const path = `params.${spec.name}`;
    if (spec.kind === 'int') {
      const v = readInteger(record[spec.name], path, spec.min, spec.max, report);
      if (v !== undefined) params[spec.key] = v;
    } else {
      const v = readAmount(record[spec.name], path, spec.min, report);
      if (v !== undefined) params[spec.key] = v;
    }
  }
  return Object.freeze(params);
}

/**
 * The most validators a quorum may need: add stakes smallest first until they exceed 2/3 of
 * the total. Equal stakes of n validators give ⌊2n/3⌋ + 1 (4 → 3, 100 → 67).
 */
export function worstCaseQuorumCount(stakes: readonly bigint[]): number {
  const total = stakes.reduce((a, b) => a + b, 0n);
  const ascending = [...stakes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let sum = 0n;
  for (const [i, stake] of ascending.entries()) {
    sum += stake;
    if (3n * sum > 2n * total) return i + 1;
  }
  return ascending.length;
}

/** The rules between parameters, and between max_parents and the validator set. */
export function checkParamRules(params: ProtocolParams, validatorStakes: readonly bigint[], report: ErrorSink): void {
  if (validatorStakes.length > 0) {
    const quorum = worstCaseQuorumCount(validatorStakes);
    if (params.maxParents < quorum) {
      report('params.max_parents', `must be an integer ≥ the quorum count of the validator set (${quorum}), got ${params.maxParents}`);
    }
  }
  if (params.leaderTimeoutMs <= params.minRoundDelayMs) {
    report('params.leader_timeout_ms', `must be > min_round_delay_ms (${params.minRoundDelayMs}), got ${params.leaderTimeoutMs}`);
  }
  if (params.blockTimeTargetMs < params.minRoundDelayMs) {
    report('params.block_time_target_ms', `must be ≥ min_round_delay_ms (${params.minRoundDelayMs}), got ${params.blockTimeTargetMs}`);
  }
  if (params.checkpointIntervalMs < params.blockTimeTargetMs) {
    report('params.checkpoint_interval_ms', `must be ≥ block_time_target_ms (${params.blockTimeTargetMs}), got ${params.checkpointIntervalMs}`);
  }
  const evidenceBytes = maxEvidenceTxBytes();
  if (params.maxTxBytes < evidenceBytes) {
    report('params.max_tx_bytes', `must be ≥ ${evidenceBytes} (the largest evidence transaction, so equivocation is always provable), got ${params.maxTxBytes}`);
  }
  if (params.maxMempoolBytes < params.maxTxBytes) {
    report('params.max_mempool_bytes', `must be ≥ max_tx_bytes (${params.maxTxBytes}), got ${params.maxMempoolBytes}`);
  }
}
