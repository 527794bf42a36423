import { describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { CONTEXTS, contextBytes } from '../../core/crypto/contexts.ts';
import { encodeSignature } from '../../core/crypto/signatureEncoding.ts';
import type { SchemeName } from '../../core/crypto/types.ts';
import { fixedKeyPair, run, taggedPublicKeyHex } from './_cliTest.ts';
import { createMemoryIo } from './_memoryIo.ts';
import { toHex } from './hexArg.ts';

const noble = createNobleBackend();
const key = fixedKeyPair('ml-dsa-44');
const message = Uint8Array.of(1, 2, 3);
const rawSig = noble.sign('ml-dsa-44', key.secretKey, message, contextBytes(CONTEXTS.message));
const taggedSig = toHex(encodeSignature({ scheme: 'ml-dsa-44', bytes: rawSig }));
const rawPk = toHex(key.publicKey);
const taggedPk = taggedPublicKeyHex(key);
const emptyContextSig = toHex(noble.sign('ml-dsa-44', key.secretKey, message, new Uint8Array(0)));

const verifyArgv = (overrides: Record<string, string> = {}, extra: string[] = []): string[] => {
  const flags = { scheme: 'ml-dsa-44', 'public-key': taggedPk, message: '010203', signature: taggedSig, ...overrides };
  return ['verify', ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v]), ...extra];
};

/** keygen → sign → verify, all through the CLI, sharing one memory file system. */
async function roundTrip(scheme: SchemeName): Promise<void> {
  const io = createMemoryIo({ env: { PW: 'hunter2' } });
  const gen = await run(['keygen', '--scheme', scheme, '--out', 'k.json', '--passphrase-env', 'PW', '--json'], io);
  expect(gen.code).toBe(0);
  const publicKey = (JSON.parse(gen.out) as { publicKey: string }).publicKey;
  const signed = await run(['sign', '--key', 'k.json', '--message', 'cafe', '--passphrase-env', 'PW'], io);
  expect(signed.code).toBe(0);
  const signature = signed.out.trim();
  const ok = await run(['verify', '--scheme', scheme, '--public-key', publicKey, '--message', 'cafe', '--signature', signature], io);
  expect([ok.code, ok.out, ok.err]).toEqual([0, 'valid\n', '']);
  const tampered = await run(['verify', '--scheme', scheme, '--public-key', publicKey, '--message', 'cafd', '--signature', signature], io);
  expect([tampered.code, tampered.out, tampered.err]).toEqual([1, 'invalid\n', '']);
  const otherContext = await run(['verify', '--scheme', scheme, '--public-key', publicKey, '--message', 'cafe', '--signature', signature, '--context', 'kaldrix/tx/v1'], io);
  expect(otherContext.code).toBe(1);
}

