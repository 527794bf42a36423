/**
 * A WebAssembly signature backend over `@oqs/liboqs-js` (Open Quantum Safe's liboqs): ML-DSA-44,
 * ML-DSA-65 and ML-DSA-87 (FIPS 204), loaded lazily, once, on first use.
 *
 * What runs where:
 * - `verify` runs in liboqs, always (≈ 8x faster than pure JS). liboqs-js 0.15 exports only
 *   `OQS_SIG_sign`/`OQS_SIG_verify` with the EMPTY FIPS 204 context (the `_with_ctx_str`
 *   functions are not in its WebAssembly modules). That is enough: KALDRIX carries the context
 *   inside the signed bytes, 0x00 || len(ctx) || ctx || message, and every scheme signs those
 *   with its native context empty (`_framing.ts`; one rule for all schemes). `_guard.ts` frames,
 *   liboqs checks the pure ML-DSA signature of the framed bytes.
 * - `keygen` and `sign` use the reference noble implementation: liboqs cannot take a seed,
 *   cannot take the caller's randomness (core/ receives all randomness from outside) and cannot
 *   sign deterministically. Key and signature formats are the same FIPS 204 encodings, so
 *   deterministic signatures are identical on both backends. Only keygen and sign are taken from
 *   noble (the type says so): verification never consults the reference.
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

/** The part of a liboqs-js signature instance this backend uses. */
type LiboqsVerifier = {
  verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
};

/** The signing half a WebAssembly verifier is paired with. */
type SigningOps = Pick<SchemeOps, 'keygen' | 'sign'>;

export type LiboqsBackendInit = {
  /** Which WebAssembly modules to load (each ≈ 63 KB). Default: all of `LIBOQS_SCHEMES`. */
  readonly schemes?: readonly LiboqsScheme[];
};

/** liboqs-js refuses subclasses such as Node's Buffer; copy anything that is not exactly a Uint8Array. */
function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes);
}

function liboqsOps(native: LiboqsVerifier, signing: SigningOps): SchemeOps {
  return Object.freeze({
    keygen: signing.keygen,
    sign: signing.sign,
    verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean =>
      native.verify(plainBytes(message), plainBytes(signature), plainBytes(publicKey)),
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

/**
 * Loads the WebAssembly modules (once per scheme, cached) and returns the raw operations per
 * scheme: `verify` is liboqs's native pure ML-DSA verification with the empty context, over
 * exactly the bytes given (no framing, arguments unchecked, may throw); `keygen` and `sign` are
 * noble's. For conformance tests; everything else uses `loadLiboqsBackend`.
 */
export async function loadLiboqsRawOps(
  init: LiboqsBackendInit = {},
): Promise<Readonly<Partial<Record<LiboqsScheme, SchemeOps>>>> {
  const schemes = init.schemes ?? LIBOQS_SCHEMES;
  const ops: Partial<Record<LiboqsScheme, SchemeOps>> = {};
  for (const scheme of schemes) {
    if (!LIBOQS_SCHEMES.includes(scheme)) throw new RangeError(`liboqs: init.schemes names ${String(scheme)}, which is not supported`);
    const { keygen, sign } = NOBLE_OPS[scheme];
    ops[scheme] = liboqsOps(await instanceFor(scheme), { keygen, sign });
  }
  return Object.freeze(ops);
}

/** Loads the WebAssembly modules (once per scheme, cached) and returns a frozen backend. */
export async function loadLiboqsBackend(init: LiboqsBackendInit = {}): Promise<SignatureBackend> {
  const ops: Readonly<Partial<Record<SchemeName, SchemeOps>>> = await loadLiboqsRawOps(init);
  return createGuardedBackend('liboqs', ops);
}
