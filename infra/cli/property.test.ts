import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCHEME_NAMES, schemeInfo } from '../../core/crypto/schemes.ts';
import { fixedKeyPair, run, taggedPublicKeyHex } from './_cliTest.ts';
import { toHex } from './hexArg.ts';
import { COMMANDS } from './main.ts';
import { encodePlaintextKeyFile } from '../../core/crypto/plaintextKeyFile.ts';

const key = fixedKeyPair('ml-dsa-44');
const files = { 'dev.json': encodePlaintextKeyFile(key), pw: 'pw\n', 'junk.json': '{"kaldrix_keyfile": 1}' };
const env = { PW: 'pw' };

const hexDigit = fc.constantFrom(...'0123456789abcdefABCDEF');
const hexText = fc.string({ unit: hexDigit, maxLength: 40 });
const flagName = fc.constantFrom(
  'scheme', 'out', 'key', 'message', 'signature', 'public-key', 'context', 'backend', 'json', 'force',
  'insecure-plaintext', 'passphrase-file', 'passphrase-env', 'help', 'nope', '', '-', '__proto__', 'toString',
);
const flagValue = fc.oneof(
  hexText,
  hexText.map((h) => `0x${h}`),
  fc.constantFrom(...SCHEME_NAMES, 'noble', 'liboqs', 'dev.json', 'junk.json', 'pw', 'PW', 'k.json', 'keys', 'nodir/x', '', '__proto__', 'constructor'),
  fc.constant(taggedPublicKeyHex(key)),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const word = fc.oneof(
  fc.tuple(flagName, flagValue).map(([n, v]) => [`--${n}`, v]),
  fc.tuple(flagName, flagValue).map(([n, v]) => [`--${n}=${v}`]),
  flagName.map((n) => [`--${n}`]),
  fc.string({ maxLength: 6 }).map((s) => [s]),
);
const argvArb = fc.tuple(
  fc.oneof(fc.constantFrom('keygen', 'sign', 'verify', 'help', '--help', '--version'), fc.string({ maxLength: 8 })),
  fc.array(word, { maxLength: 6 }),
).map(([command, words]) => [command, ...words.flat()]);

/**
 * Commands that answer and exit. `start` and `devnet` run peers until a signal: a lucky draw of
 * valid flags would start one, so they are exercised by the process tests instead.
 */
const ANSWERING_COMMANDS = COMMANDS.filter((c) => c.name !== 'start' && c.name !== 'devnet');

/** Argv that passes the parser: a command and a subset of its own flags, each at most once. */
const structuredArgvArb = fc.constantFrom(...ANSWERING_COMMANDS).chain((spec) =>
  fc.subarray(Object.entries(spec.options), { minLength: 1 }).chain((options) =>
    fc.tuple(...options.map(([name, o]) => (o.type === 'boolean' ? fc.constant([`--${name}`]) : flagValue.map((v) => [`--${name}`, v]))))
      .map((pairs) => [spec.name, ...pairs.flat()]),
  ),
);

/** Every run must end in a documented exit code, and a failure must be exactly one line. */
function expectWellBehaved(r: { code: number; out: string; err: string }): void {
  expect([0, 1, 2]).toContain(r.code);
  expect(r.err).not.toMatch(/internal error/);
  if (r.code === 2 && r.out === '') {
    expect(r.err).toMatch(/^kaldrix[^\n]*\n$/);
  }
}

describe('the CLI on arbitrary input', () => {
  it('random argv never throws and never exits outside {0, 1, 2}', async () => {
    await fc.assert(
      fc.asyncProperty(argvArb, async (argv) => {
        const r = await run(argv, { files, env });
        if (argv.length > 1 || argv[0] !== '') expectWellBehaved(r);
      }),
      { numRuns: 150 },
    );
  });

  it('argv of real flags with arbitrary values never throws and never exits outside {0, 1, 2}', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(structuredArgvArb, async (argv) => {
        const r = await run(argv, { files, env });
        expectWellBehaved(r);
        seen.add(r.err.split(' ').slice(2, 4).join(' '));
      }),
      { numRuns: 150 },
    );
    // The values reach the semantic checks, not only the parser.
    expect(seen.size).toBeGreaterThan(5);
  });

  it('random hex for key, signature and message gives invalid (1) or malformed (2), never valid or a crash', async () => {
    const lengthFor = (scheme: (typeof SCHEME_NAMES)[number], what: 'pk' | 'sig'): number[] => {
      const i = schemeInfo(scheme);
      const base = what === 'pk' ? i.publicKeyBytes : i.signatureMinBytes;
      return [0, 1, base - 1, base, base + 1, base + 2];
    };
    const caseArb = fc.constantFrom(...SCHEME_NAMES.filter((s) => s !== 'slh-dsa-sha2-128f')).chain((scheme) =>
      fc.record({
        scheme: fc.constant(scheme),
        pkLength: fc.constantFrom(...lengthFor(scheme, 'pk')),
        sigLength: fc.constantFrom(...lengthFor(scheme, 'sig')),
        byte: fc.integer({ min: 0, max: 255 }),
        tagFirst: fc.boolean(),
        message: fc.uint8Array({ maxLength: 16 }),
        backend: fc.constantFrom('noble', 'liboqs'),
      }),
    );
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const fill = (length: number): Uint8Array => {
          const b = new Uint8Array(length).map((_, i) => (c.byte * 31 + i * 7) & 0xff);
          if (c.tagFirst && length > 0) b[0] = schemeInfo(c.scheme).tag;
          return b;
        };
        const argv = ['verify', '--scheme', c.scheme, '--public-key', toHex(fill(c.pkLength)), '--message', toHex(c.message),
          '--signature', toHex(fill(c.sigLength)), '--backend', c.backend];
        const r = await run(argv);
        expect([1, 2]).toContain(r.code);
        expectWellBehaved(r);
        expect(r.out).toBe(r.code === 1 ? 'invalid\n' : '');
      }),
      { numRuns: 120 },
    );
  });
});
