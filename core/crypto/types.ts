/**
 * The signature layer's shared vocabulary: scheme names, key pairs, backends and signers.
 *
 * DESIGN.md §2 Cryptography. Every signature and public key names its scheme on the wire
 * (one tag byte, see `schemes.ts`), so a verifier never guesses. Every signed message carries
 * a FIPS 204 context string (`contexts.ts`) for domain separation.
 *
 * Backends are synchronous once loaded (a WebAssembly backend is loaded asynchronously, once);
 * they receive all randomness from the caller, so core/ stays free of ambient entropy.
 */

/** The signature schemes KALDRIX accepts. ML-DSA-44 is the default (DESIGN.md §2). */
export type SchemeName =
  | 'ml-dsa-44'
  | 'ml-dsa-65'
  | 'ml-dsa-87'
  | 'slh-dsa-sha2-128f'
  | 'falcon-512'
  | 'ml-dsa-44+ed25519';

export type KeyPair = {
  readonly scheme: SchemeName;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
};

/** A signature together with the scheme that made it: the unit that travels and is verified. */
export type Signature = {
  readonly scheme: SchemeName;
  readonly bytes: Uint8Array;
};

/** One verification job: what a verify pool receives and a backend checks. */
export type VerifyItem = {
  readonly scheme: SchemeName;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  /** FIPS 204 context string bytes (0..255 bytes). */
  readonly context: Uint8Array;
};

/**
 * A signature implementation. All methods are total on bad bytes: `verify` returns false for a
 * malformed key or signature; `keygen`/`sign` throw RangeError/TypeError on bad arguments
 * (those are programming errors of the caller, HOUSE-RULES 8).
 */
export interface SignatureBackend {
  /** Short stable name, shown in benchmarks: 'noble', 'liboqs'. */
  readonly name: string;
  supports(scheme: SchemeName): boolean;
  /** Deterministic key generation from a seed of `schemeInfo(scheme).seedBytes` bytes. */
  keygen(scheme: SchemeName, seed: Uint8Array): KeyPair;
  /**
   * Signs `message` under `context`. With `random` absent the signature is deterministic
   * (FIPS 204 deterministic variant, used by the simulator); with 32 random bytes it is hedged.
   */
  sign(scheme: SchemeName, secretKey: Uint8Array, message: Uint8Array, context: Uint8Array, random?: Uint8Array): Uint8Array;
  verify(scheme: SchemeName, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, context: Uint8Array): boolean;
}

/**
 * Something that can sign with one key. The key may live elsewhere (a hardware module, another
 * process, a browser worker), hence asynchronous.
 */
export interface Signer {
  readonly scheme: SchemeName;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array, context: Uint8Array): Promise<Signature>;
}
