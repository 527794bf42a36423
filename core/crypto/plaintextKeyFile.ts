/**
 * The UNENCRYPTED key file that `kaldrix keygen --insecure-plaintext` writes for devnets and
 * tests, where a passphrase per validator would only get in the way.
 *
 *   { "kaldrix_keyfile_insecure_plaintext": 1,
 *     "warning": "UNENCRYPTED: anyone who can read this file can sign with this key. Devnet/test use only.",
 *     "scheme": "ml-dsa-44", "publicKey": "<hex>", "secretKey": "<hex>" }
 *
 * The version field's name is the marker: it can never be mistaken for the encrypted format of
 * core/crypto/keyfile.ts (`kaldrix_keyfile`), and `grep insecure_plaintext` finds every such
 * file. The reader is strict (exact fields, exact key lengths for the scheme) and total: any
 * text gives a value, never an exception.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { err, ok, type Result } from '../result.ts';
import { parseSchemeName, schemeInfo } from './schemes.ts';
import type { KeyPair } from './types.ts';

export const PLAINTEXT_MARKER_FIELD = 'kaldrix_keyfile_insecure_plaintext';
export const PLAINTEXT_VERSION = 1;
const WARNING = 'UNENCRYPTED: anyone who can read this file can sign with this key. Devnet/test use only.';
const FIELDS: readonly string[] = [PLAINTEXT_MARKER_FIELD, 'warning', 'scheme', 'publicKey', 'secretKey'];

export type PlaintextKeyFileError = { readonly code: 'MALFORMED'; readonly reason: string };

export function encodePlaintextKeyFile(keyPair: KeyPair): string {
  return `${JSON.stringify(
    {
      [PLAINTEXT_MARKER_FIELD]: PLAINTEXT_VERSION,
      warning: WARNING,
      scheme: keyPair.scheme,
      publicKey: bytesToHex(keyPair.publicKey),
      secretKey: bytesToHex(keyPair.secretKey),
    },
    null,
    2,
  )}\n`;
}

/** Decodes an already-parsed JSON object carrying the plaintext marker. */
export function decodePlaintextKeyFile(value: Readonly<Record<string, unknown>>): Result<KeyPair, PlaintextKeyFileError> {
  const extra = Object.keys(value).find((k) => !FIELDS.includes(k));
  if (extra !== undefined) return malformed(`unexpected field ${extra}`);
  if (value[PLAINTEXT_MARKER_FIELD] !== PLAINTEXT_VERSION) return malformed(`${PLAINTEXT_MARKER_FIELD} must be ${PLAINTEXT_VERSION}`);
  const scheme = typeof value['scheme'] === 'string' ? parseSchemeName(value['scheme']) : undefined;
  if (scheme === undefined || value['scheme'] !== scheme) return malformed('scheme is missing or unknown');
  const info = schemeInfo(scheme);
  const publicKey = exactHex(value['publicKey'], info.publicKeyBytes);
  if (publicKey === undefined) return malformed(`publicKey must be ${info.publicKeyBytes} bytes of hex`);
  const secretKey = exactHex(value['secretKey'], info.secretKeyBytes);
  if (secretKey === undefined) return malformed(`secretKey must be ${info.secretKeyBytes} bytes of hex`);
  return ok(Object.freeze({ scheme, publicKey, secretKey }));
}

/** Lower-case hex of exactly `lengthBytes` bytes (the writer's only form), else undefined. */
function exactHex(value: unknown, lengthBytes: number): Uint8Array | undefined {
  if (typeof value !== 'string' || value.length !== 2 * lengthBytes || !/^[0-9a-f]*$/.test(value)) return undefined;
  return hexToBytes(value);
}

function malformed(reason: string): Result<never, PlaintextKeyFileError> {
  return err({ code: 'MALFORMED', reason });
}
