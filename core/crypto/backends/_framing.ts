/**
 * Context framing for schemes without a native context parameter (Falcon-512, Ed25519).
 *
 * FIPS 204 Algorithm 2, line 10: pure ML-DSA signs M' = 0x00 || IntegerToBytes(|ctx|, 1) || ctx || M.
 * Falcon and Ed25519 take no context, so KALDRIX signs exactly that M' with them. One framing for
 * every scheme keeps the rule simple, is injective (the length byte fixes where ctx ends), and
 * matches what the FN-DSA draft (FIPS 206) is expected to adopt from FIPS 204; the leading 0x00
 * ("pure" signing, as opposed to 0x01 for pre-hashed) leaves room for a pre-hash variant.
 */
import { CONTEXT_MAX_BYTES } from '../contexts.ts';

/** FIPS 204 domain separator for pure (not pre-hashed) signing. */
const PURE_SIGNING_DOMAIN = 0x00;

export function frameMessage(context: Uint8Array, message: Uint8Array): Uint8Array {
  if (context.length > CONTEXT_MAX_BYTES) {
    throw new RangeError(`frameMessage: context is ${context.length} bytes, at most ${CONTEXT_MAX_BYTES}`);
  }
  const out = new Uint8Array(2 + context.length + message.length);
  out[0] = PURE_SIGNING_DOMAIN;
  out[1] = context.length;
  out.set(context, 2);
  out.set(message, 2 + context.length);
  return out;
}
