import { describe, expect, it } from 'vitest';
import { addressFromPublicKey, encodeAddress } from '../../core/crypto/address.ts';
import { decryptKeyFile } from '../../core/crypto/keyfile.ts';
import { decodePublicKey } from '../../core/crypto/signatureEncoding.ts';
import { parseHex } from '../../core/crypto/hash.ts';
import { run } from './_cliTest.ts';
import { createMemoryIo } from './_memoryIo.ts';
import { toHex } from './hexArg.ts';

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

describe('kaldrix keygen', () => {
  it('writes an encrypted key file (mode 0600) that opens with the passphrase and matches what it printed', async () => {
    const r = await run(['keygen', '--out', 'keys/a.json', '--passphrase-env', 'PW'], { env: { PW: 'correct horse' } });
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const file = r.io.files.get('keys/a.json');
    expect(file?.mode).toBe(0o600);
    const opened = decryptKeyFile(text(file?.data), 'correct horse');
    if (!opened.ok) throw new Error(opened.error.code);
    expect(opened.value.scheme).toBe('ml-dsa-44');
    const lines = Object.fromEntries(r.out.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
    expect(lines['scheme']).toBe('ml-dsa-44');
    expect(lines['public key']).toBe(`01${toHex(opened.value.publicKey)}`);
    expect(lines['address']).toBe(encodeAddress(addressFromPublicKey(0x01, opened.value.publicKey)));
    expect(lines['key file']).toBe('keys/a.json (encrypted)');
    expect(decryptKeyFile(text(file?.data), 'wrong').ok).toBe(false);
  });

  it('prints one JSON object with --json, for the scheme asked for', async () => {
    const r = await run(['keygen', '--scheme', 'ML-DSA-44+ED25519', '--out', 'k.json', '--passphrase-file', 'pw', '--json'], { files: { pw: 'pw\n' } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['address', 'encrypted', 'keyFile', 'publicKey', 'scheme']);
    expect(out['scheme']).toBe('ml-dsa-44+ed25519');
    expect(out['encrypted']).toBe(true);
    const pk = parseHex(out['publicKey']);
    const decoded = pk.ok ? decodePublicKey(pk.value) : undefined;
    expect(decoded?.ok && decoded.value.scheme).toBe('ml-dsa-44+ed25519');
    // The passphrase is the file's first line without its newline.
    expect(decryptKeyFile(text(r.io.files.get('k.json')?.data), 'pw').ok).toBe(true);
  });

  it('draws different keys from fresh randomness', async () => {
    const io = createMemoryIo({ env: { PW: 'x' } });
    const a = await run(['keygen', '--out', 'a.json', '--insecure-plaintext', '--json'], io);
    const b = await run(['keygen', '--out', 'b.json', '--insecure-plaintext', '--json'], io);
    expect(JSON.parse(a.out).publicKey).not.toBe(JSON.parse(b.out).publicKey);
  });

  it('refuses to overwrite an existing file unless --force, and --force replaces it with mode 0600', async () => {
    const io = createMemoryIo({ files: { 'k.json': 'precious' }, env: { PW: 'pw' } });
    const refused = await run(['keygen', '--out', 'k.json', '--passphrase-env', 'PW'], io);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe("kaldrix keygen: 'k.json' already exists (pass --force to replace it, or choose another --out)\n");
    expect(text(io.files.get('k.json')?.data)).toBe('precious');
    const forced = await run(['keygen', '--out', 'k.json', '--passphrase-env', 'PW', '--force'], io);
    expect(forced.code).toBe(0);
    expect(text(io.files.get('k.json')?.data)).toMatch(/"kaldrix_keyfile": 1/);
    expect(io.files.get('k.json')?.mode).toBe(0o600);
  });

  it('--insecure-plaintext writes a clearly marked unencrypted file and warns on stderr', async () => {
    const r = await run(['keygen', '--out', 'dev.json', '--insecure-plaintext']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(text(r.io.files.get('dev.json')?.data)) as Record<string, unknown>;
    expect(doc['kaldrix_keyfile_insecure_plaintext']).toBe(1);
    expect(doc['warning']).toMatch(/^UNENCRYPTED/);
    expect(r.io.files.get('dev.json')?.mode).toBe(0o600);
    expect(r.out).toMatch(/INSECURE PLAINTEXT/);
    expect(r.err).toMatch(/^kaldrix keygen: warning: 'dev.json' is NOT encrypted/);
  });

  it('asks twice at a terminal, and writes nothing when the answers differ', async () => {
    const ok = await run(['keygen', '--out', 'k.json'], { canPrompt: true, promptAnswers: [{ ok: true, value: 'pw' }, { ok: true, value: 'pw' }] });
    expect(ok.code).toBe(0);
    expect(decryptKeyFile(text(ok.io.files.get('k.json')?.data), 'pw').ok).toBe(true);
    const differ = await run(['keygen', '--out', 'k.json'], { canPrompt: true, promptAnswers: [{ ok: true, value: 'pw' }, { ok: true, value: 'px' }] });
    expect(differ.code).toBe(2);
    expect(differ.io.files.has('k.json')).toBe(false);
  });

  it('shows scrypt progress on stderr only when stderr is a terminal', async () => {
    const tty = await run(['keygen', '--out', 'k.json', '--passphrase-env', 'PW'], { env: { PW: 'pw' }, stderrIsTerminal: true });
    expect(tty.code).toBe(0);
    expect(tty.err).toMatch(/\rkaldrix keygen: encrypting the key \(scrypt\) 0%/);
    expect(tty.err).toMatch(/100%\n$/);
    const pipe = await run(['keygen', '--out', 'k.json', '--passphrase-env', 'PW'], { env: { PW: 'pw' } });
    expect(pipe.err).toBe('');
  });

  it.each([
    [['keygen'], 'kaldrix keygen: missing --out (see kaldrix keygen --help)\n'],
    [['keygen', '--out', 'k.json', '--scheme', 'rsa'], /^kaldrix keygen: unknown scheme 'rsa' \(use one of ml-dsa-44, /],
    [['keygen', '--out', 'k.json'], 'kaldrix keygen: no passphrase given (use --passphrase-file <file> or --passphrase-env <VAR>, or run in a terminal)\n'],
    [['keygen', '--out', 'k.json', '--passphrase-env', 'UNSET'], /^kaldrix keygen: environment variable 'UNSET' is not set/],
    [['keygen', '--out', 'k.json', '--passphrase-env', 'EMPTY'], /^kaldrix keygen: the passphrase is empty/],
    [['keygen', '--out', 'k.json', '--insecure-plaintext', '--passphrase-env', 'PW'], /^kaldrix keygen: --insecure-plaintext conflicts with a passphrase flag/],
    [['keygen', '--out', 'nodir/k.json', '--insecure-plaintext'], "kaldrix keygen: cannot write 'nodir/k.json': its directory does not exist (create the directory first)\n"],
    [['keygen', '--out', 'keys', '--insecure-plaintext'], "kaldrix keygen: cannot write 'keys': it is a directory (give a file path to --out)\n"],
    [['keygen', '--out', '', '--insecure-plaintext'], /^kaldrix keygen: --out is empty/],
    [['keygen', '--out'], "kaldrix keygen: flag '--out' needs a value (see kaldrix keygen --help)\n"],
    [['keygen', '--out', 'k.json', '--force=no'], "kaldrix keygen: flag '--force' takes no value (see kaldrix keygen --help)\n"],
  ])('exit 2 with one line: %j', async (argv, expected) => {
    const r = await run(argv, { env: { PW: 'pw', EMPTY: '' } });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(2);
    if (typeof expected === 'string') expect(r.err).toBe(expected);
    else expect(r.err).toMatch(expected);
    expect([...r.io.files.keys()]).toEqual([]);
  });
});
