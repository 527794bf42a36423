/**
 * How the CLI reports failure: exit codes and the one-line error message.
 *
 * Every user-facing failure is a value (`CliFailure`), printed as one line
 * `kaldrix <cmd>: <what> (<hint>)` on stderr. Exceptions are reserved for bugs, which `runCli`
 * turns into exit code 70 (EX_SOFTWARE from BSD sysexits.h, the convention for internal errors).
 */
import { err, type Err } from '../../core/result.ts';
import type { FileFailure } from './io.ts';

/** Exit codes shared by every command; each command's --help lists the ones it uses. */
export const EXIT = {
  /** The command did what was asked (for verify: the signature is valid). */
  ok: 0,
  /** A well-formed question answered "no": verify found the signature invalid; the node refused a tx. */
  rejected: 1,
  /** Bad usage or bad input: unknown flag, malformed hex, unreadable file, wrong passphrase. */
  usage: 2,
  /**
   * The node could not be asked: its API is unreachable, did not answer in time, or answered
   * something that is not the kaldrix API (`tx`, `status`); BSD sysexits would say
   * EX_UNAVAILABLE, but a small number keeps the codes of one program together.
   */
  unavailable: 3,
  /** A bug in kaldrix itself (an unexpected exception), BSD sysexits EX_SOFTWARE. */
  internal: 70,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type CliFailure = {
  /** What went wrong, e.g. `--message is not hex`. */
  readonly what: string;
  /** What to do about it, e.g. `use an even number of 0-9a-f digits`. */
  readonly hint: string;
};

export const failure = (what: string, hint: string): Err<CliFailure> => err({ what, hint });

/** Longest echo of user input inside an error message, so one line stays readable. */
const ECHO_MAX_CHARS = 40;

/**
 * Quotes user-supplied text for an error message: control characters escaped (the message
 * must stay one line and must not drive the terminal), long input cut with an ellipsis.
 */
export function quoteInput(text: string): string {
  const shown = text.length > ECHO_MAX_CHARS ? `${text.slice(0, ECHO_MAX_CHARS)}…` : text;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const escaped = shown.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${escaped}'`;
}

/** The one-line message for a failure of `command` ('' for the top level). */
export function formatFailure(command: string, f: CliFailure): string {
  const prefix = command === '' ? 'kaldrix' : `kaldrix ${command}`;
  return `${prefix}: ${f.what} (${f.hint})\n`;
}

/** A file failure in a few words, for "cannot read <file>: <problem>". */
export function describeFileProblem(f: FileFailure): string {
  switch (f.code) {
    case 'not-found':
      return 'no such file';
    case 'exists':
      return 'it already exists';
    case 'denied':
      return `permission denied (${f.detail})`;
    case 'is-directory':
      return 'it is a directory';
    case 'other':
      return f.detail;
  }
}
