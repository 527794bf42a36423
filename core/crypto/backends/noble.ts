/**
 * The reference signature backend: @noble/post-quantum (audited, pure JavaScript, runs in every
 * browser, worker and Node) for every scheme KALDRIX accepts.
 *
 * DESIGN.md §2: every other backend must agree with this one byte for byte. Scheme details,
 * deterministic/hedged signing and context handling per scheme: `_nobleSchemes.ts` and
 * `_hybrid.ts`; argument checks and the total `verify`: `_guard.ts`.
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

/** The noble operations per scheme; other backends fall back to these where they must. */
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
