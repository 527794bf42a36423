/**
 * The chain a simulation runs: genesis, committee, keys of the validators and of the funded
 * users who submit the workload. Keys come from public labels, so a run is reproducible from
 * its configuration alone (HOUSE-RULES 4).
 *
 * Validator i of a scenario is member i of the genesis committee (members are ordered by
 * address); stakes are assigned by member index after that ordering. Parameters are the
 * protocol defaults (DEFAULT_PARAMS), except `max_parents`, raised to the committee size when
 * the committee is larger than the default allows (a vertex needs a quorum of parents).
 */
import { addressFromPublicKey, schemeInfo, toHex, type KeyPair } from '../../core/crypto/index.ts';
import { createCommittee, epochLeaderSeed, type Committee } from '../../core/consensus/index.ts';
import { DEFAULT_PARAMS, genesisHash, genesisSupply, ledgerFromGenesis, type Address, type Genesis, type Ledger, type ProtocolParams } from '../../core/state/index.ts';
import type { StakeSpec } from '../scenario/types.ts';
import type { SimCrypto } from './crypto/simCrypto.ts';

export const SIM_CHAIN_ID = 'kaldrix-sim';
/** 2026-01-01T00:00:00Z: virtual time 0 of every run. */
export const SIM_GENESIS_TIME_MS = 1_767_225_600_000;
/** 10 million base units per equal seat (10x the minimum stake). */
const EQUAL_STAKE = 10_000_000n;
const MIN_STAKE = DEFAULT_PARAMS.minValidatorStake;
/** Users hold enough for ~10^7 transfers of amount 1 with fee 1,000. */
export const USER_BALANCE = 10_000_000_000_000n;

export type SimChain = {
  readonly genesis: Genesis;
  readonly committee: Committee;
  readonly ledger: Ledger;
  readonly genesisHash: Uint8Array;
  readonly leaderSeed: Uint8Array;
  readonly params: ProtocolParams;
  /** Key pairs by member index. */
  readonly validatorKeys: readonly KeyPair[];
  readonly users: readonly KeyPair[];
  readonly sink: Address;
  readonly supply: bigint;
};

export const addressOf = (keys: KeyPair): Address => addressFromPublicKey(schemeInfo(keys.scheme).tag, keys.publicKey);

/** Stake of member i (after ordering) under `spec`. */
function stakeOf(spec: StakeSpec, i: number): bigint {
  if (spec.kind === 'equal') return EQUAL_STAKE;
  if (spec.kind === 'list') return BigInt(spec.stakes[i] ?? 1) * MIN_STAKE;
  const weight = Math.round((100 * Number(EQUAL_STAKE)) / (i + 1) ** spec.exponent);
  return BigInt(Math.max(weight, Number(MIN_STAKE)));
}

export function buildChain(crypto: SimCrypto, validators: number, users: number, stake: StakeSpec = { kind: 'equal' }): SimChain {
  if (!Number.isInteger(validators) || validators < 1) throw new RangeError(`buildChain: validators must be a positive integer, got ${validators}`);
  const params: ProtocolParams = Object.freeze({ ...DEFAULT_PARAMS, chainId: SIM_CHAIN_ID, maxParents: Math.max(DEFAULT_PARAMS.maxParents, validators) });
  const byAddress = (keys: KeyPair[]): KeyPair[] =>
    keys.map((k) => ({ k, hex: toHex(addressOf(k)) })).sort((a, b) => (a.hex < b.hex ? -1 : 1)).map((e) => e.k);
  const validatorKeys = byAddress(Array.from({ length: validators }, (_, i) => crypto.keyPair(`sim-validator-${i}`)));
  const userKeys = Array.from({ length: users }, (_, i) => crypto.keyPair(`sim-user-${i}`));
  const sink = addressOf(crypto.keyPair('sim-user-sink'));
  const accounts = byAddress([...userKeys]).map((k) => ({ address: addressOf(k), balance: USER_BALANCE, key: { scheme: k.scheme, publicKey: k.publicKey } }));
  const genesis: Genesis = {
    chainId: SIM_CHAIN_ID,
    genesisTimeMs: SIM_GENESIS_TIME_MS,
    params,
    accounts,
    validators: validatorKeys.map((k, i) => ({ address: addressOf(k), key: { scheme: k.scheme, publicKey: k.publicKey }, stake: stakeOf(stake, i) })),
  };
  const committee = createCommittee(0n, genesis.validators);
  const hash = genesisHash(genesis);
  return Object.freeze({
    genesis,
    committee,
    ledger: ledgerFromGenesis(genesis),
    genesisHash: hash,
    leaderSeed: epochLeaderSeed(0n, hash),
    params,
    validatorKeys,
    users: userKeys,
    sink,
    supply: genesisSupply(genesis),
  });
}
