/**
 * `parseGenesis`: a genesis JSON text → a frozen `Genesis`, or the list of ALL its problems,
 * each naming the JSON path and what is allowed. Never throws on any text.
 *
 * DESIGN.md §2 Ledger. Format: `genesisJson.ts`; parameter rules: `genesisParams.ts`; hash and
 * initial accounts: `genesisCodec.ts`. Rules checked here, over the whole file: at least one
 * validator; no address twice in one list; an address in both lists carries one key; the total
 * supply (balances + stakes) fits a u64.
 */
import { bytesEqual, compareBytes, toHex } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import { describe, readAccount, readChainId, readInteger, readObject, readValidator, type ErrorSink } from './genesisJson.ts';
import { checkParamRules, readParams } from './genesisParams.ts';
import {
  MAX_GENESIS_ACCOUNTS,
  MAX_GENESIS_VALIDATORS,
  type Genesis,
  type GenesisAccount,
  type GenesisError,
  type GenesisValidator,
} from './genesisTypes.ts';
import { DEFAULT_PARAMS } from './params.ts';
import { U64_MAX } from './types.ts';

/** Reports beyond this many are summarised in one last entry: the output stays bounded. */
export const MAX_GENESIS_ERRORS = 100;

const TOP_LEVEL_KEYS = ['chain_id', 'genesis_time_ms', 'params', 'accounts', 'validators'] as const;
const REQUIRED_KEYS = ['chain_id', 'genesis_time_ms', 'accounts', 'validators'] as const;

type Indexed<T> = { readonly path: string; readonly value: T };

function readList<T>(
  value: unknown,
  path: string,
  bounds: { readonly min: number; readonly max: number },
  readItem: (item: unknown, itemPath: string) => T | undefined,
  report: ErrorSink,
): Indexed<T>[] {
  if (!Array.isArray(value) || value.length < bounds.min || value.length > bounds.max) {
    const got = Array.isArray(value) ? `${value.length} entries` : describe(value);
    report(path, `must be an array of ${bounds.min} to ${bounds.max} entries, got ${got}`);
    return [];
  }
  const out: Indexed<T>[] = [];
  value.forEach((item: unknown, i) => {
    const itemPath = `${path}[${i}]`;
    const parsed = readItem(item, itemPath);
    if (parsed !== undefined) out.push({ path: itemPath, value: parsed });
  });
  return out;
}

function checkUnique(entries: readonly Indexed<{ readonly address: Uint8Array }>[], report: ErrorSink): Map<string, Indexed<unknown>> {
  const seen = new Map<string, Indexed<unknown>>();
  for (const entry of entries) {
    const id = toHex(entry.value.address);
    const first = seen.get(id);
    if (first !== undefined) report(`${entry.path}.address`, `duplicate address; first given at ${first.path}.address`);
    else seen.set(id, entry);
  }
  return seen;
}

function checkAcrossLists(
  accounts: readonly Indexed<GenesisAccount>[],
  validators: readonly Indexed<GenesisValidator>[],
  report: ErrorSink,
): void {
  const byAddress = new Map(validators.map((v) => [toHex(v.value.address), v]));
  for (const account of accounts) {
    const validator = byAddress.get(toHex(account.value.address));
    const key = account.value.key;
    if (validator === undefined || key === undefined) continue;
    if (key.scheme !== validator.value.key.scheme || !bytesEqual(key.publicKey, validator.value.key.publicKey)) {
      report(`${account.path}.public_key`, `differs from the key of the same address at ${validator.path}; an account has one key`);
    }
  }
  const supply =
    accounts.reduce((sum, a) => sum + a.value.balance, 0n) + validators.reduce((sum, v) => sum + v.value.stake, 0n);
  if (supply > U64_MAX) report('accounts', `total supply (balances + stakes) must be ≤ ${U64_MAX}, got ${supply}`);
}

function byAddress<T extends { readonly address: Uint8Array }>(entries: readonly Indexed<T>[]): readonly T[] {
  const values = entries.map((e) => e.value);
  values.sort((a, b) => compareBytes(a.address, b.address));
  return Object.freeze(values);
}

function collector(): { readonly errors: GenesisError[]; readonly report: ErrorSink } {
  const errors: GenesisError[] = [];
  let dropped = 0;
  const report: ErrorSink = (path, message) => {
    if (errors.length < MAX_GENESIS_ERRORS) errors.push(Object.freeze({ path, message }));
    else dropped++;
  };
  return {
    get errors() {
      return dropped === 0 ? errors : [...errors, Object.freeze({ path: '', message: `… and ${dropped} more problems` })];
    },
    report,
  };
}

export function parseGenesis(text: string): Result<Genesis, readonly GenesisError[]> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return err(Object.freeze([Object.freeze({ path: '', message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` })]));
  }
  const sink = collector();
  const { report } = sink;
  const record = readObject(json, '', TOP_LEVEL_KEYS, REQUIRED_KEYS, report);
  if (record === undefined) return err(Object.freeze(sink.errors));
  const chainId = readChainId(record['chain_id'], 'chain_id', report);
  const genesisTimeMs = readInteger(record['genesis_time_ms'], 'genesis_time_ms', 0, Number.MAX_SAFE_INTEGER, report);
  const params = readParams(record['params'], chainId ?? DEFAULT_PARAMS.chainId, report);
  const accounts = readList(record['accounts'], 'accounts', { min: 0, max: MAX_GENESIS_ACCOUNTS }, (v, p) => readAccount(v, p, report), report);
  const validators = readList(
    record['validators'],
    'validators',
    { min: 1, max: MAX_GENESIS_VALIDATORS },
    (v, p) => readValidator(v, p, params.minValidatorStake, report),
    report,
  );
  checkUnique(accounts, report);
  checkUnique(validators, report);
  checkAcrossLists(accounts, validators, report);
  checkParamRules(params, validators.map((v) => v.value.stake), report);
  const errors = sink.errors;
  if (errors.length > 0 || chainId === undefined || genesisTimeMs === undefined) return err(Object.freeze(errors));
  return ok(Object.freeze({ chainId, genesisTimeMs, params, accounts: byAddress(accounts), validators: byAddress(validators) }));
}
