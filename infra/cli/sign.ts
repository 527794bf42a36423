/**
 * `kaldrix sign`: signs a hex message with a key file, under a FIPS 204 context.
 *
 * Signing is hedged (FIPS 204 §3.4): 32 fresh random bytes per signature, so two signatures of
 * one message differ, and a fault or side channel in one signature reveals less. Output is the
 * self-describing (tag-prefixed) signature, which `kaldrix verify` and the chain accept.
 */
import { ok, type Result } from '../../core/result.ts';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { createLocalSigner } from '../../core/crypto/signer.ts';
import type { KeyPair, Signature } from '../../core/crypto/types.ts';
import { encodeSignature, encodePublicKey } from '../../core/crypto/signatureEncoding.ts';
import { booleanFlag, stringFlag, type CommandSpec, type FlagValues } from './command.ts';
import { DEFAULT_CONTEXT_TEXT, parseContextFlag } from './cryptoArgs.ts';
import { EXIT, failure, type CliFailure, type ExitCode } from './failure.ts';
import { parseHexFlag, toHex } from './hexArg.ts';
import type { CliIo } from './io.ts';
import { loadKeyFile } from './keyFileStore.ts';
import { PASSPHRASE_OPTIONS } from './passphrase.ts';

export const signCommand: CommandSpec = Object.freeze<CommandSpec>({
  name: 'sign',
  summary: 'sign a hex message with a key file; prints the signature as hex',
  usage: ['sign --key <file> --message <hex> [--context <text>] [--passphrase-file <file> | --passphrase-env <VAR>] [--json]'],
  options: {
    key: { type: 'string', valueName: '<file>', description: 'key file written by kaldrix keygen', required: true },
    message: { type: 'string', valueName: '<hex>', description: 'the message to sign, as hex (may be empty)', required: true },
    context: { type: 'string', valueName: '<text>', description: 'FIPS 204 context string, UTF-8, at most 255 bytes', defaultText: DEFAULT_CONTEXT_TEXT },
    ...PASSPHRASE_OPTIONS,
    json: { type: 'boolean', description: 'print one JSON object (scheme, signature, public key, context)' },
  },
  notes: [
    'The passphrase of an encrypted key file comes from --passphrase-file, --passphrase-env, or a terminal prompt ' +
      'without echo; a plaintext (devnet) key file needs none.',
    'The signature is printed as one line of hex: one scheme tag byte, then the signature. Signing is hedged, so ' +
      'signing the same message twice gives two different, equally valid signatures. The context separates domains: ' +
      'a signature made under one context never verifies under another.',
  ],
  examples: [
    'kaldrix sign --key alice.key.json --message 68656c6c6f',
    'kaldrix sign --key alice.key.json --message 0x00ff --context kaldrix/message/v1 --passphrase-env KEY_PASS --json',
  ],
  exitCodes: [
    [EXIT.ok, 'the signature was printed'],
    [EXIT.usage, 'bad flag or input, unreadable or malformed key file, wrong or missing passphrase'],
    [EXIT.internal, 'internal error (a bug)'],
  ],
  run: runSign,
});

async function runSign(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
  // Cheap checks first, so a typo costs no scrypt run and no passphrase prompt.
  const message = parseHexFlag('message', stringFlag(flags, 'message') ?? '');
  if (!message.ok) return message;
  const contextText = stringFlag(flags, 'context') ?? DEFAULT_CONTEXT_TEXT;
  const context = parseContextFlag(contextText);
  if (!context.ok) return context;
  const key = await loadKeyFile(io, flags, stringFlag(flags, 'key') ?? '');
  if (!key.ok) return key;

  const signature = await signAndCheck(io, key.value, message.value, context.value);
  if (!signature.ok) return signature;
  const signatureHex = toHex(encodeSignature(signature.value));
  if (booleanFlag(flags, 'json')) {
    const publicKey = toHex(encodePublicKey({ scheme: key.value.scheme, publicKey: key.value.publicKey }));
    io.stdout(`${JSON.stringify({ scheme: key.value.scheme, signature: signatureHex, publicKey, context: contextText })}\n`);
  } else {
    io.stdout(`${signatureHex}\n`);
  }
  return ok(EXIT.ok);
}

/** Signature hedging input: FIPS 204 `rnd` is 32 bytes. */
const SIGN_RANDOM_BYTES = 32;

/**
 * Signs with the reference backend, then verifies before anything is printed: a key file whose
 * secret key does not match its public key (the file format cannot rule it out, keyfile.ts), or
 * a faulty signing run, must never yield a signature that fails later, far from its cause.
 */
async function signAndCheck(io: CliIo, keyPair: KeyPair, message: Uint8Array, context: Uint8Array): Promise<Result<Signature, CliFailure>> {
  const backend = createNobleBackend();
  const signer = createLocalSigner(backend, keyPair, { random: () => io.randomBytes(SIGN_RANDOM_BYTES) });
  const signature = await signer.sign(message, context);
  if (!backend.verify(keyPair.scheme, keyPair.publicKey, message, signature.bytes, context)) {
    return failure('the new signature does not verify under the key file\'s public key', 'the key file may be damaged (its secret and public key differ); restore it from a backup');
  }
  return ok(signature);
}
