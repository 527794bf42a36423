/**
 * The one domain-separation rule of every KALDRIX signature: the signed byte string is
 *
 *     frameMessage(ctx, M) = 0x00 || IntegerToBytes(|ctx|, 1) || ctx || M
 *
 * which is FIPS 204's M' (Algorithm 2, line 10), built here instead of inside the scheme. Every
 * scheme then signs that string with its own native context EMPTY: ML-DSA and SLH-DSA use FIPS
 * 204/205 pure signing with ctx = empty, Falcon-512 and Ed25519 have no context at all.
 *
 * Why one rule instead of each scheme's native context: liboqs's WebAssembly build and many
 * hardware modules offer ML-DSA with the empty context only; with the context carried inside
 * the message they can produce and check KALDRIX signatures unchanged. The framing is injective
 * (the length byte fixes where ctx ends), so the domain separation is the same as FIPS 204's:
 * no signature made under one context verifies under another. Context strings keep FIPS 204's
 * format, 255-byte limit and meaning (`contexts.ts`). The leading 0x00 ("pure", against 0x01
 * for pre-hashed) leaves room for a pre-hash variant.
 *
 * Caveat: a KALDRIX ML-DSA signature is therefore NOT a FIPS 204 signature of M under ctx; it is
 * a FIPS 204 signature of frameMessage(ctx, M) under the empty context. The two never coincide.
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
