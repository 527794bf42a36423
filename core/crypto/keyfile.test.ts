import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chacha20 } from '@noble/ciphers/chacha.js';
import { bytesEqual, toHex } from './hash.ts';
import { decryptKeyFile, DEFAULT_SCRYPT_N, encryptKeyFile, MIN_SCRYPT_N, type KeyFileContents } from './keyfile.ts';

/** Deterministic test randomness: a ChaCha20 keystream (never use a fixed stream for real files). */
function testRandom(seedByte: number): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => chacha20(new Uint8Array(32).fill(seedByte), new Uint8Array(12), new Uint8Array(n), undefined, counter++);
}

// N = 2^14 is the smallest cost a reader accepts, and keeps each test to about 0.1 s.
const FAST = { scryptN: MIN_SCRYPT_N } as const;
const keys: KeyFileContents = {
  scheme: 'ml-dsa-44',
  publicKey: Uint8Array.from({ length: 1312 }, (_, i) => i & 0xff),
  secretKey: Uint8Array.from({ length: 2560 }, (_, i) => (i * 7) & 0xff),
};
const json = encryptKeyFile(keys, 'correct horse battery staple', { random: testRandom(1), ...FAST });
const edit = (mutate: (doc: Record<string, any>) => void) => {
  const doc = JSON.parse(json) as Record<string, any>;
  mutate(doc);
  return JSON.stringify(doc);
};
const codeOf = (text: string, passphrase = 'correct horse battery staple') => {
  const r = decryptKeyFile(text, passphrase);
  return r.ok ? 'OK' : r.error.code;
};

