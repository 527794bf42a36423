/**
 * Help pages: `kaldrix --help` (the command list) and `kaldrix <cmd> --help` (one command),
 * both rendered from the command specs so they list exactly the flags the parser accepts.
 */
import type { CommandSpec, OptionSpec } from './command.ts';

/** Column where flag descriptions start in a help page. */
const FLAG_COLUMN_CHARS = 30;

export function formatTopHelp(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'kaldrix: the KALDRIX command line (quantum-resistant DAG blockchain)',
    '',
    'Usage: kaldrix <command> [flags]',
    '       kaldrix <command> --help',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Flags:',
    `  ${'-h, --help'.padEnd(FLAG_COLUMN_CHARS - 2)}show this help`,
    `  ${'--version'.padEnd(FLAG_COLUMN_CHARS - 2)}print the version`,
    '',
    'Exit codes: 0 success, 1 verify found the signature invalid or a node refused the transaction,',
    '2 bad usage or input, 3 the node was unreachable or the wait timed out,',
    '70 internal error (a bug in kaldrix; please report it).',
    '',
  ].join('\n');
}

export function formatCommandHelp(spec: CommandSpec): string {
  const lines = [`kaldrix ${spec.name}: ${spec.summary}`, '', 'Usage:'];
  for (const u of spec.usage) lines.push(`  kaldrix ${u}`);
  lines.push('', 'Flags:');
  for (const [name, option] of Object.entries(spec.options)) lines.push(formatFlag(name, option));
  lines.push(formatFlag('help', { type: 'boolean', description: 'show this help' }, '-h, '));
  for (const note of spec.notes) lines.push('', ...wrap(note, 92));
  lines.push('', 'Examples:');
  for (const example of spec.examples) lines.push(`  ${example}`);
  lines.push('', 'Exit codes:');
  for (const [code, meaning] of spec.exitCodes) lines.push(`  ${String(code).padEnd(4)}${meaning}`);
  lines.push('');
  return lines.join('\n');
}

function formatFlag(name: string, option: OptionSpec, shortPrefix = ''): string {
  const head = `${shortPrefix}--${name}${option.type === 'string' ? ` ${option.valueName ?? '<value>'}` : ''}`;
  const extras = [option.required === true ? 'required' : undefined, option.defaultText === undefined ? undefined : `default: ${option.defaultText}`]
    .filter((x) => x !== undefined);
  const description = extras.length === 0 ? option.description : `${option.description} (${extras.join('; ')})`;
  const padded = head.length >= FLAG_COLUMN_CHARS - 2 ? `${head}\n${' '.repeat(FLAG_COLUMN_CHARS)}` : head.padEnd(FLAG_COLUMN_CHARS - 2);
  return `  ${padded}${description}`;
}

/** Greedy word wrap of a paragraph to `widthChars` columns. */
function wrap(paragraph: string, widthChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > widthChars) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
