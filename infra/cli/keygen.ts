/**
 * `kaldrix keygen`: a new signing key from fresh randomness, saved to a key file.
 *
 * The key is derived from a seed of `schemeInfo(scheme).seedBytes` bytes (32 for ML-DSA and
 * the hybrid) drawn from node:crypto, by the reference (noble) backend, so the same seed gives
 * the same key everywhere (Falcon keys are backend specific, see schemes.ts). The passphrase is
 * obtained before any key exists, so a cancelled prompt leaves nothing behind.
 */
import { ok, type Result } from '../../core/result.ts';
import { encodeAddress, addressFromPublicKey } from '../../core/crypto/address.ts';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { DEFAULT_SCHEME, SCHEME_NAMES, schemeInfo } from '../../core/crypto/schemes.ts';
import { encodePublicKey } from '../../core/crypto/signatureEncoding.ts';
import { booleanFlag, stringFlag, type CommandSpec, type FlagValues } from './command.ts';
import { parseSchemeFlag } from './cryptoArgs.ts';
import { EXIT, failure, quoteInput, type CliFailure, type ExitCode } from './failure.ts';
import { toHex } from './hexArg.ts';
import type { CliIo } from './io.ts';
import { writeKeyFile } from './keyFileStore.ts';
import { obtainPassphrase, PASSPHRASE_OPTIONS } from './passphrase.ts';

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
  run: runKeygen,
});

async function runKeygen(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
  const scheme = parseSchemeFlag(stringFlag(flags, 'scheme') ?? DEFAULT_SCHEME);
  if (!scheme.ok) return scheme;
  const out = stringFlag(flags, 'out') ?? '';
  if (out === '') return failure('--out is empty', 'give the path of the key file to write');
  const plaintext = booleanFlag(flags, 'insecure-plaintext');
  if (plaintext && (flags['passphrase-file'] !== undefined || flags['passphrase-env'] !== undefined)) {
    return failure('--insecure-plaintext conflicts with a passphrase flag', 'a plaintext key file has no passphrase; drop one of them');
  }
  const passphrase = plaintext ? ok(undefined) : await obtainPassphrase(flags, io, 'new-key');
  if (!passphrase.ok) return passphrase;

  const seed = io.randomBytes(schemeInfo(scheme.value).seedBytes);
  const keyPair = createNobleBackend().keygen(scheme.value, seed);
  const written = await writeKeyFile(io, {
    path: out, keyPair, passphrase: passphrase.value, replace: booleanFlag(flags, 'force'),
  });
  if (!written.ok) return written;
  if (passphrase.value === undefined) {
    io.stderr(`kaldrix keygen: warning: ${quoteInput(out)} is NOT encrypted (anyone who can read it can sign; devnet and test keys only)\n`);
  }

  const publicKeyHex = toHex(encodePublicKey({ scheme: keyPair.scheme, publicKey: keyPair.publicKey }));
  const address = encodeAddress(addressFromPublicKey(schemeInfo(keyPair.scheme).tag, keyPair.publicKey));
  const encrypted = passphrase.value !== undefined;
  if (booleanFlag(flags, 'json')) {
    io.stdout(`${JSON.stringify({ scheme: keyPair.scheme, publicKey: publicKeyHex, address, keyFile: out, encrypted })}\n`);
  } else {
    io.stdout(
      [
        `scheme:     ${keyPair.scheme}`,
        `public key: ${publicKeyHex}`,
        `address:    ${address}`,
        `key file:   ${out} (${encrypted ? 'encrypted' : 'INSECURE PLAINTEXT'})`,
        '',
      ].join('\n'),
    );
  }
  return ok(EXIT.ok);
}
