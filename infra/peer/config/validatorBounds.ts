/**
 * The validator's local bounds from a node's settings ([dag] and [consensus] in kaldrix.toml):
 * everything of `ValidatorInit` that is an operator's choice rather than a genesis parameter.
 */
import type { ValidatorInit } from '../../../core/validator/index.ts';
import type { PeerConfig } from './types.ts';

export type ValidatorBounds = Pick<ValidatorInit, 'maxLeaderTimeoutMs' | 'maxVerifyBacklog' | 'maxFetchRefs' | 'maxPendingEvidence' | 'maxVerdicts' | 'maxLoggedCommits' | 'maxLoggedBytes'>;

export function validatorBounds(config: PeerConfig): ValidatorBounds {
  const { dag, consensus } = config;
  return Object.freeze({
    ...(consensus.maxLeaderTimeoutMs === undefined ? {} : { maxLeaderTimeoutMs: consensus.maxLeaderTimeoutMs }),
    maxVerifyBacklog: dag.maxVerifyBacklog,
    maxFetchRefs: dag.maxFetchRefs,
    maxPendingEvidence: consensus.maxPendingEvidence,
    maxVerdicts: consensus.maxVerdicts,
    maxLoggedCommits: consensus.maxLoggedCommits,
    maxLoggedBytes: consensus.maxLoggedBytes,
  });
}
