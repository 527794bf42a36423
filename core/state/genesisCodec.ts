/**
 * The genesis's canonical encoding and hash, and the initial accounts it creates.
 *
 * DESIGN.md §2. Layout (docs/codec.md): chainId || genesisTimeMs varint || params (every
 * parameter in `ProtocolParams` order except chainId: varints, minValidatorStake u64)
 * || accounts list(address, balance u64, option(key)) || validators list(address, key, stake u64).
 * `parseGenesis` sorts both lists by address, so the hash depends on the content only.
 * genesisHash = hashDomain('kaldrix/genesis/v1', encoding): what nodes and light clients pin.
 */
import { list, option, struct, varint, type Codec } from '../codec/index.ts';
import { hashDomain, toHex, type Hash32 } from '../crypto/index.ts';
import { EMPTY_ACCOUNT } from './account.ts';
import { MAX_GENESIS_ACCOUNTS, MAX_GENESIS_VALIDATORS, type Genesis } from './genesisTypes.ts';
import type { ProtocolParams } from './params.ts';
import { addressCodec, amountCodec, chainIdCodec, publicKeyCodec } from './txFields.ts';
import type { Account, Address } from './types.ts';

const paramsCodec: Codec<Omit<ProtocolParams, 'chainId'>> = struct({
  maxTransactionsPerBlock: varint,
  maxParents: varint,
  blockTimeTargetMs: varint,
  epochLengthCheckpoints: varint,
  gcDepthRounds: varint,
  leaderTimeoutMs: varint,
  minRoundDelayMs: varint,
  maxForwardDriftMs: varint,
  checkpointIntervalMs: varint,
  maxTxBytes: varint,
  maxMempoolTxs: varint,
  maxMempoolBytes: varint,
  minValidatorStake: amountCodec,
  unbondingEpochs: varint,
  slashFractionBps: varint,
  maxUnbondingEntries: varint,
});

const genesisWireCodec = struct({
  chainId: chainIdCodec,
  genesisTimeMs: varint,
  params: paramsCodec,
  accounts: list(struct({ address: addressCodec, balance: amountCodec, key: option(publicKeyCodec) }), {
    maxItems: MAX_GENESIS_ACCOUNTS,
  }),
  validators: list(struct({ address: addressCodec, key: publicKeyCodec, stake: amountCodec }), {
    maxItems: MAX_GENESIS_VALIDATORS,
  }),
});

/** Canonical bytes of a parsed genesis. */
export function encodeGenesis(genesis: Genesis): Uint8Array {
  return genesisWireCodec.encode(genesis);
}

/** The chain's identity: BLAKE3 (domain `kaldrix/genesis/v1`) of `encodeGenesis`. */
export function genesisHash(genesis: Genesis): Hash32 {
  return hashDomain('kaldrix/genesis/v1', encodeGenesis(genesis));
}

export type GenesisStateEntry = { readonly address: Address; readonly account: Account };

/**
 * The accounts the chain starts with, sorted by address: balances and keys from `accounts`,
 * stake and keys from `validators` (an address in both lists is one account). Nonces start at 0.
 */
export function genesisAccounts(genesis: Genesis): readonly GenesisStateEntry[] {
  const merged = new Map<string, { address: Address; account: Account }>();
  for (const a of genesis.accounts) {
    merged.set(toHex(a.address), { address: a.address, account: { ...EMPTY_ACCOUNT, balance: a.balance, key: a.key } });
  }
  for (const v of genesis.validators) {
    const id = toHex(v.address);
    const base = merged.get(id)?.account ?? EMPTY_ACCOUNT;
    merged.set(id, { address: v.address, account: { ...base, key: v.key, stake: v.stake } });
  }
  const entries = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.freeze(entries.map(([, e]) => Object.freeze({ address: e.address, account: Object.freeze(e.account) })));
}
