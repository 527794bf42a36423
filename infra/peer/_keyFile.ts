/**
 * The validator's key file, as `kaldrix start --validator-key` names it: a plaintext devnet key
 * (core/crypto/plaintextKeyFile.ts) or an encrypted one (core/crypto keyFile), unlocked with the
 * passphrase. Every failure names the file and is something a person can fix.
 */
import { readFile } from 'node:fs/promises';
import { decryptKeyFile, type KeyPair } from '../../core/crypto/index.ts';
import { decodePlaintextKeyFile, PLAINTEXT_MARKER_FIELD } from '../../core/crypto/plaintextKeyFile.ts';
import { err, ok, type Result } from '../../core/result.ts';

export type KeyFileError = { readonly code: 'KEY_UNREADABLE' | 'KEY_INVALID'; readonly message: string };

const keyError = (code: KeyFileError['code'], message: string): Result<never, KeyFileError> => err({ code, message });

export async function loadValidatorKey(path: string, passphrase: string | undefined): Promise<Result<KeyPair, KeyFileError>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return keyError('KEY_UNREADABLE', `${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return keyError('KEY_INVALID', `${path}: not JSON`);
  }
  if (typeof doc === 'object' && doc !== null && PLAINTEXT_MARKER_FIELD in doc) {
    const decoded = decodePlaintextKeyFile(doc as Record<string, unknown>);
    return decoded.ok ? ok(decoded.value) : keyError('KEY_INVALID', `${path}: ${decoded.error.reason}`);
  }
  if (passphrase === undefined) return keyError('KEY_INVALID', `${path} is encrypted: set KALDRIX_KEY_PASSPHRASE (or pass a passphrase) to unlock it`);
  const decrypted = decryptKeyFile(text, passphrase);
  return decrypted.ok ? ok(decrypted.value) : keyError('KEY_INVALID', `${path}: ${decrypted.error.code}`);
}
