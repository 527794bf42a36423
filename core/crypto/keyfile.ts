/**
 * Key files: a signing key pair encrypted at rest under a passphrase, as a versioned JSON document.
 *
 *   { "kaldrix_keyfile": 1, "scheme": "ml-dsa-44", "publicKey": "<hex>",
 *     "kdf": { "name": "scrypt", "N": 131072, "r": 8, "p": 1, "salt": "<hex>" },
 *     "cipher": { "name": "xchacha20poly1305", "nonce": "<hex>" },
 *     "ciphertext": "<hex: encrypted secret key || 16-byte tag>" }
 *
 * Key: scrypt (RFC 7914) of the NFKC-normalised passphrase (so the same passphrase typed on two
 * systems gives one key) → 32 bytes. Cipher: XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) with a
 * 24-byte random nonce. Associated data: hashDomain("kaldrix/keyfile/ad/v1", scheme, publicKey),
 * so a file whose scheme or public key was swapped fails to open exactly like a wrong passphrase.
 *
 * A reader refuses scrypt cost below N = 2^14, r = 8 (WEAK_KDF: a downgraded file would make the
 * passphrase cheap to guess) and above 1 GiB of scrypt memory or p > 4 (UNSUPPORTED_KDF: a
 * hostile file must not exhaust the machine). Writers default to N = 2^17, r = 8, p = 1.
 *
 * Salt and nonce come from the caller's `random` so core/ stays free of ambient entropy.
 * Caveat: the file does not prove that the secret key belongs to the public key; callers that
 * can derive one from the other should check.
 */
import { scrypt } from '@noble/hashes/scrypt.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { hashDomain, parseHex, toHex } from './hash.ts';
import type { SchemeName } from './types.ts';
import { err, ok, type Result } from '../result.ts';

export const KEYFILE_VERSION = 1;
/** Writers' default scrypt cost: about 0.1 GiB of memory and a second of work in pure JS. */
export const DEFAULT_SCRYPT_N = 2 ** 17;
/** Readers' floor on scrypt N (the 2009 scrypt paper's interactive-login cost). */
export const MIN_SCRYPT_N = 2 ** 14;
const MIN_SCRYPT_R = 8;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
/** Readers' ceiling on scrypt memory (128 · N · r bytes): what a browser tab can afford. */
const MAX_SCRYPT_MEMORY_BYTES = 2 ** 30;
/** Readers' ceiling on scrypt p: each unit repeats the whole cost. */
const MAX_SCRYPT_P = 4;
const SALT_BYTES = 32;
const MIN_SALT_BYTES = 16;
const MAX_SALT_BYTES = 64;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Largest document read: the biggest key pair (ML-DSA-87, about 7.5 KB) in hex fits many times. */
const MAX_KEYFILE_CHARS = 1 << 16;
const KDF_NAME = 'scrypt';
const CIPHER_NAME = 'xchacha20poly1305';

/** The schemes a key file may name; `satisfies` makes the compiler flag a SchemeName added later. */
const SCHEMES = {
  'ml-dsa-44': true, 'ml-dsa-65': true, 'ml-dsa-87': true,
  'slh-dsa-sha2-128f': true, 'falcon-512': true, 'ml-dsa-44+ed25519': true,
} as const satisfies Record<SchemeName, true>;

export type KeyFileContents = {
  readonly scheme: SchemeName;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
};

export type KeyFileError =
  | { readonly code: 'MALFORMED'; readonly reason: string }
  | { readonly code: 'UNSUPPORTED_VERSION'; readonly version: number }
  | { readonly code: 'UNKNOWN_SCHEME'; readonly scheme: string }
  | { readonly code: 'UNSUPPORTED_KDF'; readonly reason: string }
  | { readonly code: 'WEAK_KDF'; readonly N: number; readonly r: number }
  | { readonly code: 'UNSUPPORTED_CIPHER'; readonly name: string }
  /** The AEAD tag did not verify: wrong passphrase, or a tampered file (scheme, key, bytes). */
  | { readonly code: 'WRONG_PASSPHRASE' };

export type EncryptKeyFileOptions = {
  /** Cryptographically secure random bytes: salt and nonce. */
  readonly random: (byteCount: number) => Uint8Array;
  /** scrypt N, a power of two in [2^14, 2^20]. Default `DEFAULT_SCRYPT_N` (2^17). */
  readonly scryptN?: number;
  /** Called with the fraction of scrypt work done (0..1), for a progress bar. */
  readonly onProgress?: (fraction: number) => void;
};

