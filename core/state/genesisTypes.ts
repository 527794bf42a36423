/**
 * The genesis: what a chain starts from (its id, start time, parameters, funded accounts and
 * first validator set), as `parseGenesis` returns it (deeply frozen).
 *
 * DESIGN.md §2 Ledger; the JSON file format is described in `genesisJson.ts`. Both lists are
 * sorted by address bytes, so equal contents give an equal genesis hash whatever the file's
 * order; a validator's index in that order is its position in signer bitmaps.
 */
import type { TaggedPublicKey } from '../crypto/index.ts';
import type { ProtocolParams } from './params.ts';
import type { Address, Amount } from './types.ts';

export type GenesisAccount = {
  readonly address: Address;
  readonly balance: Amount;
  /** Known key, if the file gives one (it must derive the address). */
  readonly key?: TaggedPublicKey | undefined;
};

export type GenesisValidator = {
  readonly address: Address;
  /** The validator key = its account key (it must derive the address). */
  readonly key: TaggedPublicKey;
  readonly stake: Amount;
};

export type Genesis = {
  readonly chainId: string;
  /** Unix time in milliseconds at which round 0 may start. */
  readonly genesisTimeMs: number;
  readonly params: ProtocolParams;
  readonly accounts: readonly GenesisAccount[];
  readonly validators: readonly GenesisValidator[];
};

/** One problem in a genesis file: where (a JSON path such as `validators[2].stake`) and what. */
export type GenesisError = { readonly path: string; readonly message: string };

/** Largest validator set a genesis may name (and the codec's list bound). */
export const MAX_GENESIS_VALIDATORS = 10_000;
/** Largest number of funded accounts a genesis may name (and the codec's list bound). */
export const MAX_GENESIS_ACCOUNTS = 1_000_000;
