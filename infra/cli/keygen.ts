/**
 * `kaldrix keygen`: a new signing key from fresh randomness, saved to a key file.
 *
 * The key is derived from a seed of `schemeInfo(scheme).seedBytes` bytes (32 for ML-DSA and
 * the hybrid) drawn from node:crypto, by the reference (noble) backend, so the same seed gives
 * the same key everywhere (Falcon keys are backend specific, see schemes.ts). The passphrase is
 * obtained before any key exists, so a cancelled prompt leaves nothing behind.
 *
 * This file is the command's spec (flags, help); the work is in _keygenRun.ts, loaded when the
 * command runs, so `kaldrix --help` and the other commands do not load the signature backends.
 */
import { DEFAULT_SCHEME, SCHEME_NAMES } from '../../core/crypto/schemes.ts';
import type { CommandSpec } from './command.ts';
import { EXIT } from './failure.ts';
import { PASSPHRASE_OPTIONS } from './passphrase.ts';

export const keygenCommand: CommandSpec = Object.freeze<CommandSpec>({
  name: 'keygen',
  summary: 'generate a signing key and save it to an encrypted key file',
  usage: [
    'keygen --out <file> [--scheme <name>] [--passphrase-file <file> | --passphrase-env <VAR>] [--force] [--json]',
    'keygen --out <file> [--scheme <name>] --insecure-plaintext [--force] [--json]',
  ],
  options: {
    scheme: { type: 'string', valueName: '<name>', description: `signature scheme: ${SCHEME_NAMES.join(', ')}`, defaultText: DEFAULT_SCHEME },
    out: { type: 'string', valueName: '<file>', description: 'where to write the key file (mode 0600)', required: true },
    ...PASSPHRASE_OPTIONS,
    'insecure-plaintext': { type: 'boolean', description: 'write the key UNENCRYPTED (devnets and tests only)' },
    force: { type: 'boolean', description: 'replace an existing file at --out' },
    json: { type: 'boolean', description: 'print one JSON object instead of text' },
  },
  notes: [
    'Passphrase: from --passphrase-file (the file\'s text; one final newline is ignored), from the environment variable named by ' +
      '--passphrase-env (pass the variable name, not the secret), or else typed at a terminal prompt without echo, ' +
      'twice. Without a terminal and without either flag, keygen fails instead of waiting.',
    'The key file is JSON; its secret key is encrypted with XChaCha20-Poly1305 under a key derived from the passphrase ' +
      'by scrypt (N=2^17: about a second, progress shown when stderr is a terminal). With --insecure-plaintext the secret ' +
      'key is stored in the clear, in a file marked "kaldrix_keyfile_insecure_plaintext" with a warning inside: anyone ' +
      'who can read it can sign as you. Use it only for devnet and test keys.',
    'Output: the scheme, the public key as tag-prefixed hex (what kaldrix verify accepts) and the account address.',
  ],
  examples: [
    'kaldrix keygen --out alice.key.json',
    'kaldrix keygen --scheme ml-dsa-44+ed25519 --out bob.key.json --passphrase-file ./bob.pass',
    'KEY_PASS=… kaldrix keygen --out ci.key.json --passphrase-env KEY_PASS --json',
    'kaldrix keygen --out devnet/validator-0.key.json --insecure-plaintext --force',
  ],
  exitCodes: [
    [EXIT.ok, 'the key file was written'],
    [EXIT.usage, 'bad flag or input, no passphrase available, --out exists (without --force) or cannot be written'],
    [EXIT.internal, 'internal error (a bug)'],
  ],
  // Key generation and the key file's encryption load only when the command runs.
  run: async (flags, io) => (await import('./_keygenRun.ts')).runKeygen(flags, io),
});
