/**
 * Account addresses: derived from a public key, written as bech32m text with the prefix `kdx`.
 *
 * Binary form (33 bytes, what transactions and state carry): version (1) || digest (32), where
 * for version 0
 *   digest = BLAKE3-derive_key("kaldrix/address/v0", [schemeTag] , publicKey)   (hash.ts framing)
 * The scheme tag is the one-byte signature-scheme tag (ml-dsa-44 = 0x01 … ml-dsa-44+ed25519 =
 * 0x06), so the same key bytes under two schemes give two addresses.
 *
 * Text form (BIP-350 bech32m, as segwit v1+ uses it): `kdx1` || data words || checksum, where the
 * first data word is the version (0..31, like a witness version) and the rest are the digest in
 * 5-bit words. 63 characters for version 0. bech32m detects every error in up to 4 characters
 * of a string this short, so any single typo is caught.
 *
 * Why 32 bytes and not 20: addresses must outlast quantum computers; a 160-bit digest leaves
 * about 2^80 classical (and less quantum) work to find two keys with one address.
 * Why a version: a later address kind (a new hash, multisig) gets a new version, and old
 * software rejects it as UNKNOWN_VERSION instead of misreading it.
 */
import { bech32m } from '@scure/base';
import { createDomainHash, HASH32_BYTES } from './hash.ts';
import { err, ok, type Result } from '../result.ts';

/** Human-readable prefix of every KALDRIX address. */
export const ADDRESS_PREFIX = 'kdx';
/** The only address version defined so far. */
export const ADDRESS_VERSION_0 = 0;
/** version (1) + digest (32). */
export const ADDRESS_BYTES = 1 + HASH32_BYTES;
/** Length of a version-0 address in text: 3 (prefix) + 1 (separator) + 1 + 52 (data) + 6 (checksum). */
export const ADDRESS_TEXT_LENGTH = 63;

export type AddressError =
  | { readonly code: 'MIXED_CASE' }
  | { readonly code: 'BAD_CHARACTER'; readonly position: number }
  | { readonly code: 'BAD_LENGTH'; readonly length: number }
  | { readonly code: 'WRONG_PREFIX'; readonly prefix: string }
  | { readonly code: 'BAD_CHECKSUM' }
  | { readonly code: 'UNKNOWN_VERSION'; readonly version: number }
  | { readonly code: 'BAD_PADDING' };

const addressDigestV0 = createDomainHash('kaldrix/address/v0');
/** The 32-character bech32 alphabet (BIP-173). */
const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
/** Separator between prefix and data in bech32 text. */
const SEPARATOR = '1';
/** BIP-173 length bounds: a 1-character prefix, the separator and the 6-character checksum … */
const MIN_BECH32_LENGTH = 8;
/** … up to 90 characters, the length for which the checksum's guarantees hold. */
const MAX_BECH32_LENGTH = 90;
/** 5-bit words that carry a 32-byte digest: ceil(256 / 5). */
const DIGEST_WORDS = 52;

/** The 33-byte version-0 address of `publicKey` under the scheme with one-byte tag `schemeTag`. */
export function addressFromPublicKey(schemeTag: number, publicKey: Uint8Array): Uint8Array {
  if (!Number.isInteger(schemeTag) || schemeTag < 0 || schemeTag > 0xff) {
    throw new RangeError(`schemeTag must be a byte, got ${schemeTag}`);
  }
  if (!(publicKey instanceof Uint8Array) || publicKey.length === 0) {
    throw new TypeError('publicKey must be a non-empty Uint8Array');
  }
  const out = new Uint8Array(ADDRESS_BYTES);
  out[0] = ADDRESS_VERSION_0;
  out.set(addressDigestV0(Uint8Array.of(schemeTag), publicKey), 1);
  return out;
}

/** bech32m text of a 33-byte address. Throws RangeError on bytes that are not an address. */
export function encodeAddress(address: Uint8Array): string {
  if (!(address instanceof Uint8Array) || address.length !== ADDRESS_BYTES) {
    throw new RangeError(`address must be ${ADDRESS_BYTES} bytes`);
  }
  const version = address[0] as number;
  if (version !== ADDRESS_VERSION_0) throw new RangeError(`unknown address version ${version}`);
  const words = [version, ...bech32m.toWords(address.subarray(1))];
  return bech32m.encode(ADDRESS_PREFIX, words);
}

/**
 * Parses address text typed or pasted by a person, or received from a peer. Accepts all-lowercase
 * or all-uppercase (BIP-173); returns the 33-byte binary address.
 */
export function parseAddress(text: unknown): Result<Uint8Array, AddressError> {
  if (typeof text !== 'string') return err({ code: 'BAD_LENGTH', length: 0 });
  // Length first (BIP-173 bounds), so no work is spent on huge inputs.
  if (text.length < MIN_BECH32_LENGTH || text.length > MAX_BECH32_LENGTH) {
    return err({ code: 'BAD_LENGTH', length: text.length });
  }
  const lowered = text.toLowerCase();
  if (text !== lowered && text !== text.toUpperCase()) return err({ code: 'MIXED_CASE' });
  const separatorAt = lowered.lastIndexOf(SEPARATOR);
  const prefix = separatorAt < 0 ? '' : lowered.slice(0, separatorAt);
  if (prefix !== ADDRESS_PREFIX) return err({ code: 'WRONG_PREFIX', prefix });
  for (let i = separatorAt + 1; i < lowered.length; i++) {
    if (!BECH32_CHARSET.includes(lowered.charAt(i))) return err({ code: 'BAD_CHARACTER', position: i });
  }
  const decoded = bech32m.decodeUnsafe(lowered, MAX_BECH32_LENGTH);
  // Prefix, case, length and alphabet were checked above, so the only failure left is the checksum.
  if (decoded === undefined) return err({ code: 'BAD_CHECKSUM' });
  const [version, ...digestWords] = decoded.words;
  if (version !== ADDRESS_VERSION_0) return err({ code: 'UNKNOWN_VERSION', version: version ?? -1 });
  if (digestWords.length !== DIGEST_WORDS) return err({ code: 'BAD_LENGTH', length: text.length });
  const digest = bech32m.fromWordsUnsafe(digestWords);
  // 52 words carry 260 bits; the 4 spare bits must be zero or two texts would name one address.
  if (digest === undefined || digest.length !== HASH32_BYTES) return err({ code: 'BAD_PADDING' });
  const out = new Uint8Array(ADDRESS_BYTES);
  out[0] = version;
  out.set(digest, 1);
  return ok(out);
}
