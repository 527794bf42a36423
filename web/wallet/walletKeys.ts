/**
 * The wallet's key: created here, or imported from a key file (the passphrase-encrypted format
 * of core/crypto/keyfile.ts, or the devnet's plaintext format of plaintextKeyFile.ts), and
 * always handed back together with its ENCRYPTED key file, the only form the wallet stores.
 *
 * DESIGN.md §2 Cryptography (ML-DSA-44 by default, the ML-DSA-44 + Ed25519 hybrid as an
 * option). Caveat from keyfile.ts: a key file does not prove that its secret key belongs to its
 * public key, so every key entering the wallet signs one probe message that its public key must
 * verify (about 10 ms) — a mismatched file would otherwise sign transfers nobody accepts.
 */
import {
  addressFromPublicKey,
  contextBytes,
  decodePlaintextKeyFile,
  decryptKeyFile,
  encodeAddress,
  encryptKeyFile,
  PLAINTEXT_MARKER_FIELD,
  schemeInfo,
  type KeyFileError,
  type KeyPair,
  type SignatureBackend,
} from '../../core/crypto/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { WalletError } from './errors.ts';

/** The schemes a person can create a wallet key with: the default and the hybrid (DESIGN.md §2). */
export const WALLET_SCHEMES = ['ml-dsa-44', 'ml-dsa-44+ed25519'] as const;
export type WalletScheme = (typeof WALLET_SCHEMES)[number];

/** Shortest passphrase the wallet encrypts a key under: scrypt slows guessing, it cannot save "1234". */
export const MIN_PASSPHRASE_CHARS = 8;

export type WalletKeyComponents = {
  readonly backend: SignatureBackend;
  /** Cryptographically secure random bytes (seeds, salts, nonces). */
  readonly random: (byteCount: number) => Uint8Array;
  /** scrypt cost of newly encrypted files; default core/crypto's DEFAULT_SCRYPT_N. Tests lower it. */
  readonly scryptN?: number;
};

/** An unlocked key: usable for signing, and the encrypted file that is all the wallet keeps. */
export type UnlockedKey = {
  readonly keys: KeyPair;
  readonly address: Uint8Array;
  readonly addressText: string;
  readonly encryptedKeyFile: string;
};

const PROBE_MESSAGE = new TextEncoder().encode('kaldrix wallet key probe');
/** A context of its own, so the probe signature can never pass as a transaction or a message. */
const PROBE_CONTEXT = contextBytes('kaldrix/wallet-key-probe/v1');

/** A fresh key of `scheme`, encrypted under `passphrase`. */
export function createWalletKey(scheme: WalletScheme, passphrase: string, components: WalletKeyComponents): Result<UnlockedKey, WalletError> {
  const weak = checkPassphrase(passphrase);
  if (!weak.ok) return weak;
  const seed = components.random(schemeInfo(scheme).seedBytes);
  const keys = components.backend.keygen(scheme, seed);
  seed.fill(0);
  return ok(unlocked(keys, encrypt(keys, passphrase, components)));
}

/**
 * Reads a pasted key file. The devnet plaintext format is encrypted under `passphrase` (which
 * must be strong enough); an encrypted file must open with `passphrase` and is kept as it is.
 */
export function importWalletKey(text: string, passphrase: string, components: WalletKeyComponents): Result<UnlockedKey, WalletError> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err({ code: 'MALFORMED_KEY_FILE', reason: 'it is not JSON' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return err({ code: 'MALFORMED_KEY_FILE', reason: 'it is not a JSON object' });
  if (!Object.hasOwn(value, PLAINTEXT_MARKER_FIELD)) return unlockWalletKey(text, passphrase, components.backend);
  const decoded = decodePlaintextKeyFile(value as Readonly<Record<string, unknown>>);
  if (!decoded.ok) return err({ code: 'MALFORMED_KEY_FILE', reason: decoded.error.reason });
  const weak = checkPassphrase(passphrase);
  if (!weak.ok) return weak;
  if (!keyPairMatches(components.backend, decoded.value)) return err({ code: 'KEY_MISMATCH' });
  return ok(unlocked(decoded.value, encrypt(decoded.value, passphrase, components)));
}

/** Opens the wallet's stored (encrypted) key file. */
export function unlockWalletKey(encryptedKeyFile: string, passphrase: string, backend: SignatureBackend): Result<UnlockedKey, WalletError> {
  const opened = decryptKeyFile(encryptedKeyFile, passphrase);
  if (!opened.ok) return err(keyFileError(opened.error));
  const keys: KeyPair = opened.value;
  if (!backend.supports(keys.scheme)) return err({ code: 'MALFORMED_KEY_FILE', reason: `scheme ${keys.scheme} is not supported here` });
  if (!keyPairMatches(backend, keys)) return err({ code: 'KEY_MISMATCH' });
  return ok(unlocked(keys, encryptedKeyFile));
}

/** Whether the secret key signs what the public key verifies (sizes first, then one probe). */
export function keyPairMatches(backend: SignatureBackend, keys: KeyPair): boolean {
  const info = schemeInfo(keys.scheme);
  if (keys.publicKey.length !== info.publicKeyBytes || keys.secretKey.length !== info.secretKeyBytes) return false;
  const signature = backend.sign(keys.scheme, keys.secretKey, PROBE_MESSAGE, PROBE_CONTEXT);
  return backend.verify(keys.scheme, keys.publicKey, PROBE_MESSAGE, signature, PROBE_CONTEXT);
}

function checkPassphrase(passphrase: string): Result<void, WalletError> {
  return [...passphrase].length >= MIN_PASSPHRASE_CHARS ? ok(undefined) : err({ code: 'WEAK_PASSPHRASE', minChars: MIN_PASSPHRASE_CHARS });
}

function encrypt(keys: KeyPair, passphrase: string, components: WalletKeyComponents): string {
  const { random, scryptN } = components;
  return encryptKeyFile(keys, passphrase, scryptN === undefined ? { random } : { random, scryptN });
}

function unlocked(keys: KeyPair, encryptedKeyFile: string): UnlockedKey {
  const address = addressFromPublicKey(schemeInfo(keys.scheme).tag, keys.publicKey);
  return Object.freeze({ keys, address, addressText: encodeAddress(address), encryptedKeyFile });
}

function keyFileError(error: KeyFileError): WalletError {
  switch (error.code) {
    case 'WRONG_PASSPHRASE':
      return { code: 'WRONG_PASSPHRASE' };
    case 'MALFORMED':
      return { code: 'MALFORMED_KEY_FILE', reason: error.reason };
    case 'UNSUPPORTED_VERSION':
      return { code: 'MALFORMED_KEY_FILE', reason: `key file version ${error.version} is not supported` };
    case 'UNKNOWN_SCHEME':
      return { code: 'MALFORMED_KEY_FILE', reason: `unknown scheme ${error.scheme}` };
    case 'UNSUPPORTED_KDF':
      return { code: 'MALFORMED_KEY_FILE', reason: `unsupported key derivation (${error.reason})` };
    case 'WEAK_KDF':
      return { code: 'MALFORMED_KEY_FILE', reason: `its scrypt cost (N=${error.N}, r=${error.r}) is too weak` };
    case 'UNSUPPORTED_CIPHER':
      return { code: 'MALFORMED_KEY_FILE', reason: `unsupported cipher ${error.name}` };
  }
}
