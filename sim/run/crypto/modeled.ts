/**
 * Modeled signatures: SIMULATION ONLY. A signature is replaced by a tag — BLAKE3 of (public
 * key, FIPS 204 context, message) under a simulator-only domain — repeated to the scheme's real
 * signature length, so sizes, bandwidth and codecs stay exactly those of ML-DSA-44 while signing
 * and verifying cost microseconds. Verification recomputes the tag and compares every byte, so
 * a forged or corrupted signature fails exactly as a real one would.
 *
 * This is not a signature scheme: anyone who knows the public key can compute a tag. It models
 * honest signers and the Byzantine behaviours the simulator scripts (forging = corrupting
 * bytes), nothing else; it lives in sim/ and must never be used outside it. The CPU cost of the
 * real operations is charged as virtual time by the simulation (costs.ts).
 * Keys are modeled too: label-derived bytes of the scheme's key lengths (no keygen cost), so a
 * 1,000-validator committee is built in milliseconds.
 */
import { createDomainHash, schemeInfo, type KeyPair, type SchemeName, type Signature, type VerifyItem } from '../../../core/crypto/index.ts';
import { utf8ToBytes } from '@noble/hashes/utils.js';

const tagHash = createDomainHash('kaldrix/sim-modeled-signature/v1');
const keyHash = createDomainHash('kaldrix/sim-modeled-key-digest/v1');
const keyBytesHash = createDomainHash('kaldrix/sim-modeled-key-bytes/v1');

/** `length` bytes: `seed` repeated. */
function repeatTo(seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += seed.length) out.set(seed.subarray(0, Math.min(seed.length, length - i)), i);
  return out;
}

export type ModeledSignatures = {
  keyPair(scheme: SchemeName, label: string): KeyPair;
  sign(scheme: SchemeName, publicKey: Uint8Array, message: Uint8Array, context: Uint8Array): Signature;
  verify(item: VerifyItem): boolean;
};

export function createModeledSignatures(): ModeledSignatures {
  // Public keys are shared objects (committee, ledger): their digests are computed once each.
  const keyDigests = new WeakMap<Uint8Array, Uint8Array>();
  const keyDigest = (publicKey: Uint8Array): Uint8Array => {
    let digest = keyDigests.get(publicKey);
    if (digest === undefined) {
      digest = keyHash(publicKey);
      keyDigests.set(publicKey, digest);
    }
    return digest;
  };
  const signatureBytes = (scheme: SchemeName, publicKey: Uint8Array, message: Uint8Array, context: Uint8Array): Uint8Array =>
    repeatTo(tagHash(utf8ToBytes(scheme), keyDigest(publicKey), context, message), schemeInfo(scheme).signatureMaxBytes);
  return Object.freeze({
    keyPair: (scheme: SchemeName, label: string): KeyPair => {
      const info = schemeInfo(scheme);
      const seed = keyBytesHash(utf8ToBytes(label));
      return Object.freeze({ scheme, publicKey: repeatTo(seed, info.publicKeyBytes), secretKey: repeatTo(keyBytesHash(seed), info.secretKeyBytes) });
    },
    sign: (scheme: SchemeName, publicKey: Uint8Array, message: Uint8Array, context: Uint8Array): Signature => Object.freeze({ scheme, bytes: signatureBytes(scheme, publicKey, message, context) }),
    verify: (item: VerifyItem): boolean => {
      const info = schemeInfo(item.scheme);
      if (item.signature.length !== info.signatureMaxBytes || item.publicKey.length !== info.publicKeyBytes) return false;
      const expected = signatureBytes(item.scheme, item.publicKey, item.message, item.context);
      for (let i = 0; i < expected.length; i++) if (expected[i] !== item.signature[i]) return false;
      return true;
    },
  });
}
