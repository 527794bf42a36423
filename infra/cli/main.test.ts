import { describe, expect, it } from 'vitest';
import { run } from './_cliTest.ts';
import { createMemoryIo } from './_memoryIo.ts';
import { COMMANDS, runCli } from './main.ts';

describe('kaldrix (top level)', () => {
  it('--help and -h list exactly the commands that exist, on stdout, exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      for (const name of ['start', 'devnet', 'keygen', 'sign', 'verify', 'tx transfer', 'status', 'sim']) expect(r.out).toMatch(new RegExp(`^  ${name} `, 'm'));
      expect(r.out).toMatch(/Exit codes/);
    }
  });

  it('without a command prints the help on stderr and exits 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/Usage: kaldrix <command>/);
  });

  it('names an unknown command or top-level flag in one line and points at --help', async () => {
    const cmd = await run(['frobnicate']);
    expect(cmd.code).toBe(2);
    expect(cmd.err).toBe("kaldrix: unknown command 'frobnicate' (run kaldrix --help for the list of commands)\n");
    const flag = await run(['--verbose']);
    expect(flag.code).toBe(2);
    expect(flag.err).toBe("kaldrix: unknown flag '--verbose' (run kaldrix --help for the list of commands)\n");
  });

  it('devnet takes its directory as --data (as start does), --dir as the same; two different ones are refused before anything is written', async () => {
    const help = await run(['devnet', '--help']);
    expect(help.out).toMatch(/--data <dir>/);
    const r = await run(['devnet', '--data', '/tmp/kaldrix-a-never-written', '--dir', '/tmp/kaldrix-b-never-written']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--data \/tmp\/kaldrix-a-never-written and --dir \/tmp\/kaldrix-b-never-written name two directories/);
  });

  it('prints the version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^kaldrix \d+\.\d+\.\d+\n$/);
  });

  it('help <command> shows that command\'s page; help <unknown> fails', async () => {
    const page = await run(['help', 'sign']);
    expect(page.code).toBe(0);
    expect(page.out).toMatch(/^kaldrix sign: /);
    const bad = await run(['help', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("kaldrix help: unknown command 'nope' (run kaldrix --help for the list of commands)\n");
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help has usage, every flag, defaults, examples and exit codes', async (name) => {
    const spec = COMMANDS.find((c) => c.name === name);
    const r = await run([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(new RegExp(`^Usage:\\n  kaldrix ${name} `, 'm'));
    for (const [flag, option] of Object.entries(spec?.options ?? {})) {
      expect(r.out).toContain(`--${flag}`);
      if (option.defaultText !== undefined) expect(r.out).toContain(`default: ${option.defaultText}`);
    }
    expect(r.out).toMatch(/^Examples:\n {2}kaldrix /m);
    expect(r.out).toMatch(/^Exit codes:\n {2}0 /m);
    expect(r.out).toMatch(/^ {2}2 {3}/m);
    // -h works too, and --help wins over missing required flags.
    expect((await run([name, '-h'])).out).toBe(r.out);
  });

  it('a missing required flag is one line naming it', async () => {
    const r = await run(['sign', '--message', '00']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('kaldrix sign: missing --key (see kaldrix sign --help)\n');
  });

  it('turns an unexpected exception into exit 70 with one short line, the stack only on request', async () => {
    const throwing = () => {
      const io = createMemoryIo({ env: { PW: 'pw' } });
      return Object.assign(io, {
        randomBytes: () => {
          throw new Error('entropy source failed\nsecond line');
        },
      });
    };
    const argv = ['keygen', '--out', 'k.json', '--passphrase-env', 'PW'];
    const quiet = throwing();
    expect(await runCli(argv, quiet)).toBe(70);
    expect(quiet.err()).toBe('kaldrix: internal error: entropy source failed (this is a bug in kaldrix; KALDRIX_DEBUG=1 prints the stack)\n');
    const debug = Object.assign(throwing(), { env: { PW: 'pw', KALDRIX_DEBUG: '1' } });
    expect(await runCli(argv, debug)).toBe(70);
    expect(debug.err()).toMatch(/\n {4}at /);
  });
});
