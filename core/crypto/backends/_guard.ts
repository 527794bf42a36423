/**
 * Turns per-scheme raw operations into a `SignatureBackend`: checks its arguments and applies
 * the context framing once, in one place, for every backend and scheme.
 *
 * Domain separation (`_framing.ts`): `sign` and `verify` frame (context, message) into
 * 0x00 || len(ctx) || ctx || message and hand that to the scheme's RAW operation, which signs or
 * verifies it with the scheme's native context empty. One rule for all six schemes, so a backend
 * that offers only the empty FIPS 204 context (liboqs's WebAssembly build, hardware modules)
 * handles KALDRIX signatures, and no scheme can get the framing wrong on its own.
 *
 * The contract (types.ts): `keygen` and `sign` throw RangeError/TypeError on bad arguments (a
 * caller's bug); `verify` is total on bad bytes — a malformed key, signature or context from a
 * Byzantine peer gives `false`, and an exception inside a library's decoder is caught and gives
 * `false` as well. Asking a backend for a scheme it does not support is a bug: RangeError.
 */
import { CONTEXT_MAX_BYTES } from '../contexts.ts';
import { isSignatureLengthValid, schemeInfo } from '../schemes.ts';
import type { KeyPair, SchemeName, SignatureBackend } from '../types.ts';
import { frameMessage } from './_framing.ts';

/** Hedged signing takes exactly this much caller randomness (FIPS 204 `rnd` is 32 bytes). */
export const SIGN_RANDOM_BYTES = 32;

/**
 * What one scheme must provide: its pure signature over a byte string with its native context
 * empty. No context argument: `message` is already the framed string. When called through
 * `createGuardedBackend` the arguments arrive checked; called directly (conformance tests) they
 * do not, and every operation may throw on malformed input.
 */
export type SchemeOps = {
  keygen(seed: Uint8Array): { readonly publicKey: Uint8Array; readonly secretKey: Uint8Array };
  sign(secretKey: Uint8Array, message: Uint8Array, random: Uint8Array | undefined): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
};

function assertBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
}

function assertLength(bytes: Uint8Array, expected: number, what: string): void {
  if (bytes.length !== expected) throw new RangeError(`${what} must be ${expected} bytes, got ${bytes.length}`);
}

export function createGuardedBackend(
  name: string,
  ops: Readonly<Partial<Record<SchemeName, SchemeOps>>>,
): SignatureBackend {
  const opsFor = (scheme: SchemeName, op: string): SchemeOps => {
    const found = ops[scheme];
    if (found === undefined) throw new RangeError(`${name}.${op}: scheme ${String(scheme)} is not supported`);
    return found;
  };
  return Object.freeze({
    name,
    supports: (scheme: SchemeName): boolean => ops[scheme] !== undefined,
    keygen(scheme: SchemeName, seed: Uint8Array): KeyPair {
      const o = opsFor(scheme, 'keygen');
      assertBytes(seed, 'keygen: seed');
      assertLength(seed, schemeInfo(scheme).seedBytes, `keygen: ${scheme} seed`);
      const { publicKey, secretKey } = o.keygen(seed);
      return Object.freeze({ scheme, publicKey, secretKey });
    },
    sign(scheme: SchemeName, secretKey: Uint8Array, message: Uint8Array, context: Uint8Array, random?: Uint8Array): Uint8Array {
      const o = opsFor(scheme, 'sign');
      assertBytes(secretKey, 'sign: secretKey');
      assertBytes(message, 'sign: message');
      assertBytes(context, 'sign: context');
      assertLength(secretKey, schemeInfo(scheme).secretKeyBytes, `sign: ${scheme} secretKey`);
      if (context.length > CONTEXT_MAX_BYTES) throw new RangeError(`sign: context is ${context.length} bytes, at most ${CONTEXT_MAX_BYTES}`);
      if (random !== undefined) {
        assertBytes(random, 'sign: random');
        assertLength(random, SIGN_RANDOM_BYTES, 'sign: random');
      }
      return o.sign(secretKey, frameMessage(context, message), random);
    },
    verify(scheme: SchemeName, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, context: Uint8Array): boolean {
      const o = opsFor(scheme, 'verify');
      assertBytes(message, 'verify: message');
      assertBytes(context, 'verify: context');
      // Keys and signatures come from peers: wrong types or lengths are a rejection, not a crash.
      if (!(publicKey instanceof Uint8Array) || !(signature instanceof Uint8Array)) return false;
      if (publicKey.length !== schemeInfo(scheme).publicKeyBytes) return false;
      if (!isSignatureLengthValid(scheme, signature.length)) return false;
      if (context.length > CONTEXT_MAX_BYTES) return false;
      try {
        return o.verify(publicKey, frameMessage(context, message), signature) === true;
      } catch {
        // The libraries throw on some malformed encodings (e.g. a non-canonical Falcon s2).
        return false;
      }
    },
  });
}
