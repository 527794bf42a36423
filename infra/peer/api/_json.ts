/**
 * Wire encoding of API answers: bigint → decimal string (JSON numbers lose precision beyond
 * 2^53, and balances and indices are u64), bytes → lower-case hex, undefined fields dropped.
 * Everything else passes as it is; a value JSON cannot carry (a function, a symbol) is a bug.
 */
import { base64 } from '@scure/base';
import { toHex } from '../../../core/crypto/index.ts';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Nesting deeper than this is a cycle or a bug: no API answer is that deep. */
const MAX_DEPTH = 32;

export function toJson(value: unknown, depth = 0): JsonValue {
  if (depth > MAX_DEPTH) throw new Error('toJson: value nested too deeply (a cycle?)');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`toJson: ${value} has no JSON form`);
    return value;
  }
  if (typeof value === 'bigint') return value.toString(10);
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map((v: unknown) => toJson(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v, depth + 1);
    return out;
  }
  throw new Error(`toJson: a ${typeof value} has no JSON form`);
}

/** Both encodings of a byte string, for answers that clients in either world consume. */
export const bytesBoth = (bytes: Uint8Array): { readonly hex: string; readonly base64: string } => ({ hex: toHex(bytes), base64: base64.encode(bytes) });
