/**
 * The shape of one CLI command: its flags (which drive both parsing and --help), its help
 * text, and its action.
 *
 * Declaring the flags once keeps the parser and the help page from drifting apart.
 */
import type { Result } from '../../core/result.ts';
import type { CliFailure, ExitCode } from './failure.ts';
import type { CliIo } from './io.ts';

export type OptionSpec = {
  readonly type: 'string' | 'boolean';
  /** Placeholder shown in help for a string flag, e.g. `<file>`. */
  readonly valueName?: string;
  readonly description: string;
  /** The default as shown in help; absent when the flag has none or is required. */
  readonly defaultText?: string;
  readonly required?: boolean;
  /** A string flag that may be given several times; its value is then the list, in order. */
  readonly multiple?: boolean;
};

/** Flag values after parsing: strings for string flags, `true` for boolean flags given. */
export type FlagValues = Readonly<Record<string, string | readonly string[] | boolean | undefined>>;

export type CommandSpec = {
  readonly name: string;
  /** One line for `kaldrix --help`. */
  readonly summary: string;
  /** Usage lines without the leading `kaldrix `. */
  readonly usage: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Paragraphs explaining behaviour a user must know (formats, safety). */
  readonly notes: readonly string[];
  readonly examples: readonly string[];
  readonly exitCodes: readonly (readonly [code: ExitCode, meaning: string])[];
  run(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>>;
};

/** The value of a string flag, or undefined when it was not given. */
export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** The values of a `multiple` string flag, in order (empty when not given). */
export function listFlag(flags: FlagValues, name: string): readonly string[] {
  const value = flags[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** Whether a boolean flag was given. */
export function booleanFlag(flags: FlagValues, name: string): boolean {
  return flags[name] === true;
}