export type DecryptKeyFileOptions = {
  readonly onProgress?: (fraction: number) => void;
};

type ScryptParams = { readonly N: number; readonly r: number; readonly p: number; readonly salt: Uint8Array };
type KeyFileDocument = {
  readonly scheme: SchemeName;
  readonly publicKey: Uint8Array;
  readonly kdf: ScryptParams;
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
};

export function isKeyFileScheme(value: unknown): value is SchemeName {
  return typeof value === 'string' && Object.hasOwn(SCHEMES, value);
}

/** Encrypts a key pair into key-file JSON. Throws TypeError/RangeError on bad arguments. */
export function encryptKeyFile(keys: KeyFileContents, passphrase: string, options: EncryptKeyFileOptions): string {
  const { scheme, publicKey, secretKey } = keys;
  if (!isKeyFileScheme(scheme)) throw new TypeError(`unknown scheme ${String(scheme)}`);
  if (!(publicKey instanceof Uint8Array) || publicKey.length === 0) throw new TypeError('publicKey must be non-empty bytes');
  if (!(secretKey instanceof Uint8Array) || secretKey.length === 0) throw new TypeError('secretKey must be non-empty bytes');
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  const N = options.scryptN ?? DEFAULT_SCRYPT_N;
  if (!isPowerOfTwo(N) || N < MIN_SCRYPT_N || 128 * N * SCRYPT_R > MAX_SCRYPT_MEMORY_BYTES) {
    throw new RangeError(`scryptN must be a power of two in [2^14, 2^20], got ${N}`);
  }
  const kdf: ScryptParams = { N, r: SCRYPT_R, p: SCRYPT_P, salt: randomBytesOf(options.random, SALT_BYTES) };
  const nonce = randomBytesOf(options.random, NONCE_BYTES);
  const key = deriveKey(passphrase, kdf, options.onProgress);
  const ciphertext = xchacha20poly1305(key, nonce, associatedData(scheme, publicKey)).encrypt(secretKey);
  key.fill(0);
  return JSON.stringify({
    kaldrix_keyfile: KEYFILE_VERSION,
    scheme,
    publicKey: toHex(publicKey),
    kdf: { name: KDF_NAME, N: kdf.N, r: kdf.r, p: kdf.p, salt: toHex(kdf.salt) },
    cipher: { name: CIPHER_NAME, nonce: toHex(nonce) },
    ciphertext: toHex(ciphertext),
  }, null, 2);
}

/** Opens key-file JSON. Total in `json`: any text gives a value, never an exception. */
export function decryptKeyFile(
  json: string,
  passphrase: string,
  options: DecryptKeyFileOptions = {},
): Result<KeyFileContents, KeyFileError> {
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  const parsed = parseKeyFile(json);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  const key = deriveKey(passphrase, doc.kdf, options.onProgress);
  let secretKey: Uint8Array;
  try {
    secretKey = xchacha20poly1305(key, doc.nonce, associatedData(doc.scheme, doc.publicKey)).decrypt(doc.ciphertext);
  } catch {
    // The only failure left after parsing is the Poly1305 tag check.
    return err({ code: 'WRONG_PASSPHRASE' });
  } finally {
    key.fill(0);
  }
  return ok(Object.freeze({ scheme: doc.scheme, publicKey: doc.publicKey, secretKey }));
}

/** Validates a key-file document without decrypting it (no scrypt work). */
function parseKeyFile(json: unknown): Result<KeyFileDocument, KeyFileError> {
  if (typeof json !== 'string') return malformed('not a string');
  if (json.length > MAX_KEYFILE_CHARS) return malformed('document too large');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return malformed('not JSON');
  }
  if (!isPlainObject(value)) return malformed('not a JSON object');
  const extra = Object.keys(value).find((k) => !TOP_LEVEL_FIELDS.includes(k));
  if (extra !== undefined) return malformed(`unexpected field ${extra}`);
  const version = value['kaldrix_keyfile'];
  if (typeof version !== 'number') return malformed('kaldrix_keyfile missing');
  if (version !== KEYFILE_VERSION) return err({ code: 'UNSUPPORTED_VERSION', version });
  const scheme = value['scheme'];
  if (typeof scheme !== 'string') return malformed('scheme missing');
  if (!isKeyFileScheme(scheme)) return err({ code: 'UNKNOWN_SCHEME', scheme });
  const publicKey = parseHex(value['publicKey']);
  if (!publicKey.ok || publicKey.value.length === 0) return malformed('publicKey is not hex');
  const kdf = parseKdf(value['kdf']);
  if (!kdf.ok) return kdf;
  const nonce = parseCipher(value['cipher']);
  if (!nonce.ok) return nonce;
  const ciphertext = parseHex(value['ciphertext']);
  if (!ciphertext.ok || ciphertext.value.length <= TAG_BYTES) return malformed('ciphertext is not hex or too short');
  return ok({ scheme, publicKey: publicKey.value, kdf: kdf.value, nonce: nonce.value, ciphertext: ciphertext.value });
}

