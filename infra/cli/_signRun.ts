/**
 * What `kaldrix sign` does (the spec and help are in sign.ts): check the message and context,
 * unlock the key file, sign with hedging, verify the new signature, print it.
 *
 * Loaded by sign.ts only when the command runs: it pulls in the noble backend and scrypt.
 */
import { ok, type Result } from '../../core/result.ts';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { createLocalSigner } from '../../core/crypto/signer.ts';
import type { KeyPair, Signature } from '../../core/crypto/types.ts';
import { encodeSignature, encodePublicKey } from '../../core/crypto/signatureEncoding.ts';
import { booleanFlag, stringFlag, type FlagValues } from './command.ts';
import { DEFAULT_CONTEXT_TEXT, parseContextFlag } from './cryptoArgs.ts';
import { EXIT, failure, type CliFailure, type ExitCode } from './failure.ts';
import { parseHexFlag, toHex } from './hexArg.ts';
import type { CliIo } from './io.ts';
import { loadKeyFile } from './keyFileStore.ts';

/** Runs `kaldrix sign` (the dispatcher has checked that --key and --message are present). */
export async function runSign(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
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
