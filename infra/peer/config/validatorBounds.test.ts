// Every validator bound an operator sets in [dag] and [consensus] reaches the validator's init
// (they were once validated, then dropped on the way).
import { describe, expect, it } from 'vitest';
import { VALIDATOR_DEFAULTS } from '../../../core/validator/index.ts';
import { loadPeerConfig } from './load.ts';
import { validatorBounds } from './validatorBounds.ts';

/** The keys every config needs, so each test states only what it is about. */
const REQUIRED = 'chain_id = "testnet-1"\ngenesis = "genesis.json"\n[storage]\ndata_dir = "/tmp/k"\n';

describe('validatorBounds', () => {
  it('carries each [dag] and [consensus] bound of the validator', () => {
    const env = {
      KALDRIX_DAG_MAX_VERIFY_BACKLOG: '77',
      KALDRIX_DAG_MAX_FETCH_REFS: '33',
      KALDRIX_CONSENSUS_MAX_LEADER_TIMEOUT_MS: '999',
      KALDRIX_CONSENSUS_MAX_PENDING_EVIDENCE: '5',
      KALDRIX_CONSENSUS_MAX_VERDICTS: '4321',
      KALDRIX_CONSENSUS_MAX_LOGGED_COMMITS: '128',
      KALDRIX_CONSENSUS_MAX_LOGGED_BYTES: String(8 * 1024 * 1024),
    };
    const loaded = loadPeerConfig({ flags: {}, env, tomlText: REQUIRED });
    if (!loaded.ok) throw new Error('config refused');
    expect(validatorBounds(loaded.value)).toEqual({
      maxVerifyBacklog: 77,
      maxFetchRefs: 33,
      maxLeaderTimeoutMs: 999,
      maxPendingEvidence: 5,
      maxVerdicts: 4321,
      maxLoggedCommits: 128,
      maxLoggedBytes: 8 * 1024 * 1024,
    });
  });

  it('leaves the leader-timeout ceiling to the validator when unset, and defaults the rest', () => {
    const loaded = loadPeerConfig({ flags: {}, env: {}, tomlText: REQUIRED });
    if (!loaded.ok) throw new Error('config refused');
    const bounds = validatorBounds(loaded.value);
    expect('maxLeaderTimeoutMs' in bounds).toBe(false);
    expect(bounds.maxLoggedCommits).toBe(VALIDATOR_DEFAULTS.maxLoggedCommits);
    expect(bounds.maxLoggedBytes).toBe(VALIDATOR_DEFAULTS.maxLoggedBytes);
  });
});
