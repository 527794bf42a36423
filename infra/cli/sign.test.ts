import { describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { CONTEXTS, contextBytes } from '../../core/crypto/contexts.ts';
import { encryptKeyFile, MIN_SCRYPT_N } from '../../core/crypto/keyfile.ts';
import { parseHex } from '../../core/crypto/hash.ts';
import { decodeSignature } from '../../core/crypto/signatureEncoding.ts';
import { fixedKeyPair, run, taggedPublicKeyHex } from './_cliTest.ts';
import { createMemoryIo } from './_memoryIo.ts';
import { encodePlaintextKeyFile } from '../../core/crypto/plaintextKeyFile.ts';

const key = fixedKeyPair('ml-dsa-44');
const noble = createNobleBackend();
const message = new Uint8Array([0x68, 0x65, 0x6c, 0x6c, 0x6f]);
const seededRandom = (n: number) => new Uint8Array(n).fill(3);
const encrypted = encryptKeyFile(key, 'pw', { random: seededRandom, scryptN: MIN_SCRYPT_N });
const files = { 'dev.json': encodePlaintextKeyFile(key), 'enc.json': encrypted, pw: 'pw\n', 'notes.txt': 'hello', 'arr.json': '[1,2]' };

function signatureOf(out: string): Uint8Array {
  expect(out).toMatch(/^[0-9a-f]+\n$/);
  const bytes = parseHex(out.trim());
  if (!bytes.ok) throw new Error('not hex');
  const decoded = decodeSignature(bytes.value);
  if (!decoded.ok) throw new Error(decoded.error.code);
  expect(decoded.value.scheme).toBe('ml-dsa-44');
  return decoded.value.bytes;
}

describe('kaldrix sign', () => {
  it('prints one line of tag-prefixed hex that verifies under the default context only', async () => {
    const r = await run(['sign', '--key', 'dev.json', '--message', '68656c6c6f'], { files });
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const sig = signatureOf(r.out);
    expect(noble.verify('ml-dsa-44', key.publicKey, message, sig, contextBytes(CONTEXTS.message))).toBe(true);
    expect(noble.verify('ml-dsa-44', key.publicKey, message, sig, contextBytes(CONTEXTS.tx))).toBe(false);
  });

  it('signs under --context, accepts 0x and the empty message', async () => {
    const r = await run(['sign', '--key', 'dev.json', '--message', '0x', '--context', 'kaldrix/tx/v1'], { files });
    expect(r.code).toBe(0);
    expect(noble.verify('ml-dsa-44', key.publicKey, new Uint8Array(0), signatureOf(r.out), contextBytes(CONTEXTS.tx))).toBe(true);
  });

  it('is hedged: two signatures of one message differ', async () => {
    const io = createMemoryIo({ files });
    const a = await run(['sign', '--key', 'dev.json', '--message', '00'], io);
    const b = await run(['sign', '--key', 'dev.json', '--message', '00'], io);
    expect(a.out).not.toBe(b.out);
  });

  it('opens an encrypted key with --passphrase-file or --passphrase-env', async () => {
    const viaFile = await run(['sign', '--key', 'enc.json', '--message', '68656c6c6f', '--passphrase-file', 'pw'], { files });
    expect(viaFile.code).toBe(0);
    expect(noble.verify('ml-dsa-44', key.publicKey, message, signatureOf(viaFile.out), contextBytes(CONTEXTS.message))).toBe(true);
    const viaEnv = await run(['sign', '--key', 'enc.json', '--message', '00', '--passphrase-env', 'P'], { files, env: { P: 'pw' } });
    expect(viaEnv.code).toBe(0);
  });

  it('--json prints scheme, signature, public key and context', async () => {
    const r = await run(['sign', '--key', 'dev.json', '--message', '00', '--json'], { files });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as Record<string, string>;
    expect(out['scheme']).toBe('ml-dsa-44');
    expect(out['publicKey']).toBe(taggedPublicKeyHex(key));
    expect(out['context']).toBe('kaldrix/message/v1');
    expect(out['signature']).toMatch(/^01[0-9a-f]{4840}$/);
  });

  it('refuses a key file whose secret key does not match its public key', async () => {
    const other = fixedKeyPair('ml-dsa-44', 9);
    const spliced = encodePlaintextKeyFile({ ...key, secretKey: other.secretKey });
    const r = await run(['sign', '--key', 'bad.json', '--message', '00'], { files: { 'bad.json': spliced } });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^kaldrix sign: the new signature does not verify under the key file's public key/);
  });

  it('checks the message before asking for a passphrase', async () => {
    const r = await run(['sign', '--key', 'enc.json', '--message', 'xyz'], { files, canPrompt: true });
    expect(r.code).toBe(2);
    expect(r.io.prompts).toEqual([]);
  });

  it.each([
    [['sign', '--key', 'enc.json', '--message', '00', '--passphrase-env', 'WRONG'], "kaldrix sign: wrong passphrase for key file 'enc.json', or the file was altered (check the passphrase and its source)\n"],
    [['sign', '--key', 'enc.json', '--message', '00'], /^kaldrix sign: no passphrase given/],
    [['sign', '--key', 'missing.json', '--message', '00'], "kaldrix sign: cannot read key file 'missing.json': no such file (check the --key path)\n"],
    [['sign', '--key', 'notes.txt', '--message', '00'], "kaldrix sign: 'notes.txt' is not a key file (not a JSON object) (use a file written by kaldrix keygen)\n"],
    [['sign', '--key', 'arr.json', '--message', '00'], /^kaldrix sign: 'arr.json' is not a key file/],
    [['sign', '--key', 'dev.json', '--message', '0g'], "kaldrix sign: --message is not hex: found 'g' (use digits 0-9 and a-f, optionally after 0x)\n"],
    [['sign', '--key', 'dev.json', '--message', '000'], /^kaldrix sign: --message has an odd number of hex digits \(3\)/],
    [['sign', '--key', 'dev.json', '--message', '00', '--context', 'x'.repeat(256)], /^kaldrix sign: --context is 256 bytes \(FIPS 204 allows at most 255/],
    [['sign', '--key', 'dev.json'], 'kaldrix sign: missing --message (see kaldrix sign --help)\n'],
    [['sign', '--key', 'dev.json', '--message', '00', '--scheme', 'ml-dsa-44'], "kaldrix sign: unknown flag '--scheme' (see kaldrix sign --help)\n"],
  ])('exit 2 with one line: %j', async (argv, expected) => {
    const r = await run(argv, { files, env: { WRONG: 'pW' } });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(2);
    if (typeof expected === 'string') expect(r.err).toBe(expected);
    else expect(r.err).toMatch(expected);
  });
});
