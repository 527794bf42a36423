/**
 * Where a key file's passphrase comes from.
 *
 * Non-interactive (scripts, tests, CI): `--passphrase-file <file>` (the file's UTF-8 text, one
 * trailing newline removed) or `--passphrase-env <VAR>` (the named environment variable; the
 * flag takes the variable's name, never the secret, so the secret stays out of `ps` and shell
 * history). Interactive: with neither flag and a terminal on stdin, a prompt without echo
 * (asked twice when creating a key). Otherwise the command fails rather than hang.
 */
import { ok, type Result } from '../../core/result.ts';
import { stringFlag, type FlagValues, type OptionSpec } from './command.ts';
import { describeFileProblem, failure, quoteInput, type CliFailure } from './failure.ts';
import type { CliIo } from './io.ts';

export const PASSPHRASE_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.freeze({
  'passphrase-file': { type: 'string', valueName: '<file>', description: 'read the passphrase from this file (a final newline is ignored)' },
  'passphrase-env': { type: 'string', valueName: '<VAR>', description: 'read the passphrase from environment variable VAR' },
});

/** Why a passphrase is asked for: a new key file asks twice, an existing one once. */
export type PassphrasePurpose = 'new-key' | 'unlock-key';

export async function obtainPassphrase(flags: FlagValues, io: CliIo, purpose: PassphrasePurpose): Promise<Result<string, CliFailure>> {
  const file = stringFlag(flags, 'passphrase-file');
  const envName = stringFlag(flags, 'passphrase-env');
  if (file !== undefined && envName !== undefined) {
    return failure('both --passphrase-file and --passphrase-env given', 'choose one source for the passphrase');
  }
  const obtained = file !== undefined ? await fromFile(io, file) : envName !== undefined ? fromEnv(io, envName) : await fromPrompt(io, purpose);
  if (!obtained.ok) return obtained;
  if (obtained.value === '') {
    const hint = purpose === 'new-key' ? 'choose a non-empty passphrase, or --insecure-plaintext for a devnet key' : 'the key file needs its passphrase';
    return failure('the passphrase is empty', hint);
  }
  return obtained;
}

async function fromFile(io: CliIo, path: string): Promise<Result<string, CliFailure>> {
  const read = await io.readFile(path);
  if (!read.ok) return failure(`cannot read --passphrase-file ${quoteInput(path)}: ${describeFileProblem(read.error)}`, 'check the path');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.value);
  } catch {
    return failure(`--passphrase-file ${quoteInput(path)} is not UTF-8 text`, 'store the passphrase as UTF-8 text');
  }
  // One trailing line break is how editors and `echo` end a file; it is not part of the secret.
  return ok(text.replace(/\r?\n$/, ''));
}

function fromEnv(io: CliIo, name: string): Result<string, CliFailure> {
  // Own string values only: a name such as `__proto__` must not reach Object.prototype.
  const value = Object.hasOwn(io.env, name) ? io.env[name] : undefined;
  if (typeof value !== 'string') return failure(`environment variable ${quoteInput(name)} is not set`, '--passphrase-env takes the name of a variable, not the passphrase');
  return ok(value);
}

async function fromPrompt(io: CliIo, purpose: PassphrasePurpose): Promise<Result<string, CliFailure>> {
  const noSource = failure('no passphrase given', 'use --passphrase-file <file> or --passphrase-env <VAR>, or run in a terminal');
  if (!io.canPrompt) return noSource;
  const cancelled = failure('passphrase entry cancelled', purpose === 'new-key' ? 'no key was written' : 'nothing was signed');
  const first = await io.promptPassphrase(purpose === 'new-key' ? 'New passphrase: ' : 'Passphrase: ');
  if (!first.ok) return first.error.code === 'cancelled' ? cancelled : noSource;
  if (purpose === 'unlock-key') return ok(first.value);
  const second = await io.promptPassphrase('Repeat passphrase: ');
  if (!second.ok) return second.error.code === 'cancelled' ? cancelled : noSource;
  if (second.value !== first.value) return failure('the two passphrases differ', 'run the command again and type the same passphrase twice');
  return ok(first.value);
}
