/**
 * Reading and writing key files for the CLI: the encrypted format of core/crypto/keyfile.ts
 * (scrypt + XChaCha20-Poly1305) and the marked plaintext format of plaintextKeyFile.ts.
 *
 * Every way this can go wrong for a user (missing file, wrong passphrase, a file that is not a
 * key file, an existing --out) becomes a one-line failure; the scrypt progress is drawn on
 * stderr only when stderr is a terminal, so logs and pipes stay clean.
 */
import { ok, type Result } from '../../core/result.ts';
import { DEFAULT_SCRYPT_N, decryptKeyFile, encryptKeyFile, type KeyFileError } from '../../core/crypto/keyfile.ts';
import { schemeInfo } from '../../core/crypto/schemes.ts';
import type { KeyPair } from '../../core/crypto/types.ts';
import type { FlagValues } from './command.ts';
import { describeFileProblem, failure, quoteInput, type CliFailure } from './failure.ts';
import type { CliIo, FileFailure } from './io.ts';
import { obtainPassphrase } from './passphrase.ts';
import { decodePlaintextKeyFile, encodePlaintextKeyFile, PLAINTEXT_MARKER_FIELD } from '../../core/crypto/plaintextKeyFile.ts';

/** Owner read/write only: a key file is a secret even when encrypted (offline guessing). */
const KEY_FILE_MODE = 0o600;
/** Largest key file read; the biggest real one (ML-DSA-87, hex) is about 20 KB. */
const KEY_FILE_MAX_BYTES = 1 << 16;
/** Marker field of the encrypted format (core/crypto/keyfile.ts). */
const ENCRYPTED_MARKER_FIELD = 'kaldrix_keyfile';

export type WriteKeyFileRequest = {
  readonly path: string;
  readonly keyPair: KeyPair;
  /** undefined writes the insecure plaintext format. */
  readonly passphrase: string | undefined;
  /** Replace an existing file (--force). */
  readonly replace: boolean;
};

export async function writeKeyFile(io: CliIo, request: WriteKeyFileRequest): Promise<Result<void, CliFailure>> {
  const { keyPair, passphrase } = request;
  const text =
    passphrase === undefined
      ? encodePlaintextKeyFile(keyPair)
      : `${encryptKeyFile(keyPair, passphrase, {
          random: (n) => io.randomBytes(n),
          scryptN: io.testScryptN ?? DEFAULT_SCRYPT_N,
          ...progressOption(io, 'keygen', 'encrypting the key'),
        })}\n`;
  const written = await io.writeFile(request.path, new TextEncoder().encode(text), { exclusive: !request.replace, mode: KEY_FILE_MODE });
  if (!written.ok) return failure(...describeWriteFailure(request.path, written.error));
  return ok(undefined);
}

/** Reads, parses and (when encrypted) opens the key file at `path`, asking for its passphrase. */
export async function loadKeyFile(io: CliIo, flags: FlagValues, path: string): Promise<Result<KeyPair, CliFailure>> {
  const shown = quoteInput(path);
  const read = await io.readFile(path);
  if (!read.ok) return failure(`cannot read key file ${shown}: ${describeFileProblem(read.error)}`, 'check the --key path');
  if (read.value.length > KEY_FILE_MAX_BYTES) return failure(`key file ${shown} is too large to be a key file`, 'check the --key path');
  const document = parseJsonObject(read.value);
  if (document === undefined) return failure(`${shown} is not a key file (not a JSON object)`, 'use a file written by kaldrix keygen');
  if (PLAINTEXT_MARKER_FIELD in document) {
    const plain = decodePlaintextKeyFile(document);
    if (!plain.ok) return failure(`plaintext key file ${shown} is malformed: ${plain.error.reason}`, 'use a file written by kaldrix keygen');
    return plain;
  }
  if (!(ENCRYPTED_MARKER_FIELD in document)) return failure(`${shown} is not a key file (no ${ENCRYPTED_MARKER_FIELD} field)`, 'use a file written by kaldrix keygen');
  const passphrase = await obtainPassphrase(flags, io, 'unlock-key');
  if (!passphrase.ok) return passphrase;
  const opened = decryptKeyFile(new TextDecoder().decode(read.value), passphrase.value, progressOption(io, 'sign', 'opening the key'));
  if (!opened.ok) return failure(...describeKeyFileError(shown, opened.error));
  const info = schemeInfo(opened.value.scheme);
  if (opened.value.publicKey.length !== info.publicKeyBytes || opened.value.secretKey.length !== info.secretKeyBytes) {
    return failure(`key file ${shown} holds keys of the wrong length for ${info.name}`, 'use a file written by kaldrix keygen');
  }
  return ok(opened.value);
}

function parseJsonObject(bytes: Uint8Array): Readonly<Record<string, unknown>> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** scrypt progress as a percentage on one rewritten stderr line, when stderr is a terminal. */
function progressOption(io: CliIo, command: string, what: string): { onProgress?: (fraction: number) => void } {
  if (!io.stderrIsTerminal) return {};
  let shownPercent = -1;
  return {
    onProgress: (fraction: number) => {
      const percent = Math.min(100, Math.floor(fraction * 100));
      if (percent === shownPercent) return;
      shownPercent = percent;
      io.stderr(`\rkaldrix ${command}: ${what} (scrypt) ${percent}%${percent === 100 ? '\n' : ''}`);
    },
  };
}

function describeWriteFailure(path: string, f: FileFailure): [string, string] {
  const shown = quoteInput(path);
  switch (f.code) {
    case 'exists':
      return [`${shown} already exists`, 'pass --force to replace it, or choose another --out'];
    case 'not-found':
      return [`cannot write ${shown}: its directory does not exist`, 'create the directory first'];
    case 'denied':
      return [`cannot write ${shown}: permission denied (${f.detail})`, 'choose a writable location'];
    case 'is-directory':
      return [`cannot write ${shown}: it is a directory`, 'give a file path to --out'];
    case 'other':
      return [`cannot write ${shown} (${f.detail})`, 'check the path and the disk'];
  }
}

function describeKeyFileError(shown: string, e: KeyFileError): [string, string] {
  const fix = 'use a file written by kaldrix keygen';
  switch (e.code) {
    case 'WRONG_PASSPHRASE':
      return [`wrong passphrase for key file ${shown}, or the file was altered`, 'check the passphrase and its source'];
    case 'MALFORMED':
      return [`key file ${shown} is malformed: ${e.reason}`, fix];
    case 'UNSUPPORTED_VERSION':
      return [`key file ${shown} has version ${e.version}, which this kaldrix does not read`, 'use a newer kaldrix'];
    case 'UNKNOWN_SCHEME':
      return [`key file ${shown} names unknown scheme ${quoteInput(e.scheme)}`, fix];
    case 'UNSUPPORTED_KDF':
      return [`key file ${shown} asks for an unsupported key derivation: ${e.reason}`, fix];
    case 'WEAK_KDF':
      return [`key file ${shown} uses a scrypt cost too low to be safe (N=${e.N}, r=${e.r})`, 're-create the key with kaldrix keygen'];
    case 'UNSUPPORTED_CIPHER':
      return [`key file ${shown} uses unsupported cipher ${quoteInput(e.name)}`, fix];
  }
}
