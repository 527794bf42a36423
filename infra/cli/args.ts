/**
 * Flag parsing for one command, on node:util parseArgs in strict mode.
 *
 * parseArgs finds the errors; this module turns each into a one-line failure that names the
 * offending flag and points at --help. Beyond parseArgs it rejects a flag given twice (the
 * last-one-wins default would silently hide a mistake such as two --key flags) and checks
 * required flags.
 */
import { parseArgs } from 'node:util';
import { ok, type Result } from '../../core/result.ts';
import type { FlagValues, OptionSpec } from './command.ts';
import { failure, quoteInput, type CliFailure } from './failure.ts';

type ParseOptions = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export type ParsedArgs = { readonly flags: FlagValues; readonly help: boolean };

/** Parses `argv` (the words after the command name) against a command's declared flags. */
export function parseCommandArgs(
  command: string,
  options: Readonly<Record<string, OptionSpec>>,
  argv: readonly string[],
): Result<ParsedArgs, CliFailure> {
  const parseOptions: ParseOptions = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(options)) parseOptions[name] = spec.multiple === true ? { type: spec.type, multiple: true } : { type: spec.type };
  const helpHint = `see kaldrix ${command} --help`;
  let parsed: ReturnType<typeof parseArgs<{ options: ParseOptions; tokens: true; strict: true; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: parseOptions, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    return failure(describeParseError(e, argv, parseOptions), helpHint);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || parseOptions[token.name]?.multiple === true) continue;
    if (seen.has(token.name)) return failure(`${token.rawName} given more than once`, helpHint);
    seen.add(token.name);
  }
  const flags: FlagValues = Object.freeze({ ...(parsed.values as Record<string, string | readonly string[] | boolean | undefined>) });
  return ok({ flags, help: parsed.values.help === true });
}

/** The first required flag missing from `flags`, as a failure. */
export function checkRequired(
  command: string,
  options: Readonly<Record<string, OptionSpec>>,
  flags: FlagValues,
): Result<void, CliFailure> {
  for (const [name, spec] of Object.entries(options)) {
    if (spec.required === true && flags[name] === undefined) {
      return failure(`missing --${name}`, `see kaldrix ${command} --help`);
    }
  }
  return ok(undefined);
}

/** parseArgs error codes (Node's `ERR_PARSE_ARGS_*`), mapped to a short phrase. */
function describeParseError(e: unknown, argv: readonly string[], options: ParseOptions): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  const culprit = findCulprit(argv, options);
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${culprit ?? quotedFromMessage(e)}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${culprit ?? quotedFromMessage(e)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return describeBadValue(culprit ?? quotedFromMessage(e), options);
    default:
      // Not a usage error: let runCli report it as the bug it is.
      throw e;
  }
}

/** Names the flag whose value is missing, superfluous (boolean given `=x`) or ambiguous. */
function describeBadValue(culprit: string, options: ParseOptions): string {
  const name = culprit.replace(/^'--?/, '').replace(/'$/, '');
  if (Object.hasOwn(options, name) && options[name]?.type === 'boolean') return `flag ${culprit} takes no value`;
  return `flag ${culprit} needs a value`;
}

/**
 * Walks `argv` like parseArgs does, to find the word it rejected, quoted for display.
 * Returns undefined if no word stands out (then the caller quotes parseArgs' own message).
 */
function findCulprit(argv: readonly string[], options: ParseOptions): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--') return argv[i + 1] === undefined ? undefined : quoteInput(argv[i + 1] ?? '');
    if (!word.startsWith('-') || word === '-') return quoteInput(word);
    if (!word.startsWith('--')) {
      // A cluster of short flags such as -h: only booleans have short forms here.
      const unknown = [...word.slice(1)].find((letter) => shortName(letter, options) === undefined);
      if (unknown !== undefined) return quoteInput(`-${unknown}`);
      continue;
    }
    const at = word.indexOf('=');
    const name = at > 0 ? word.slice(2, at) : word.slice(2);
    // Own properties only: `--__proto__` or `--constructor` must not find Object.prototype's.
    const spec = Object.hasOwn(options, name) ? options[name] : undefined;
    if (spec === undefined) return quoteInput(`--${name}`);
    if (spec.type === 'boolean' && at > 0) return quoteInput(`--${name}`);
    if (spec.type === 'string' && at < 0) {
      if (!isValueLike(argv[i + 1])) return quoteInput(`--${name}`);
      i++;
    }
  }
  return undefined;
}

/** parseArgs takes the next word as a value unless it looks like a flag (`-x`, not `-`). */
function isValueLike(word: string | undefined): boolean {
  return word !== undefined && !(word.length > 1 && word.startsWith('-'));
}

function shortName(letter: string, options: ParseOptions): string | undefined {
  return Object.entries(options).find(([, o]) => o.short === letter)?.[0];
}

function quotedFromMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : '';
  const m = /'([^']*)'/.exec(message);
  return quoteInput((m?.[1] ?? '?').replace(/ <value>$/, ''));
}
