/**
 * The registry of signature schemes KALDRIX accepts: wire tag, sizes, standard, security level.
 *
 * DESIGN.md §2 Cryptography. Sizes are those of FIPS 204 (ML-DSA, Table 2), FIPS 205
 * (SLH-DSA, Table 2) and the Falcon round-3 specification (Table 3.3, unpadded signatures).
 * Seed sizes are those each key generator consumes (see `backends/noble.ts`).
 *
 * Caveat: Falcon signatures vary in length (compressed encoding); the registry gives the range a
 * verifier accepts. Falcon keys from a seed are implementation specific (the round-3 key
 * generation is not fully specified), so a Falcon seed only reproduces keys on the same backend.
 */
import type { SchemeName } from './types.ts';

export type SchemeInfo = {
  readonly name: SchemeName;
  /** The byte that names the scheme on the wire (`signatureEncoding.ts`). Never reused. */
  readonly tag: number;
  readonly publicKeyBytes: number;
  readonly secretKeyBytes: number;
  /** Equal to `signatureMaxBytes` for every fixed-length scheme. */
  readonly signatureMinBytes: number;
  readonly signatureMaxBytes: number;
  /** Length of the seed `SignatureBackend.keygen` takes. */
  readonly seedBytes: number;
  readonly standard: string;
  /** NIST post-quantum security category (1, 2, 3 or 5). */
  readonly nistLevel: 1 | 2 | 3 | 5;
};

/** Falcon-512 detached signature: 1 header byte + 40-byte nonce + at least one byte of s2. */
const FALCON_512_SIGNATURE_MIN_BYTES = 42;
/** Upper bound of an unpadded Falcon-512 signature (header + nonce + 711 bytes of s2). */
const FALCON_512_SIGNATURE_MAX_BYTES = 752;
/** Ed25519 sizes (RFC 8032): 32-byte keys and seeds, 64-byte signatures. */
const ED25519_KEY_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;

const info = (i: SchemeInfo): SchemeInfo => Object.freeze(i);

export const SCHEMES: Readonly<Record<SchemeName, SchemeInfo>> = Object.freeze({
  'ml-dsa-44': info({
    name: 'ml-dsa-44', tag: 0x01, publicKeyBytes: 1312, secretKeyBytes: 2560,
    signatureMinBytes: 2420, signatureMaxBytes: 2420, seedBytes: 32, standard: 'FIPS 204', nistLevel: 2,
  }),
  'ml-dsa-65': info({
    name: 'ml-dsa-65', tag: 0x02, publicKeyBytes: 1952, secretKeyBytes: 4032,
    signatureMinBytes: 3309, signatureMaxBytes: 3309, seedBytes: 32, standard: 'FIPS 204', nistLevel: 3,
  }),
  'ml-dsa-87': info({
    name: 'ml-dsa-87', tag: 0x03, publicKeyBytes: 2592, secretKeyBytes: 4896,
    signatureMinBytes: 4627, signatureMaxBytes: 4627, seedBytes: 32, standard: 'FIPS 204', nistLevel: 5,
  }),
  'slh-dsa-sha2-128f': info({
    name: 'slh-dsa-sha2-128f', tag: 0x04, publicKeyBytes: 32, secretKeyBytes: 64,
    // FIPS 205 key generation consumes SK.seed, SK.prf and PK.seed: 3 × n = 48 bytes.
    signatureMinBytes: 17088, signatureMaxBytes: 17088, seedBytes: 48, standard: 'FIPS 205', nistLevel: 1,
  }),
  'falcon-512': info({
    name: 'falcon-512', tag: 0x05, publicKeyBytes: 897, secretKeyBytes: 1281,
    signatureMinBytes: FALCON_512_SIGNATURE_MIN_BYTES, signatureMaxBytes: FALCON_512_SIGNATURE_MAX_BYTES,
    seedBytes: 48, standard: 'Falcon round 3 (FN-DSA, FIPS 206 draft)', nistLevel: 1,
  }),
  'ml-dsa-44+ed25519': info({
    name: 'ml-dsa-44+ed25519', tag: 0x06,
    publicKeyBytes: 1312 + ED25519_KEY_BYTES,
    secretKeyBytes: 2560 + ED25519_KEY_BYTES,
    signatureMinBytes: 2420 + ED25519_SIGNATURE_BYTES,
    signatureMaxBytes: 2420 + ED25519_SIGNATURE_BYTES,
    // One seed; the two component seeds are derived from it (`backends/_hybrid.ts`).
    seedBytes: 32, standard: 'FIPS 204 + RFC 8032 (hybrid, both must verify)', nistLevel: 2,
  }),
});

/** ML-DSA-44 is the default scheme (DESIGN.md §2): level 2, the smallest FIPS 204 signatures. */
export const DEFAULT_SCHEME: SchemeName = 'ml-dsa-44';

export const SCHEME_NAMES: readonly SchemeName[] = Object.freeze(Object.keys(SCHEMES) as SchemeName[]);

const BY_TAG: ReadonlyMap<number, SchemeInfo> = new Map(SCHEME_NAMES.map((n) => [SCHEMES[n].tag, SCHEMES[n]]));

export function schemeInfo(name: SchemeName): SchemeInfo {
  const found = SCHEMES[name];
  // A name outside the union can only arrive through an unchecked cast: a caller's bug.
  if (found === undefined) throw new RangeError(`schemeInfo: unknown scheme ${String(name)}`);
  return found;
}

/** Parses a scheme name as typed by a person or read from config; exact names, any case. */
export function parseSchemeName(text: string): SchemeName | undefined {
  const lower = text.toLowerCase();
  return SCHEME_NAMES.find((n) => n === lower);
}

export function schemeByTag(tag: number): SchemeInfo | undefined {
  return BY_TAG.get(tag);
}

export function isSignatureLengthValid(scheme: SchemeName, lengthBytes: number): boolean {
  const i = schemeInfo(scheme);
  return lengthBytes >= i.signatureMinBytes && lengthBytes <= i.signatureMaxBytes;
}
