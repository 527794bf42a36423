/**
 * The hybrid scheme `ml-dsa-44+ed25519`: ML-DSA-44 (FIPS 204) and Ed25519 (RFC 8032) side by
 * side; a signature is valid only when BOTH components verify, so it stays secure while either
 * algorithm does (DESIGN.md §2).
 *
 * Layout: public key = mldsaPk (1312) || ed25519Pk (32); secret key = mldsaSk (2560) ||
 * ed25519 seed (32); signature = mldsaSig (2420) || ed25519Sig (64).
 *
 * - Both components sign the same byte string: the framed message 0x00 || len(ctx) || ctx ||
 *   message that `_guard.ts` hands every scheme (`_framing.ts`), each with no native context:
 *   ML-DSA-44 is FIPS 204 pure signing with ctx empty, Ed25519 is plain Ed25519 (not Ed25519ctx).
 *   Plain Ed25519 is what WebCrypto and hardware modules offer, and what the Wycheproof vectors
 *   test, so the same code is conformance-tested and portable.
 * - Ed25519 verification is strict RFC 8032 / FIPS 186-5 (`zip215: false`): canonical
 *   encodings only, so signatures are non-malleable and every node accepts the same set.
 * - One 32-byte seed gives both keys: each component seed is BLAKE3 in derive-key mode with its
 *   own context string, so the two are independent and neither reveals the other.
 * - Caller randomness (hedged signing) goes to ML-DSA; Ed25519 is deterministic by design.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { blake3 } from '@noble/hashes/blake3.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import type { SchemeOps } from './_guard.ts';

const ML_DSA_44_PUBLIC_KEY_BYTES = 1312;
const ML_DSA_44_SECRET_KEY_BYTES = 2560;
const ML_DSA_44_SIGNATURE_BYTES = 2420;
const ML_DSA_44_SEED_BYTES = 32;
const ED25519_SEED_BYTES = 32;

const ML_DSA_SEED_KDF = utf8ToBytes('kaldrix/ml-dsa-44+ed25519/keygen/v1 ml-dsa-44');
const ED25519_SEED_KDF = utf8ToBytes('kaldrix/ml-dsa-44+ed25519/keygen/v1 ed25519');

/** Plain Ed25519 verification, strict RFC 8032; exported for the Wycheproof conformance test. */
export function verifyEd25519Strict(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

export const HYBRID_ML_DSA_44_ED25519_OPS: SchemeOps = Object.freeze({
  keygen(seed: Uint8Array) {
    const mlDsa = ml_dsa44.keygen(blake3(seed, { context: ML_DSA_SEED_KDF, dkLen: ML_DSA_44_SEED_BYTES }));
    const edSeed = blake3(seed, { context: ED25519_SEED_KDF, dkLen: ED25519_SEED_BYTES });
    return {
      publicKey: concatBytes(mlDsa.publicKey, ed25519.getPublicKey(edSeed)),
      secretKey: concatBytes(mlDsa.secretKey, edSeed),
    };
  },
  sign(secretKey: Uint8Array, message: Uint8Array, random: Uint8Array | undefined) {
    const mlDsaSk = secretKey.subarray(0, ML_DSA_44_SECRET_KEY_BYTES);
    const edSeed = secretKey.subarray(ML_DSA_44_SECRET_KEY_BYTES);
    const mlDsaSig = ml_dsa44.sign(message, mlDsaSk, { extraEntropy: random ?? false });
    const edSig = ed25519.sign(message, edSeed);
    return concatBytes(mlDsaSig, edSig);
  },
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) {
    const mlDsaPk = publicKey.subarray(0, ML_DSA_44_PUBLIC_KEY_BYTES);
    const edPk = publicKey.subarray(ML_DSA_44_PUBLIC_KEY_BYTES);
    const mlDsaSig = signature.subarray(0, ML_DSA_44_SIGNATURE_BYTES);
    const edSig = signature.subarray(ML_DSA_44_SIGNATURE_BYTES);
    // Both must hold; the cheaper Ed25519 check goes first (no secret is involved in the order).
    return (
      verifyEd25519Strict(edPk, message, edSig) &&
      ml_dsa44.verify(mlDsaSig, message, mlDsaPk)
    );
  },
});
