/**
 * A WebAssembly signature backend over `@oqs/liboqs-js` (Open Quantum Safe's liboqs): ML-DSA-44,
 * ML-DSA-65 and ML-DSA-87 (FIPS 204), loaded lazily, once, on first use.
 *
 * IMPORTANT — what runs in WebAssembly and what does not. liboqs-js 0.15 exposes only
 * `OQS_SIG_keypair`, `OQS_SIG_sign` and `OQS_SIG_verify`: no context string (liboqs's
 * `OQS_SIG_*_with_ctx_str` are not exported from its WebAssembly modules), no seeded key
 * generation, and signing draws its own randomness inside WebAssembly. FIPS 204 puts the context
 * inside the signed M' = 0x00 || len(ctx) || ctx || M, so an empty-context call cannot stand in
 * for a context call. Hence, to stay byte-for-byte correct:
 * - `verify` with an EMPTY context runs in liboqs (≈ 8x faster than pure JS);
 * - `verify` with a non-empty context — every KALDRIX context (`contexts.ts`) — falls back to
 *   the reference noble implementation;
 * - `keygen` and `sign` always use the noble implementation: liboqs cannot take a seed, cannot
 *   take the caller's randomness (core/ receives all randomness from outside) and cannot sign
 *   deterministically. The key and signature formats are the same FIPS 204 encodings.
 *
 * liboqs-js checks that a message is exactly a `Uint8Array` (a Node `Buffer` view is refused),
 * so inputs of any other class are copied first. The WebAssembly instances live as long as the
 * page or process (they back a module-wide cache); liboqs-js frees its per-call buffers itself.
 */
import type { SchemeName, SignatureBackend } from '../types.ts';
import { createGuardedBackend, type SchemeOps } from './_guard.ts';
import { NOBLE_OPS } from './noble.ts';

/** The schemes this backend supports. */
export type LiboqsScheme = 'ml-dsa-44' | 'ml-dsa-65' | 'ml-dsa-87';
export const LIBOQS_SCHEMES: readonly LiboqsScheme[] = Object.freeze(['ml-dsa-44', 'ml-dsa-65', 'ml-dsa-87']);

/** The longest context liboqs-js 0.15 verifies natively (see the module comment): none. */
export const LIBOQS_NATIVE_CONTEXT_MAX_BYTES = 0;

/** The part of a liboqs-js signature instance this backend uses. */
type LiboqsVerifier = {
  verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
};

export type LiboqsBackendInit = {
  /** Which WebAssembly modules to load (each ≈ 63 KB). Default: all of `LIBOQS_SCHEMES`. */
  readonly schemes?: readonly LiboqsScheme[];
};

/** liboqs-js refuses subclasses such as Node's Buffer; copy anything that is not exactly a Uint8Array. */
function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes);
}

function liboqsOps(native: LiboqsVerifier, reference: SchemeOps): SchemeOps {
  return Object.freeze({
    keygen: reference.keygen,
    sign: reference.sign,
    verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, context: Uint8Array): boolean {
      if (context.length > LIBOQS_NATIVE_CONTEXT_MAX_BYTES) return reference.verify(publicKey, message, signature, context);
      return native.verify(plainBytes(message), plainBytes(signature), plainBytes(publicKey));
    },
  });
}

const instances = new Map<LiboqsScheme, Promise<LiboqsVerifier>>();

async function createInstance(scheme: LiboqsScheme): Promise<LiboqsVerifier> {
  const sig = await import('@oqs/liboqs-js/sig');
  if (scheme === 'ml-dsa-44') return sig.createMLDSA44();
  if (scheme === 'ml-dsa-65') return sig.createMLDSA65();
  return sig.createMLDSA87();
}

function instanceFor(scheme: LiboqsScheme): Promise<LiboqsVerifier> {
  let found = instances.get(scheme);
  if (found === undefined) {
    found = createInstance(scheme);
    // A failed load (e.g. a network error fetching the chunk) may be retried later.
    found.catch(() => instances.delete(scheme));
    instances.set(scheme, found);
  }
  return found;
}

/** Loads the WebAssembly modules (once per scheme, cached) and returns a frozen backend. */
export async function loadLiboqsBackend(init: LiboqsBackendInit = {}): Promise<SignatureBackend> {
  const schemes = init.schemes ?? LIBOQS_SCHEMES;
  const ops: Partial<Record<SchemeName, SchemeOps>> = {};
  for (const scheme of schemes) {
    if (!LIBOQS_SCHEMES.includes(scheme)) throw new RangeError(`loadLiboqsBackend: scheme ${String(scheme)} is not supported`);
    ops[scheme] = liboqsOps(await instanceFor(scheme), NOBLE_OPS[scheme]);
  }
  return createGuardedBackend('liboqs', ops);
}
