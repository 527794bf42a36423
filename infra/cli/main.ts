/**
 * The `kaldrix` command line: dispatch, help, and the boundary between failures and bugs.
 *
 * `runCli(argv, io)` is the whole program as a function: it takes the words after `kaldrix`
 * and an injectable `CliIo`, and returns the exit code, so tests run it in-process. `main()`
 * wires the real Node io and sets `process.exitCode`; `bin/kaldrix.mjs` calls it.
 *
 * User errors (bad flags, bad input, unreadable files) are values printed as one line on
 * stderr with exit 2; anything thrown is a bug: a short message and exit 70, and the stack
 * only when KALDRIX_DEBUG=1.
 */
import packageJson from '../../package.json' with { type: 'json' };
import { err, ok, type Result } from '../../core/result.ts';
import { checkRequired, parseCommandArgs } from './args.ts';
import type { CommandSpec } from './command.ts';
import { EXIT, formatFailure, quoteInput, type CliFailure, type ExitCode } from './failure.ts';
import { formatCommandHelp, formatTopHelp } from './help.ts';
import type { CliIo } from './io.ts';
import { keygenCommand } from './keygen.ts';
import { createNodeIo } from './nodeIo.ts';
import { signCommand } from './sign.ts';
import { verifyCommand } from './verify.ts';
import { startCommand } from './start.ts';
import { devnetCommand } from './devnet.ts';
import { txTransferCommand } from './tx.ts';
import { statusCommand } from './status.ts';
import { simCommand } from './simEntry.ts';

/**
 * The commands that exist today, in the order `kaldrix --help` lists them. A name of two words
 * (`tx transfer`) is a command with a subcommand; `sim` is run by bin/kaldrix.mjs (simEntry.ts).
 */
export const COMMANDS: readonly CommandSpec[] = Object.freeze([
  startCommand, devnetCommand, keygenCommand, signCommand, verifyCommand, txTransferCommand, statusCommand, simCommand,
]);

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    return reportBug(e, io);
  }
}

/** The process entry: real io, exit code through `process.exitCode` (so output is flushed). */
export async function main(): Promise<void> {
  // `kaldrix … | head -1` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  process.exitCode = await runCli(process.argv.slice(2), createNodeIo());
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(formatTopHelp(COMMANDS));
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h') {
    io.stdout(formatTopHelp(COMMANDS));
    return EXIT.ok;
  }
  if (first === 'help') return helpCommand(rest, io);
  if (first === '--version') {
    io.stdout(`kaldrix ${packageJson.version}\n`);
    return EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found.ok) {
    io.stderr(formatFailure(found.error.command, found.error));
    return EXIT.usage;
  }
  return runCommand(found.value.spec, found.value.rest, io);
}

type CommandLookupFailure = CliFailure & { readonly command: string };

/** The command `argv` names (one word, or two for a subcommand) and the words after it. */
function findCommand(argv: readonly string[]): Result<{ spec: CommandSpec; rest: readonly string[] }, CommandLookupFailure> {
  const [first = '', second] = argv;
  const exact = COMMANDS.find((c) => c.name === first);
  if (exact !== undefined) return ok({ spec: exact, rest: argv.slice(1) });
  const subcommands = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  const sub = subcommands.find((c) => c.name === `${first} ${second ?? ''}`);
  if (sub !== undefined) return ok({ spec: sub, rest: argv.slice(2) });
  const hint = 'run kaldrix --help for the list of commands';
  if (subcommands.length > 0) {
    const names = subcommands.map((c) => c.name.slice(first.length + 1)).join(', ');
    const what = second === undefined || second.startsWith('-') ? `needs a subcommand (${names})` : `unknown subcommand ${quoteInput(second)} (known: ${names})`;
    return err({ command: first, what, hint });
  }
  const what = first.startsWith('-') ? `unknown flag ${quoteInput(first)}` : `unknown command ${quoteInput(first)}`;
  return err({ command: '', what, hint });
}

async function runCommand(spec: CommandSpec, argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(spec.name, spec.options, argv);
  if (!parsed.ok) {
    io.stderr(formatFailure(spec.name, parsed.error));
    return EXIT.usage;
  }
  if (parsed.value.help) {
    io.stdout(formatCommandHelp(spec));
    return EXIT.ok;
  }
  const required = checkRequired(spec.name, spec.options, parsed.value.flags);
  if (!required.ok) {
    io.stderr(formatFailure(spec.name, required.error));
    return EXIT.usage;
  }
  const outcome = await spec.run(parsed.value.flags, io);
  if (outcome.ok) return outcome.value;
  io.stderr(formatFailure(spec.name, outcome.error));
  return EXIT.usage;
}

/** `kaldrix help [command]`: the same pages as --help. */
function helpCommand(rest: readonly string[], io: CliIo): ExitCode {
  if (rest.length === 0) {
    io.stdout(formatTopHelp(COMMANDS));
    return EXIT.ok;
  }
  const found = findCommand(rest);
  if (!found.ok || found.value.rest.length > 0) {
    const what = found.ok ? `unexpected argument ${quoteInput(found.value.rest[0] ?? '')}` : `unknown command ${quoteInput(rest.join(' '))}`;
    io.stderr(formatFailure('help', { what, hint: 'run kaldrix --help for the list of commands' }));
    return EXIT.usage;
  }
  io.stdout(formatCommandHelp(found.value.spec));
  return EXIT.ok;
}

function reportBug(e: unknown, io: CliIo): ExitCode {
  const message = e instanceof Error ? e.message : String(e);
  const firstLine = message.split('\n', 1)[0] ?? '';
  io.stderr(`kaldrix: internal error: ${firstLine} (this is a bug in kaldrix; KALDRIX_DEBUG=1 prints the stack)\n`);
  if (io.env['KALDRIX_DEBUG'] === '1' && e instanceof Error && e.stack !== undefined) io.stderr(`${e.stack}\n`);
  return EXIT.internal;
}
