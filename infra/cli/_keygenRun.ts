/**
 * What `kaldrix keygen` does (the spec and help are in keygen.ts): obtain the passphrase, draw
 * a seed, derive the key with the reference backend, write the key file, print the public key
 * and address.
 *
 * Loaded by keygen.ts only when the command runs: it pulls in the noble backend and scrypt.
 */
import { ok, type Result } from '../../core/result.ts';
import { encodeAddress, addressFromPublicKey } from '../../core/crypto/address.ts';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { DEFAULT_SCHEME, schemeInfo } from '../../core/crypto/schemes.ts';
import { encodePublicKey } from '../../core/crypto/signatureEncoding.ts';
import { booleanFlag, stringFlag, type FlagValues } from './command.ts';
import { parseSchemeFlag } from './cryptoArgs.ts';
import { EXIT, failure, quoteInput, type CliFailure, type ExitCode } from './failure.ts';
import { toHex } from './hexArg.ts';
import type { CliIo } from './io.ts';
import { writeKeyFile } from './keyFileStore.ts';
import { obtainPassphrase } from './passphrase.ts';

/** Runs `kaldrix keygen` (the dispatcher has checked that --out is present). */
export async function runKeygen(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
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
