/**
 * Key encapsulation: ML-KEM-768 (FIPS 203) and the X-Wing hybrid (ML-KEM-768 + X25519), for
 * post-quantum peer channels and for encrypting wallet backups to a recipient (DESIGN.md §2).
 *
 * Kinds:
 * - `ml-kem-768`: FIPS 203 ML-KEM-768. The secret key is stored in its 64-byte seed form
 *   (d || z), which FIPS 203 §3.3 allows; it is expanded on every decapsulation. One form for
 *   both kinds, small backups, and no expanded key that could fail FIPS 203's hash check.
 * - `x-wing`: X-Wing, draft-connolly-cfrg-xwing-kem (checked against the draft's appendix test
 *   vectors): SHA3-256 over both shared secrets, the X25519 ciphertext and public key, and the
 *   label `\.//^\`. Secure while either ML-KEM-768 or X25519 holds; its secret key is a 32-byte
 *   seed. Implemented by @noble/post-quantum's `ml_kem768_x25519`, which is X-Wing.
 *
 * Every function is deterministic: key seeds and encapsulation randomness come from the caller
 * (core/ has no ambient entropy). Keys and ciphertexts come from files and peers, so wrong
 * lengths and rejected contents are error values; wrong-length randomness is the caller's bug
 * and throws RangeError.
 *
 * Caveats: a tampered ML-KEM ciphertext of the right length is not an error — FIPS 203 implicit
 * rejection returns an unrelated shared secret, and the channel's first authenticated message
 * fails. An X-Wing ciphertext or public key whose X25519 part is a low-order point is refused
 * (the X25519 output would be all zero); X-Wing itself does not demand the check, but the peer
 * that sent such a point can only be misbehaving.
 */
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { err, ok, type Result } from '../result.ts';

export type KemKind = 'ml-kem-768' | 'x-wing';
export const KEM_KINDS: readonly KemKind[] = Object.freeze(['ml-kem-768', 'x-wing']);

export type KemParams = {
  /** Bytes of the key-generation seed; also the stored secret key. */
  readonly seedBytes: number;
  readonly publicKeyBytes: number;
  readonly secretKeyBytes: number;
  readonly ciphertextBytes: number;
  /** Bytes of caller randomness one encapsulation consumes. */
  readonly randomnessBytes: number;
  readonly sharedSecretBytes: number;
};

/** Sizes per kind: FIPS 203 Table 3 (ML-KEM-768) and the X-Wing draft §5. */
export const KEM_PARAMS: Readonly<Record<KemKind, KemParams>> = Object.freeze({
  'ml-kem-768': Object.freeze({
    seedBytes: 64, publicKeyBytes: 1184, secretKeyBytes: 64, ciphertextBytes: 1088, randomnessBytes: 32, sharedSecretBytes: 32,
  }),
  'x-wing': Object.freeze({
    seedBytes: 32, publicKeyBytes: 1216, secretKeyBytes: 32, ciphertextBytes: 1120, randomnessBytes: 64, sharedSecretBytes: 32,
  }),
});

export type KemKeyPair = {
  readonly kind: KemKind;
  readonly publicKey: Uint8Array;
  /** The seed form (see the module header). Keep it secret. */
  readonly secretKey: Uint8Array;
};

export type KemEncapsulation = {
  /** Sent to the holder of the secret key. */
  readonly ciphertext: Uint8Array;
  readonly sharedSecret: Uint8Array;
};

type LengthMismatch = { readonly expected: number; readonly actual: number };
export type KemError =
  | ({ readonly code: 'BAD_SEED_LENGTH' } & LengthMismatch)
  | ({ readonly code: 'BAD_PUBLIC_KEY_LENGTH' } & LengthMismatch)
  | ({ readonly code: 'BAD_SECRET_KEY_LENGTH' } & LengthMismatch)
  | ({ readonly code: 'BAD_CIPHERTEXT_LENGTH' } & LengthMismatch)
  /** ML-KEM's FIPS 203 §7.2 modulus check failed, or the X25519 part is a low-order point. */
  | { readonly code: 'BAD_PUBLIC_KEY' }
  /** The X25519 part of an X-Wing ciphertext is a low-order point. */
  | { readonly code: 'BAD_CIPHERTEXT' };