describe('key files', () => {
  it('round-trip the key pair, with the documented shape', () => {
    const doc = JSON.parse(json);
    expect(doc).toMatchObject({
      kaldrix_keyfile: 1,
      scheme: 'ml-dsa-44',
      kdf: { name: 'scrypt', N: 2 ** 14, r: 8, p: 1 },
      cipher: { name: 'xchacha20poly1305' },
    });
    expect(doc.kdf.salt).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.cipher.nonce).toMatch(/^[0-9a-f]{48}$/);
    expect(doc.ciphertext.length).toBe(2 * (keys.secretKey.length + 16));
    const r = decryptKeyFile(json, 'correct horse battery staple');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.scheme).toBe('ml-dsa-44');
    expect(bytesEqual(r.value.publicKey, keys.publicKey)).toBe(true);
    expect(bytesEqual(r.value.secretKey, keys.secretKey)).toBe(true);
    expect(Object.isFrozen(r.value)).toBe(true);
  });

  it('reports scrypt progress while writing and reading; writers default to N = 2^17', () => {
    const written: number[] = [];
    const text = encryptKeyFile(keys, 'pw', { random: testRandom(2), ...FAST, onProgress: (f) => written.push(f) });
    expect(written.length).toBeGreaterThan(1);
    expect(written[written.length - 1]).toBe(1);
    const read: number[] = [];
    expect(decryptKeyFile(text, 'pw', { onProgress: (f) => read.push(f) }).ok).toBe(true);
    expect(read[read.length - 1]).toBe(1);
    // Running the default cost here would take seconds; the constant is what writers use.
    expect(DEFAULT_SCRYPT_N).toBe(2 ** 17);
  });

  it('normalises the passphrase (NFKC): composed and decomposed forms open the same file', () => {
    const text = encryptKeyFile(keys, 'caf\u00e9', { random: testRandom(3), ...FAST });
    expect(codeOf(text, 'cafe\u0301')).toBe('OK');
  });

  it('a wrong passphrase is WRONG_PASSPHRASE', () => {
    expect(codeOf(json, 'correct horse battery stapler')).toBe('WRONG_PASSPHRASE');
    expect(codeOf(json, '')).toBe('WRONG_PASSPHRASE');
  });

  it('swapping the public key, the scheme, or ciphertext bits is WRONG_PASSPHRASE (bound as AD)', () => {
    const otherKey = keys.publicKey.slice();
    otherKey[0] = (otherKey[0] as number) ^ 1;
    expect(codeOf(edit((d) => { d.publicKey = toHex(otherKey); }))).toBe('WRONG_PASSPHRASE');
    expect(codeOf(edit((d) => { d.scheme = 'ml-dsa-65'; }))).toBe('WRONG_PASSPHRASE');
    expect(codeOf(edit((d) => { d.ciphertext = `${d.ciphertext.slice(0, 10)}${d.ciphertext[10] === '0' ? '1' : '0'}${d.ciphertext.slice(11)}`; })))
      .toBe('WRONG_PASSPHRASE');
    expect(codeOf(edit((d) => { d.kdf.salt = '00'.repeat(32); }))).toBe('WRONG_PASSPHRASE');
  });

  it('refuses weak or hostile scrypt parameters before doing any work', () => {
    expect(codeOf(edit((d) => { d.kdf.N = 2 ** 13; }))).toBe('WEAK_KDF');
    expect(codeOf(edit((d) => { d.kdf.N = 1024; }))).toBe('WEAK_KDF');
    expect(codeOf(edit((d) => { d.kdf.r = 4; }))).toBe('WEAK_KDF');
    expect(codeOf(edit((d) => { d.kdf.N = 2 ** 21; }))).toBe('UNSUPPORTED_KDF');
    expect(codeOf(edit((d) => { d.kdf.p = 64; }))).toBe('UNSUPPORTED_KDF');
    expect(codeOf(edit((d) => { d.kdf.name = 'pbkdf2'; }))).toBe('UNSUPPORTED_KDF');
    expect(codeOf(edit((d) => { d.kdf.N = 3 * 2 ** 14; }))).toBe('MALFORMED');
    expect(() => encryptKeyFile(keys, 'pw', { random: testRandom(4), scryptN: 2 ** 10 })).toThrow(RangeError);
  });

  it('returns typed errors for other bad documents', () => {
    expect(codeOf(edit((d) => { d.kaldrix_keyfile = 2; }))).toBe('UNSUPPORTED_VERSION');
    expect(codeOf(edit((d) => { delete d.kaldrix_keyfile; }))).toBe('MALFORMED');
    expect(codeOf(edit((d) => { d.scheme = 'rsa-2048'; }))).toBe('UNKNOWN_SCHEME');
    expect(codeOf(edit((d) => { d.cipher.name = 'aes-256-gcm'; }))).toBe('UNSUPPORTED_CIPHER');
    expect(codeOf(edit((d) => { d.cipher.nonce = 'abcd'; }))).toBe('MALFORMED');
    expect(codeOf(edit((d) => { d.publicKey = 'xyz'; }))).toBe('MALFORMED');
    expect(codeOf(edit((d) => { d.ciphertext = d.ciphertext.slice(0, 32); }))).toBe('MALFORMED');
    expect(codeOf(edit((d) => { d.extra = 1; }))).toBe('MALFORMED');
    expect(codeOf(json.slice(0, json.length - 5))).toBe('MALFORMED');
    expect(codeOf('null')).toBe('MALFORMED');
    expect(codeOf('[]')).toBe('MALFORMED');
    expect(codeOf(' '.repeat(70_000))).toBe('MALFORMED');
  });

  it('never throws on garbage, truncations, or random JSON values', () => {
    fc.assert(fc.property(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.nat({ max: json.length }).map((n) => json.slice(0, n)),
        fc.json(),
        fc.anything().map((v) => JSON.stringify(v) ?? 'undefined'),
        fc.record({ kaldrix_keyfile: fc.constant(1), scheme: fc.constant('ml-dsa-44'), publicKey: fc.string(), kdf: fc.anything() })
          .map((v) => JSON.stringify(v)),
      ),
      (text) => {
        const r = decryptKeyFile(text, 'x');
        return r.ok === false && typeof r.error.code === 'string';
      },
    ), { numRuns: 300 });
  });

  it('throws on programming errors when writing', () => {
    expect(() => encryptKeyFile({ ...keys, scheme: 'rsa' as never }, 'pw', { random: testRandom(5), ...FAST })).toThrow(TypeError);
    expect(() => encryptKeyFile(keys, 'pw', { random: () => new Uint8Array(3), ...FAST })).toThrow(TypeError);
    expect(() => encryptKeyFile({ ...keys, secretKey: new Uint8Array(0) }, 'pw', { random: testRandom(6), ...FAST })).toThrow(TypeError);
  });
});
