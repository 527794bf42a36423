/**
 * Reading fields of the node API's JSON answers, which arrive as `unknown` and are checked
 * here rather than trusted: the API's wire encoding (infra/peer/api/_json.ts) sends u64 values
 * (indices, amounts, nonces) as decimal strings, small counters as JSON numbers, bytes as hex.
 * Each reader returns undefined when the field is absent or of the wrong shape.
 */
// types.ts, not the folder's index: the index pulls in all of core/state and core/crypto, and
// `kaldrix status` (and every command's --help) needs only this constant from it.
import { U64_MAX } from '../../core/state/types.ts';

export type JsonObject = Readonly<Record<string, unknown>>;

/** A u64 in decimal: at most 20 digits, no sign, no leading zeros (2^64 - 1 has 20 digits). */
const U64_DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** Own fields only: `__proto__` or `constructor` in an answer must not find Object.prototype's. */
function field(object: JsonObject, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

export function objectField(object: JsonObject, name: string): JsonObject | undefined {
  return asObject(field(object, name));
}

export function textField(object: JsonObject, name: string): string | undefined {
  const value = field(object, name);
  return typeof value === 'string' ? value : undefined;
}

export function booleanField(object: JsonObject, name: string): boolean | undefined {
  const value = field(object, name);
  return typeof value === 'boolean' ? value : undefined;
}

/** A counter sent as a JSON number: a non-negative safe integer. */
export function countField(object: JsonObject, name: string): number | undefined {
  const value = field(object, name);
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** A u64 sent as a decimal string. */
export function u64Field(object: JsonObject, name: string): bigint | undefined {
  const value = field(object, name);
  if (typeof value !== 'string' || !U64_DECIMAL.test(value)) return undefined;
  const parsed = BigInt(value);
  return parsed <= U64_MAX ? parsed : undefined;
}
