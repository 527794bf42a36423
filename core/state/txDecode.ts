/**
 * `decodeSignedTx`: bytes from a peer or a client → a frozen, statelessly valid SignedTx, or a
 * typed reject. Never throws on any input (property-tested).
 *
 * DESIGN.md §2 Ledger. Order of checks, cheapest first: the size cap (before reading a byte),
 * the canonical decode, then `validateTx`. Signatures are NOT verified here: the caller pushes
 * `txVerifyItems` through the verify pool, which batches and caches them.
 */
import type { DecodeError } from '../codec/index.ts';
import { err, ok, type Result } from '../result.ts';
import type { ProtocolParams } from './params.ts';
import { signedTxCodec } from './txCodec.ts';
import type { TxReject } from './txReject.ts';
import { validateTx } from './txValidate.ts';
import type { SignedTx } from './types.ts';

/** Fields whose decoder is the crypto layer's tagged public-key / signature decoder (txFields.ts). */
const KEY_FIELD = /(?:^|\.)(?:publicKey|newKey)$/;
const SIGNATURE_FIELD = /(?:^|\.)(?:signature|possession)$/;

/** A codec error inside a key or signature field gets its own code; the rest is MALFORMED. */
function classifyDecodeError(decodeError: DecodeError): TxReject {
  const insideField = decodeError.code === 'INVALID_VALUE' || decodeError.code === 'LENGTH_TOO_LARGE';
  if (insideField && KEY_FIELD.test(decodeError.path)) return { code: 'BAD_PUBLIC_KEY', decodeError };
  if (insideField && SIGNATURE_FIELD.test(decodeError.path)) return { code: 'BAD_SIGNATURE_ENCODING', decodeError };
  return { code: 'MALFORMED', decodeError };
}

export function decodeSignedTx(
  bytes: Uint8Array,
  params: Pick<ProtocolParams, 'chainId' | 'maxTxBytes'>,
): Result<SignedTx, TxReject> {
  if (bytes.length > params.maxTxBytes) {
    return err(Object.freeze({ code: 'TOO_LARGE', sizeBytes: bytes.length, maxBytes: params.maxTxBytes }));
  }
  const decoded = signedTxCodec.decode(bytes);
  if (!decoded.ok) return err(Object.freeze(classifyDecodeError(decoded.error)));
  const valid = validateTx(decoded.value, params);
  if (!valid.ok) return err(Object.freeze(valid.error));
  return ok(decoded.value);
}