/** Derives a key pair from `seed` (`KEM_PARAMS[kind].seedBytes` bytes). */
export function kemKeygen(kind: KemKind, seed: Uint8Array): Result<KemKeyPair, KemError> {
  const params = paramsOf(kind);
  if (!(seed instanceof Uint8Array) || seed.length !== params.seedBytes) {
    return err({ code: 'BAD_SEED_LENGTH', expected: params.seedBytes, actual: byteLength(seed) });
  }
  const publicKey = kind === 'x-wing' ? ml_kem768_x25519.keygen(seed).publicKey : ml_kem768.keygen(seed).publicKey;
  return ok(Object.freeze({ kind, publicKey, secretKey: seed.slice() }));
}

/**
 * Encapsulates a fresh shared secret to `publicKey`, using `randomness`
 * (`KEM_PARAMS[kind].randomnessBytes` bytes from a cryptographic source; never reuse it).
 */
export function kemEncapsulate(
  kind: KemKind,
  publicKey: Uint8Array,
  randomness: Uint8Array,
): Result<KemEncapsulation, KemError> {
  const params = paramsOf(kind);
  if (!(randomness instanceof Uint8Array) || randomness.length !== params.randomnessBytes) {
    throw new RangeError(`randomness must be ${params.randomnessBytes} bytes for ${kind}`);
  }
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== params.publicKeyBytes) {
    return err({ code: 'BAD_PUBLIC_KEY_LENGTH', expected: params.publicKeyBytes, actual: byteLength(publicKey) });
  }
  const kem = kind === 'x-wing' ? ml_kem768_x25519 : ml_kem768;
  let encapsulation: { cipherText: Uint8Array; sharedSecret: Uint8Array };
  try {
    encapsulation = kem.encapsulate(publicKey, randomness);
  } catch {
    // Lengths were checked above; what is left is a rejected key: ML-KEM's modulus check, or
    // an X25519 point of low order.
    return err({ code: 'BAD_PUBLIC_KEY' });
  }
  return ok(Object.freeze({ ciphertext: encapsulation.cipherText, sharedSecret: encapsulation.sharedSecret }));
}

/** Recovers the shared secret from `ciphertext` with the seed-form `secretKey`. */
export function kemDecapsulate(kind: KemKind, ciphertext: Uint8Array, secretKey: Uint8Array): Result<Uint8Array, KemError> {
  const params = paramsOf(kind);
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== params.secretKeyBytes) {
    return err({ code: 'BAD_SECRET_KEY_LENGTH', expected: params.secretKeyBytes, actual: byteLength(secretKey) });
  }
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length !== params.ciphertextBytes) {
    return err({ code: 'BAD_CIPHERTEXT_LENGTH', expected: params.ciphertextBytes, actual: byteLength(ciphertext) });
  }
  if (kind === 'ml-kem-768') {
    // ML-KEM decapsulation never rejects a well-sized ciphertext (implicit rejection).
    const expanded = ml_kem768.keygen(secretKey).secretKey;
    const sharedSecret = ml_kem768.decapsulate(ciphertext, expanded);
    expanded.fill(0);
    return ok(sharedSecret);
  }
  try {
    return ok(ml_kem768_x25519.decapsulate(ciphertext, secretKey));
  } catch {
    // Lengths were checked above; only a low-order X25519 ciphertext point makes X-Wing throw.
    return err({ code: 'BAD_CIPHERTEXT' });
  }
}

function paramsOf(kind: KemKind): KemParams {
  if (kind !== 'ml-kem-768' && kind !== 'x-wing') throw new TypeError(`unknown KEM kind ${String(kind)}`);
  return KEM_PARAMS[kind];
}

function byteLength(value: unknown): number {
  return value instanceof Uint8Array ? value.length : -1;
}
