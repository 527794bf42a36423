/**
 * The reference signature backend: @noble/post-quantum (audited, pure JavaScript, runs in every
 * browser, worker and Node) for every scheme KALDRIX accepts.
 *
 * DESIGN.md §2: every other backend must agree with this one byte for byte.
 *
 * Domain separation, one rule for all six schemes (`_framing.ts`): the signed byte string is
 * 0x00 || len(ctx) || ctx || message (FIPS 204's M'), and each scheme signs it with its native
 * context EMPTY. The context is carried inside the message rather than in ML-DSA's ctx
 * parameter because liboqs's WebAssembly build and hardware modules take only the empty
 * context; the framing gives the same domain separation. `_guard.ts` frames once and checks
 * arguments; `_nobleSchemes.ts` and `_hybrid.ts` hold the raw per-scheme operations.
 */
import type { SchemeName, SignatureBackend } from '../types.ts';
import { createGuardedBackend, type SchemeOps } from './_guard.ts';
import { HYBRID_ML_DSA_44_ED25519_OPS } from './_hybrid.ts';
import {
  FALCON_512_OPS,
  ML_DSA_44_OPS,
  ML_DSA_65_OPS,
  ML_DSA_87_OPS,
  SLH_DSA_SHA2_128F_OPS,
} from './_nobleSchemes.ts';

/**
 * The raw noble operations per scheme (no context argument, native context empty, arguments
 * unchecked): for conformance tests, and for other backends' key generation and signing.
 */
export const NOBLE_OPS: Readonly<Record<SchemeName, SchemeOps>> = Object.freeze({
  'ml-dsa-44': ML_DSA_44_OPS,
  'ml-dsa-65': ML_DSA_65_OPS,
  'ml-dsa-87': ML_DSA_87_OPS,
  'slh-dsa-sha2-128f': SLH_DSA_SHA2_128F_OPS,
  'falcon-512': FALCON_512_OPS,
  'ml-dsa-44+ed25519': HYBRID_ML_DSA_44_ED25519_OPS,
});

export function createNobleBackend(): SignatureBackend {
  return createGuardedBackend('noble', NOBLE_OPS);
}
