import { describe, expect, it } from 'vitest';
import { checkRequired, parseCommandArgs } from './args.ts';
import type { OptionSpec } from './command.ts';

const options: Record<string, OptionSpec> = {
  scheme: { type: 'string', valueName: '<name>', description: 'scheme', required: true },
  out: { type: 'string', valueName: '<file>', description: 'output' },
  force: { type: 'boolean', description: 'overwrite' },
};

const parse = (argv: string[]) => parseCommandArgs('keygen', options, argv);
const failureOf = (argv: string[]): string => {
  const r = parse(argv);
  if (r.ok) throw new Error(`expected failure for ${JSON.stringify(argv)}`);
  return `${r.error.what} (${r.error.hint})`;
};

describe('parseCommandArgs', () => {
  it('parses string and boolean flags, both --flag value and --flag=value', () => {
    const r = parse(['--scheme', 'ml-dsa-44', '--out=k.json', '--force']);
    expect(r.ok && r.value.flags).toEqual({ scheme: 'ml-dsa-44', out: 'k.json', force: true });
    expect(r.ok && r.value.help).toBe(false);
  });

  it('recognises --help and -h', () => {
    const long = parse(['--help']);
    expect(long.ok && long.value.help).toBe(true);
    const r = parse(['-h']);
    expect(r.ok && r.value.help).toBe(true);
  });

  it('names an unknown long or short flag and points at --help', () => {
    expect(failureOf(['--nope'])).toBe("unknown flag '--nope' (see kaldrix keygen --help)");
    expect(failureOf(['--nope=3'])).toBe("unknown flag '--nope' (see kaldrix keygen --help)");
    expect(failureOf(['-hz'])).toBe("unknown flag '-z' (see kaldrix keygen --help)");
  });

  it('names flags that collide with Object.prototype members correctly', () => {
    expect(failureOf(['--__proto__', 'x'])).toBe("unknown flag '--__proto__' (see kaldrix keygen --help)");
    expect(failureOf(['--hasOwnProperty', '--scheme'])).toBe("unknown flag '--hasOwnProperty' (see kaldrix keygen --help)");
    expect(failureOf(['--constructor=1'])).toBe("unknown flag '--constructor' (see kaldrix keygen --help)");
  });

  it('names a string flag without a value', () => {
    expect(failureOf(['--scheme'])).toBe("flag '--scheme' needs a value (see kaldrix keygen --help)");
    expect(failureOf(['--scheme', '--force'])).toBe("flag '--scheme' needs a value (see kaldrix keygen --help)");
  });

  it('names a boolean flag given a value', () => {
    expect(failureOf(['--force=yes'])).toBe("flag '--force' takes no value (see kaldrix keygen --help)");
  });

  it('rejects positional arguments, also after --', () => {
    expect(failureOf(['stray'])).toBe("unexpected argument 'stray' (see kaldrix keygen --help)");
    expect(failureOf(['--', '--force'])).toBe("unexpected argument '--force' (see kaldrix keygen --help)");
  });

  it('rejects a flag given twice instead of silently keeping the last', () => {
    expect(failureOf(['--out', 'a', '--out=b'])).toBe('--out given more than once (see kaldrix keygen --help)');
  });

  it('keeps error messages on one line even for hostile input', () => {
    expect(failureOf(['--bad\nflag\u001b[31m'])).toBe("unknown flag '--bad\\u000aflag\\u001b[31m' (see kaldrix keygen --help)");
  });

  it('freezes the parsed flags', () => {
    const r = parse(['--scheme', 'x']);
    expect(r.ok && Object.isFrozen(r.value.flags)).toBe(true);
  });
});

describe('checkRequired', () => {
  it('reports the first missing required flag', () => {
    const r = checkRequired('keygen', options, {});
    expect(!r.ok && r.error.what).toBe('missing --scheme');
    expect(checkRequired('keygen', options, { scheme: 'x' }).ok).toBe(true);
  });
});
