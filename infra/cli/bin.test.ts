import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { CONTEXTS, contextBytes } from '../../core/crypto/contexts.ts';
import { parseHex } from '../../core/crypto/hash.ts';
import { decodePublicKey, decodeSignature, encodeSignature } from '../../core/crypto/signatureEncoding.ts';
import { fixedKeyPair, spawnKaldrix, taggedPublicKeyHex } from './_cliTest.ts';
import { toHex } from './hexArg.ts';


const kaldrix = spawnKaldrix;

const key = fixedKeyPair('ml-dsa-44');
const message = Uint8Array.of(0xca, 0xfe);
const signature = toHex(encodeSignature({
  scheme: 'ml-dsa-44',
  bytes: createNobleBackend().sign('ml-dsa-44', key.secretKey, message, contextBytes(CONTEXTS.message)),
}));
const verifyArgs = (messageHex: string) => ['verify', '--scheme', 'ml-dsa-44', '--public-key', taggedPublicKeyHex(key), '--message', messageHex, '--signature', signature];

describe('bin/kaldrix.mjs as a process', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kaldrix-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--help lists the commands and exits 0', async () => {
    const r = await kaldrix(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}verify /m);
    expect(r.stderr).toBe('');
  });

  it('verify exits 0 / valid, 1 / invalid, 2 / one line for malformed input', async () => {
    const valid = await kaldrix(verifyArgs('cafe'));
    expect([valid.code, valid.stdout, valid.stderr]).toEqual([0, 'valid\n', '']);
    const invalid = await kaldrix(verifyArgs('cafd'));
    expect([invalid.code, invalid.stdout, invalid.stderr]).toEqual([1, 'invalid\n', '']);
    const malformed = await kaldrix(verifyArgs('caf'));
    expect([malformed.code, malformed.stdout]).toEqual([2, '']);
    expect(malformed.stderr).toBe('kaldrix verify: --message has an odd number of hex digits (3) (each byte is two hex digits)\n');
  });

  it('keygen writes a real 0600 file that sign then uses; the signature verifies', async () => {
    const keyFile = join(dir, 'dev.key.json');
    const gen = await kaldrix(['keygen', '--out', keyFile, '--insecure-plaintext', '--json']);
    expect(gen.code).toBe(0);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const again = await kaldrix(['keygen', '--out', keyFile, '--insecure-plaintext']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists \(pass --force/);
    const signed = await kaldrix(['sign', '--key', keyFile, '--message', '00ff']);
    expect(signed.code).toBe(0);
    const pk = parseHex((JSON.parse(gen.stdout) as { publicKey: string }).publicKey);
    const sig = parseHex(signed.stdout.trim());
    const decodedPk = pk.ok ? decodePublicKey(pk.value) : undefined;
    const decodedSig = sig.ok ? decodeSignature(sig.value) : undefined;
    if (!decodedPk?.ok || !decodedSig?.ok) throw new Error('keygen/sign printed undecodable hex');
    expect(createNobleBackend().verify('ml-dsa-44', decodedPk.value.publicKey, Uint8Array.of(0, 255), decodedSig.value.bytes, contextBytes(CONTEXTS.message))).toBe(true);
  });
});
