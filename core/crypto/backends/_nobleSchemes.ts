/**
 * Raw per-scheme operations over @noble/post-quantum: ML-DSA (FIPS 204), SLH-DSA-SHA2-128f
 * (FIPS 205) and Falcon-512 (round 3). Each is the scheme's pure signature over a byte string
 * with its native context EMPTY; the KALDRIX context is already framed into that byte string by
 * `_guard.ts` (`_framing.ts` states the rule and why).
 *
 * Randomness: with `random` absent signing is deterministic (FIPS 204 §3.4 deterministic
 * variant; FIPS 205 opt_rand = PK.seed); with 32 caller bytes it is hedged.
 *
 * Caveats:
 * - SLH-DSA-SHA2-128f takes n = 16 bytes of opt_rand; the first 16 of the 32 given are used.
 * - Falcon always needs randomness for its 40-byte nonce and its sampler seed; both come from
 *   one 48-byte seed, derived with BLAKE3 from the secret key, the optional caller randomness
 *   and the (framed) message, and fed to noble's AES-CTR DRBG (`extraEntropy`). Equal inputs
 *   give equal signatures, so no two signatures of one key share a nonce unless they sign the
 *   same framed message — the property Falcon's security needs.
 */
import { blake3 } from '@noble/hashes/blake3.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { falcon512 } from '@noble/post-quantum/falcon.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { slh_dsa_sha2_128f } from '@noble/post-quantum/slh-dsa.js';
import type { SchemeOps } from './_guard.ts';

type NobleDsa = typeof ml_dsa44;

// noble's `context` option defaults to the empty context; leaving it out IS the KALDRIX rule.
function mlDsaOps(dsa: NobleDsa): SchemeOps {
  return Object.freeze({
    keygen: (seed: Uint8Array) => dsa.keygen(seed),
    sign: (secretKey: Uint8Array, message: Uint8Array, random: Uint8Array | undefined) =>
      dsa.sign(message, secretKey, { extraEntropy: random ?? false }),
    verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) =>
      dsa.verify(signature, message, publicKey),
  });
}

export const ML_DSA_44_OPS: SchemeOps = mlDsaOps(ml_dsa44);
export const ML_DSA_65_OPS: SchemeOps = mlDsaOps(ml_dsa65);
export const ML_DSA_87_OPS: SchemeOps = mlDsaOps(ml_dsa87);

/** FIPS 205 opt_rand length for the 128-bit parameter sets (n = 16). */
const SLH_DSA_128_RANDOM_BYTES = 16;

export const SLH_DSA_SHA2_128F_OPS: SchemeOps = Object.freeze({
  keygen: (seed: Uint8Array) => slh_dsa_sha2_128f.keygen(seed),
  sign: (secretKey: Uint8Array, message: Uint8Array, random: Uint8Array | undefined) =>
    slh_dsa_sha2_128f.sign(message, secretKey, {
      extraEntropy: random === undefined ? false : random.subarray(0, SLH_DSA_128_RANDOM_BYTES),
    }),
  verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) =>
    slh_dsa_sha2_128f.verify(signature, message, publicKey),
});

/** noble's Falcon DRBG seed length (`extraEntropy`): one seed drives nonce and sampler. */
const FALCON_DRBG_SEED_BYTES = 48;
/** BLAKE3 derive-key context for the Falcon signing seed; versioned like the protocol contexts. */
const FALCON_SIGN_SEED_KDF = utf8ToBytes('kaldrix/falcon-512/sign-seed/v1');
const DETERMINISTIC = 0x00;
const HEDGED = 0x01;

function falconSignSeed(secretKey: Uint8Array, message: Uint8Array, random: Uint8Array | undefined): Uint8Array {
  // Secret key and random have fixed lengths and a mode byte separates the two cases,
  // so the KDF input is an injective encoding of (secretKey, random?, message).
  const mode = Uint8Array.of(random === undefined ? DETERMINISTIC : HEDGED);
  return blake3
    .create({ context: FALCON_SIGN_SEED_KDF, dkLen: FALCON_DRBG_SEED_BYTES })
    .update(secretKey)
    .update(mode)
    .update(random ?? new Uint8Array(0))
    .update(message)
    .digest();
}

export const FALCON_512_OPS: SchemeOps = Object.freeze({
  keygen: (seed: Uint8Array) => falcon512.keygen(seed),
  sign: (secretKey: Uint8Array, message: Uint8Array, random: Uint8Array | undefined) =>
    falcon512.sign(message, secretKey, { extraEntropy: falconSignSeed(secretKey, message, random) }),
  verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) =>
    falcon512.verify(signature, message, publicKey),
});
