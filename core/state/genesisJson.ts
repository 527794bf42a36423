/**
 * Reads a genesis JSON value field by field, collecting EVERY problem with its JSON path and
 * what is allowed (cross-field rules live in `genesisRules.ts`).
 *
 * The file format (snake_case keys; unknown keys are errors, so a typo never silently falls
 * back to a default):
 *   {
 *     "chain_id": "kaldrix-devnet",            1–32 chars of a–z 0–9 . _ -
 *     "genesis_time_ms": 1767225600000,        integer, Unix milliseconds
 *     "params": { "max_parents": 256, … },     optional; each key optional (defaults: params.ts);
 *                                              integers as JSON numbers, amounts as strings
 *     "accounts": [ { "address": "kdx1…", "balance": "1000", "scheme"?: "ml-dsa-44",
 *                     "public_key"?: "<hex of the raw key>" } ],
 *     "validators": [ { "address": "kdx1…", "scheme": "ml-dsa-44", "public_key": "<hex>",
 *                       "stake": "5000000" } ]
 *   }
 * Amounts are decimal strings (a u64 does not fit a JSON number). Keys are written as in key
 * files (`keyfile.ts`): the scheme name and the raw key bytes in hex. Stake is given only in
 * `validators`; an address may appear in both lists (liquid balance and stake).
 */
import { parseAddress, parseHex, parseSchemeName, schemeInfo, type TaggedPublicKey } from '../crypto/index.ts';
import { CHAIN_ID_MAX_BYTES } from './txFields.ts';
import { keyDerivesAddress } from './txValidate.ts';
import type { GenesisAccount, GenesisValidator } from './genesisTypes.ts';
import { U64_MAX, type Address } from './types.ts';

/** Where errors go; parsing continues after each so that all of them are reported. */
export type ErrorSink = (path: string, message: string) => void;

type JsonObject = { readonly [key: string]: unknown };

const CHAIN_ID_PATTERN = new RegExp(`^[a-z0-9._-]{1,${CHAIN_ID_MAX_BYTES}}$`);
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
/** A u64 has at most 20 decimal digits; longer strings are refused before BigInt sees them. */
const U64_MAX_DIGITS = 20;

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}

/** An object with only `allowed` keys and every `required` one; undefined if not an object. */
export function readObject(
  value: unknown,
  path: string,
  allowed: readonly string[],
  required: readonly string[],
  report: ErrorSink,
  /** Messages for keys that are known mistakes (e.g. stake in accounts[]), instead of "unknown key". */
  hints: Readonly<Record<string, string>> = {},
): JsonObject | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    report(path, `must be an object, got ${describe(value)}`);
    return undefined;
  }
  const record = value as JsonObject;
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  for (const key of Object.keys(record)) {
    if (allowed.includes(key)) continue;
    report(at(key), Object.hasOwn(hints, key) ? (hints[key] as string) : `unknown key; allowed: ${allowed.join(', ')}`);
  }
  for (const key of required) {
    if (!Object.hasOwn(record, key)) report(at(key), 'is required');
  }
  return record;
}

export function readInteger(value: unknown, path: string, min: number, max: number, report: ErrorSink): number | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    report(path, `must be an integer in [${min}, ${max}], got ${describe(value)}`);
    return undefined;
  }
  return value;
}

/** A decimal string amount in [min, 2^64 − 1]. */
export function readAmount(value: unknown, path: string, min: bigint, report: ErrorSink): bigint | undefined {
  const allowed = `must be a decimal string of an integer in [${min}, ${U64_MAX}]`;
  if (typeof value !== 'string' || value.length > U64_MAX_DIGITS || !DECIMAL.test(value)) {
    report(path, `${allowed}, got ${describe(value)}`);
    return undefined;
  }
  const amount = BigInt(value);
  if (amount < min || amount > U64_MAX) {
    report(path, `${allowed}, got ${value}`);
    return undefined;
  }
  return amount;
}

