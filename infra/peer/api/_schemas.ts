/**
 * JSON schemas of the API's params, query strings and bodies (fastify validates them with ajv
 * before a handler runs). Numbers that may exceed 2^53 (sequences) are decimal strings with a
 * pattern; the handler turns them into bigints and checks the u64 bound.
 */
import { HASH32_BYTES } from '../../../core/crypto/index.ts';

/** A u64 in decimal: at most 20 digits (2^64 - 1 has 20). */
export const U64_DECIMAL = { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$' } as const;
const HASH_HEX = { type: 'string', pattern: `^[0-9a-fA-F]{${HASH32_BYTES * 2}}$` } as const;
/** Most rounds a u32 holds (core/dag rounds are u32 in keys and signing messages). */
const U32_MAX = 0xffff_ffff;
/** Committee seats are u16 (core/consensus committee.ts MAX_COMMITTEE_SIZE fits). */
const U16_MAX = 0xffff;

export const checkpointsQuery = (maxPageItems: number) => ({
  type: 'object',
  additionalProperties: false,
  properties: { before: U64_DECIMAL, limit: { type: 'integer', minimum: 1, maximum: maxPageItems } },
}) as const;

export const sequenceParams = { type: 'object', required: ['sequence'], properties: { sequence: U64_DECIMAL } } as const;

export const vertexParams = {
  type: 'object',
  required: ['round', 'author'],
  properties: { round: { type: 'integer', minimum: 0, maximum: U32_MAX }, author: { type: 'integer', minimum: 0, maximum: U16_MAX } },
} as const;

export const vertexQuery = { type: 'object', additionalProperties: false, properties: { digest: HASH_HEX } } as const;

export const txIdParams = { type: 'object', required: ['id'], properties: { id: HASH_HEX } } as const;

/** The address is checked by core's bech32m parser (typed errors), not by a pattern. */
export const addressParams = { type: 'object', required: ['address'], properties: { address: { type: 'string', minLength: 1, maxLength: 100 } } } as const;

/** A signed transaction as JSON: exactly one of `hex` and `base64`. */
export const submitTxBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: {
    hex: { type: 'string', minLength: 2, pattern: '^([0-9a-fA-F]{2})+$' },
    base64: { type: 'string', minLength: 4, pattern: '^[A-Za-z0-9+/]+={0,2}$' },
  },
} as const;
