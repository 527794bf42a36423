/**
 * A local devnet's genesis: fresh ML-DSA-44 keys for N validators (equal stake) and a few funded
 * user accounts, as the genesis JSON `parseGenesis` reads (core/state/genesis.ts) plus the key
 * pairs, which the devnet writes as plaintext key files (throwaway keys: never for value).
 *
 * Protocol parameters are the defaults except where a laptop devnet wants faster feedback: a
 * checkpoint every 500 ms (finality certificates show up quickly in the light client page),
 * and short epochs (60 checkpoints: an epoch change every half minute, so the light client's
 * ratchet has something to do).
 */
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { randomBytes } from 'node:crypto';
import { addressFromPublicKey, encodeAddress, schemeInfo, toHex, type KeyPair } from '../../../core/crypto/index.ts';

export type DevnetGenesisPlan = {
  readonly validators: number;
  /** Funded user accounts (the wallet and the tests spend from them). */
  readonly users: number;
  readonly chainId: string;
  readonly genesisTimeMs: number;
};

export type DevnetGenesis = {
  readonly text: string;
  readonly validatorKeys: readonly KeyPair[];
  readonly userKeys: readonly KeyPair[];
};

const VALIDATOR_STAKE = '10000000';
const USER_BALANCE = '1000000000000';
/** A validator also holds some liquid balance, to pay fees (e.g. to unbond). */
const VALIDATOR_BALANCE = '1000000000';

export const DEVNET_PARAMS = Object.freeze({ checkpoint_interval_ms: 500, epoch_length: 60 });

function freshKeyPair(): KeyPair {
  const { publicKey, secretKey } = ml_dsa44.keygen(new Uint8Array(randomBytes(32)));
  return Object.freeze({ scheme: 'ml-dsa-44', publicKey, secretKey });
}

export function addressTextOf(keys: KeyPair): string {
  return encodeAddress(addressFromPublicKey(schemeInfo(keys.scheme).tag, keys.publicKey));
}

export function buildDevnetGenesis(plan: DevnetGenesisPlan): DevnetGenesis {
  if (!Number.isInteger(plan.validators) || plan.validators < 1 || plan.validators > 100) throw new RangeError('devnet: validators must be an integer in 1..100');
  if (!Number.isInteger(plan.users) || plan.users < 0 || plan.users > 100) throw new RangeError('devnet: users must be an integer in 0..100');
  const validatorKeys = Array.from({ length: plan.validators }, freshKeyPair);
  const userKeys = Array.from({ length: plan.users }, freshKeyPair);
  const account = (keys: KeyPair, balance: string): { address: string; balance: string; scheme: string; public_key: string } => ({ address: addressTextOf(keys), balance, scheme: keys.scheme, public_key: toHex(keys.publicKey) });
  // parseGenesis wants accounts and validators in ascending address order.
  const byAddress = <T extends { address: string }>(list: T[]): T[] => list.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const doc = {
    chain_id: plan.chainId,
    genesis_time_ms: plan.genesisTimeMs,
    params: DEVNET_PARAMS,
    accounts: byAddress([...userKeys.map((k) => account(k, USER_BALANCE)), ...validatorKeys.map((k) => account(k, VALIDATOR_BALANCE))]),
    validators: byAddress(validatorKeys.map((keys) => ({ address: addressTextOf(keys), scheme: keys.scheme, public_key: toHex(keys.publicKey), stake: VALIDATOR_STAKE }))),
  };
  return Object.freeze({ text: `${JSON.stringify(doc, null, 2)}\n`, validatorKeys: Object.freeze(validatorKeys), userKeys: Object.freeze(userKeys) });
}