export function readChainId(value: unknown, path: string, report: ErrorSink): string | undefined {
  if (typeof value !== 'string' || !CHAIN_ID_PATTERN.test(value)) {
    report(path, `must be 1–${CHAIN_ID_MAX_BYTES} characters of a–z, 0–9, '.', '_', '-', got ${describe(value)}`);
    return undefined;
  }
  return value;
}

export function readAddress(value: unknown, path: string, report: ErrorSink): Address | undefined {
  const r = parseAddress(value);
  if (!r.ok) {
    report(path, `must be a kdx1… bech32m address, got ${describe(value)} (${r.error.code})`);
    return undefined;
  }
  return r.value;
}

/** `scheme` + `public_key` (raw hex) of `record` → a key that derives `address` (when known). */
function readKey(record: JsonObject, path: string, address: Address | undefined, report: ErrorSink): TaggedPublicKey | undefined {
  const schemeText = record['scheme'];
  const scheme = typeof schemeText === 'string' ? parseSchemeName(schemeText) : undefined;
  if (scheme === undefined) {
    report(`${path}.scheme`, `must be a signature scheme name (ml-dsa-44, ml-dsa-65, ml-dsa-87, slh-dsa-sha2-128f, falcon-512, ml-dsa-44+ed25519), got ${describe(schemeText)}`);
  }
  const hex = parseHex(record['public_key']);
  if (!hex.ok) {
    report(`${path}.public_key`, `must be the public key in hex, got ${describe(record['public_key'])} (${hex.error.reason})`);
    return undefined;
  }
  if (scheme === undefined) return undefined;
  const expectedBytes = schemeInfo(scheme).publicKeyBytes;
  if (hex.value.length !== expectedBytes) {
    report(`${path}.public_key`, `must be ${expectedBytes} bytes for ${scheme}, got ${hex.value.length}`);
    return undefined;
  }
  const key = Object.freeze({ scheme, publicKey: hex.value });
  if (address !== undefined && !keyDerivesAddress(key, address)) {
    report(`${path}.public_key`, `does not derive the address ${path}.address (address = hash of scheme and key)`);
    return undefined;
  }
  return key;
}

const ACCOUNT_KEYS = ['address', 'balance', 'scheme', 'public_key'] as const;
const VALIDATOR_KEYS = ['address', 'scheme', 'public_key', 'stake'] as const;

export function readAccount(value: unknown, path: string, report: ErrorSink): GenesisAccount | undefined {
  const hints = { stake: 'stake is given in validators[], not in accounts[]' };
  const record = readObject(value, path, ACCOUNT_KEYS, ['address', 'balance'], report, hints);
  if (record === undefined) return undefined;
  const address = readAddress(record['address'], `${path}.address`, report);
  const balance = readAmount(record['balance'], `${path}.balance`, 0n, report);
  const hasScheme = Object.hasOwn(record, 'scheme');
  const hasKey = Object.hasOwn(record, 'public_key');
  if (hasScheme !== hasKey) report(path, 'give both scheme and public_key, or neither');
  if (hasScheme !== hasKey) return undefined;
  const key = hasKey ? readKey(record, path, address, report) : undefined;
  if (address === undefined || balance === undefined || (hasKey && key === undefined)) return undefined;
  return Object.freeze({ address, balance, key });
}

/** `minStake` is params.min_validator_stake (1 when that parameter itself is invalid). */
export function readValidator(value: unknown, path: string, minStake: bigint, report: ErrorSink): GenesisValidator | undefined {
  const record = readObject(value, path, VALIDATOR_KEYS, VALIDATOR_KEYS, report);
  if (record === undefined) return undefined;
  const address = readAddress(record['address'], `${path}.address`, report);
  const key = readKey(record, path, address, report);
  const stake = readAmount(record['stake'], `${path}.stake`, minStake, report);
  if (address === undefined || key === undefined || stake === undefined) return undefined;
  return Object.freeze({ address, key, stake });
}
