/**
 * The validator set an epoch boundary hands to consensus (for the end-of-epoch certificate).
 *
 * DESIGN.md §2 (validators with stake; quorum = more than two thirds of stake; a vertex needs
 * parents worth a quorum, so max_parents ≥ the quorum count). The rule:
 *   1. candidates: accounts with a key and stake ≥ min_validator_stake;
 *   2. ranked by stake descending, address ascending on ties;
 *   3. the set is the longest prefix of that ranking (at most MAX_GENESIS_VALIDATORS) whose
 *      WORST-CASE quorum count — the most validators a quorum may need, smallest stakes first,
 *      as `parseGenesis` checks for the genesis set — is ≤ max_parents; the first candidate that
 *      would break it ends the set (so the set never depends on smaller candidates after it);
 *   4. returned sorted by address (a validator's index there is its bit in signer bitmaps).
 * An empty result means nobody qualifies; consensus must then keep the outgoing set.
 */
import { compareBytes, type TaggedPublicKey } from '../crypto/index.ts';
import { MAX_GENESIS_VALIDATORS } from './genesisTypes.ts';
import type { ProtocolParams } from './params.ts';
import type { Account, Address, Amount } from './types.ts';

export type ValidatorEntry = { readonly address: Address; readonly key: TaggedPublicKey; readonly stake: Amount };

/** Addresses in bytewise order (the order of committees and signer bitmaps). */
export const compareAddresses: (a: Uint8Array, b: Uint8Array) => number = compareBytes;

/** Accounts that may validate: a key on record and stake ≥ min_validator_stake. */
export function validatorCandidates(
  accounts: readonly { readonly address: Address; readonly account: Account }[],
  params: Pick<ProtocolParams, 'minValidatorStake'>,
): ValidatorEntry[] {
  const out: ValidatorEntry[] = [];
  for (const { address, account } of accounts) {
    if (account.key !== undefined && account.stake >= params.minValidatorStake && account.stake > 0n) {
      out.push({ address, key: account.key, stake: account.stake });
    }
  }
  return out;
}

/**
 * Worst-case quorum count of the first k validators of a stake-descending ranking, given its
 * prefix sums (`prefix[m]` = stake of the top m). The smallest j with (sum of the j smallest)
 * > 2/3 total is k − m for the largest m with 3·prefix[m] < total (binary search).
 */
function worstCaseQuorumOfPrefix(prefix: readonly bigint[], k: number): number {
  const total = prefix[k] as bigint;
  let lo = 0;
  let hi = k;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (3n * (prefix[mid] as bigint) < total) lo = mid;
    else hi = mid - 1;
  }
  return k - lo;
}

/** The next validator set from `candidates` (see the module comment for the rule). */
export function selectValidatorSet(
  candidates: readonly ValidatorEntry[],
  params: Pick<ProtocolParams, 'maxParents'>,
): readonly ValidatorEntry[] {
  const ranked = [...candidates].sort((a, b) => (a.stake > b.stake ? -1 : a.stake < b.stake ? 1 : compareAddresses(a.address, b.address)));
  const prefix: bigint[] = [0n];
  let size = 0;
  for (const candidate of ranked.slice(0, MAX_GENESIS_VALIDATORS)) {
    prefix.push((prefix[prefix.length - 1] as bigint) + candidate.stake);
    if (worstCaseQuorumOfPrefix(prefix, size + 1) > params.maxParents) break;
    size++;
  }
  const chosen = ranked.slice(0, size).sort((a, b) => compareAddresses(a.address, b.address));
  return Object.freeze(chosen.map((v) => Object.freeze(v)));
}