const TOP_LEVEL_FIELDS: readonly string[] = ['kaldrix_keyfile', 'scheme', 'publicKey', 'kdf', 'cipher', 'ciphertext'];

function parseKdf(value: unknown): Result<ScryptParams, KeyFileError> {
  if (!isPlainObject(value)) return malformed('kdf missing');
  const name = value['name'];
  if (typeof name !== 'string') return malformed('kdf.name missing');
  if (name !== KDF_NAME) return err({ code: 'UNSUPPORTED_KDF', reason: `kdf ${name}` });
  const { N, r, p } = value;
  if (!isSafeCount(N) || !isSafeCount(r) || !isSafeCount(p)) return malformed('kdf N, r, p must be positive integers');
  if (!isPowerOfTwo(N) || N < 2) return malformed('kdf N must be a power of two above 1');
  if (N < MIN_SCRYPT_N || r < MIN_SCRYPT_R) return err({ code: 'WEAK_KDF', N, r });
  if (128 * N * r > MAX_SCRYPT_MEMORY_BYTES) return err({ code: 'UNSUPPORTED_KDF', reason: 'scrypt memory above 1 GiB' });
  if (p > MAX_SCRYPT_P) return err({ code: 'UNSUPPORTED_KDF', reason: `scrypt p above ${MAX_SCRYPT_P}` });
  const salt = parseHex(value['salt']);
  if (!salt.ok || salt.value.length < MIN_SALT_BYTES || salt.value.length > MAX_SALT_BYTES) {
    return malformed(`kdf.salt must be ${MIN_SALT_BYTES}..${MAX_SALT_BYTES} bytes of hex`);
  }
  return ok({ N, r, p, salt: salt.value });
}

function parseCipher(value: unknown): Result<Uint8Array, KeyFileError> {
  if (!isPlainObject(value)) return malformed('cipher missing');
  const name = value['name'];
  if (typeof name !== 'string') return malformed('cipher.name missing');
  if (name !== CIPHER_NAME) return err({ code: 'UNSUPPORTED_CIPHER', name });
  const nonce = parseHex(value['nonce']);
  if (!nonce.ok || nonce.value.length !== NONCE_BYTES) return malformed(`cipher.nonce must be ${NONCE_BYTES} bytes of hex`);
  return ok(nonce.value);
}

function deriveKey(passphrase: string, kdf: ScryptParams, onProgress?: (fraction: number) => void): Uint8Array {
  const password = utf8ToBytes(passphrase.normalize('NFKC'));
  // noble's own memory cap, set to exactly what these (already bounded) parameters need.
  const maxmem = 128 * kdf.r * (kdf.N + kdf.p + 1);
  const opts = { N: kdf.N, r: kdf.r, p: kdf.p, dkLen: KEY_BYTES, maxmem };
  return scrypt(password, kdf.salt, onProgress === undefined ? opts : { ...opts, onProgress });
}

function associatedData(scheme: SchemeName, publicKey: Uint8Array): Uint8Array {
  return hashDomain('kaldrix/keyfile/ad/v1', utf8ToBytes(scheme), publicKey);
}

function randomBytesOf(random: (byteCount: number) => Uint8Array, byteCount: number): Uint8Array {
  if (typeof random !== 'function') throw new TypeError('options.random must be a function');
  const bytes = random(byteCount);
  if (!(bytes instanceof Uint8Array) || bytes.length !== byteCount) {
    throw new TypeError(`options.random(${byteCount}) must return ${byteCount} bytes`);
  }
  return bytes;
}

function malformed(reason: string): Result<never, KeyFileError> {
  return err({ code: 'MALFORMED', reason });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSafeCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && Number.isInteger(Math.log2(n));
}