describe('kaldrix verify', () => {
  it('round trip keygen → sign → verify with ml-dsa-44', () => roundTrip('ml-dsa-44'));
  it('round trip keygen → sign → verify with the ml-dsa-44+ed25519 hybrid', () => roundTrip('ml-dsa-44+ed25519'));

  it('accepts raw and tagged keys and signatures, 0x prefixes and upper case', async () => {
    const pairs: [string, string][] = [[rawPk, toHex(rawSig)], [taggedPk, taggedSig], [`0x${rawPk.toUpperCase()}`, `0X${taggedSig}`]];
    for (const [pk, sig] of pairs) {
      const r = await run(verifyArgv({ 'public-key': pk, signature: sig, message: '0x010203' }));
      expect([r.code, r.out]).toEqual([0, 'valid\n']);
    }
  });

  it('tells raw from tagged Falcon-512 signatures (variable length) by the first byte', async () => {
    const falcon = fixedKeyPair('falcon-512');
    const sig = noble.sign('falcon-512', falcon.secretKey, message, contextBytes(CONTEXTS.message));
    expect(sig[0]).toBe(0x39); // Falcon-512 header byte, never the tag 0x05
    const tagged = toHex(encodeSignature({ scheme: 'falcon-512', bytes: sig }));
    for (const signature of [toHex(sig), tagged]) {
      const r = await run(verifyArgv({ scheme: 'falcon-512', 'public-key': taggedPublicKeyHex(falcon), signature }));
      expect([r.code, r.out]).toEqual([0, 'valid\n']);
    }
  });

  it('exits 1 and prints invalid for a well-formed wrong signature', async () => {
    const flipped = `${taggedSig.slice(0, 10)}${taggedSig[10] === '0' ? '1' : '0'}${taggedSig.slice(11)}`;
    for (const argv of [verifyArgv({ signature: flipped }), verifyArgv({ message: '010204' }), verifyArgv({ context: '' })]) {
      const r = await run(argv);
      expect([r.code, r.out, r.err]).toEqual([1, 'invalid\n', '']);
    }
  });

  it('--json reports validity, scheme, backend and context', async () => {
    const r = await run(verifyArgv({}, ['--json']));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ valid: true, scheme: 'ml-dsa-44', backend: 'noble', context: 'kaldrix/message/v1' });
    const bad = await run(verifyArgv({ message: '' }, ['--json']));
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ valid: false });
  });

  it('verifies with --backend liboqs under the default and the empty context, agreeing with noble', async () => {
    const native = await run(verifyArgv({ backend: 'liboqs', context: '', signature: emptyContextSig }, ['--json']));
    expect(native.code).toBe(0);
    expect(JSON.parse(native.out)).toMatchObject({ valid: true, backend: 'liboqs', context: '' });
    const nativeBad = await run(verifyArgv({ backend: 'liboqs', context: '', signature: emptyContextSig, message: '01' }));
    expect([nativeBad.code, nativeBad.out]).toEqual([1, 'invalid\n']);
    const withContext = await run(verifyArgv({ backend: 'liboqs' }));
    expect([withContext.code, withContext.out]).toEqual([0, 'valid\n']);
  });

  const tooLongContext = 'é'.repeat(128); // 256 UTF-8 bytes from 128 characters
  it.each([
    ['bad hex', verifyArgv({ message: '01020g' }), "kaldrix verify: --message is not hex: found 'g' (use digits 0-9 and a-f, optionally after 0x)\n"],
    ['odd length', verifyArgv({ signature: `${taggedSig}0` }), /^kaldrix verify: --signature has an odd number of hex digits/],
    ['short key', verifyArgv({ 'public-key': rawPk.slice(2) }), 'kaldrix verify: --public-key is 1311 bytes, not a ml-dsa-44 public key (expected 1312 bytes, or one more with the tag byte 0x01)\n'],
    ['long signature', verifyArgv({ signature: `${taggedSig}00` }), /^kaldrix verify: --signature is 2422 bytes, not a ml-dsa-44 signature/],
    ['empty signature', verifyArgv({ signature: '' }), /^kaldrix verify: --signature is 0 bytes/],
    ['unknown scheme', verifyArgv({ scheme: 'ecdsa' }), /^kaldrix verify: unknown scheme 'ecdsa' \(use one of ml-dsa-44, ml-dsa-65/],
    ['context > 255 bytes', verifyArgv({ context: tooLongContext }), 'kaldrix verify: --context is 256 bytes (FIPS 204 allows at most 255 bytes of context)\n'],
    ['key tag disagrees with --scheme', verifyArgv({ scheme: 'ml-dsa-65' }), 'kaldrix verify: --public-key carries the ml-dsa-44 tag but --scheme is ml-dsa-65 (pass the matching --scheme)\n'],
    ['signature tag disagrees', verifyArgv({ signature: `02${taggedSig.slice(2)}` }), /^kaldrix verify: --signature is 2421 bytes, not a ml-dsa-44 signature \(expected 2420 bytes, or one more with the tag byte 0x01\)/],
    ['unknown backend', verifyArgv({ backend: 'openssl' }), "kaldrix verify: unknown backend 'openssl' (use one of noble, liboqs)\n"],
    ['liboqs lacks the scheme', ['verify', '--scheme', 'falcon-512', '--public-key', '00'.repeat(897), '--message', '', '--signature', '39'.repeat(50), '--backend', 'liboqs'], /^kaldrix verify: the liboqs backend does not implement falcon-512/],
    ['missing flag', ['verify', '--scheme', 'ml-dsa-44'], 'kaldrix verify: missing --public-key (see kaldrix verify --help)\n'],
    ['positional', [...verifyArgv(), 'extra'], "kaldrix verify: unexpected argument 'extra' (see kaldrix verify --help)\n"],
    ['flag twice', verifyArgv({}, ['--scheme', 'ml-dsa-44']), '--scheme given more than once'],
  ])('exit 2 with one line for %s', async (_name, argv, expected) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(2);
    if (expected instanceof RegExp) expect(r.err).toMatch(expected);
    else expect(r.err).toContain(expected);
  });

  it('reads a tagged signature of another scheme with matching length as a mismatch, not a wrong length', async () => {
    const hybrid = fixedKeyPair('ml-dsa-44+ed25519');
    const hybridSig = toHex(encodeSignature({ scheme: 'ml-dsa-44+ed25519', bytes: noble.sign('ml-dsa-44+ed25519', hybrid.secretKey, message, contextBytes(CONTEXTS.message)) }));
    const r = await run(verifyArgv({ signature: hybridSig }));
    expect(r.code).toBe(2);
    expect(r.err).toBe('kaldrix verify: --signature carries the ml-dsa-44+ed25519 tag but --scheme is ml-dsa-44 (pass the matching --scheme)\n');
  });
});
