import { describe, expect, it } from 'vitest';
import { createNobleBackend } from './backends/noble.ts';
import { schemeInfo } from './schemes.ts';
import type { KeyPair, SchemeName } from './types.ts';
import { decodePlaintextKeyFile, encodePlaintextKeyFile } from './plaintextKeyFile.ts';

const fixedKeyPair = (scheme: SchemeName, seedByte = 7): KeyPair => createNobleBackend().keygen(scheme, new Uint8Array(schemeInfo(scheme).seedBytes).fill(seedByte));

const key = fixedKeyPair('ml-dsa-44');
const doc = (): Record<string, unknown> => JSON.parse(encodePlaintextKeyFile(key)) as Record<string, unknown>;

describe('plaintext key file', () => {
  it('round-trips a key pair and freezes the result', () => {
    const r = decodePlaintextKeyFile(doc());
    if (!r.ok) throw new Error(r.error.reason);
    expect(r.value).toEqual(key);
    expect(Object.isFrozen(r.value)).toBe(true);
  });

  it('is visibly marked as unencrypted', () => {
    const text = encodePlaintextKeyFile(key);
    expect(text).toMatch(/"kaldrix_keyfile_insecure_plaintext": 1/);
    expect(text).toMatch(/"warning": "UNENCRYPTED/);
  });

  it.each([
    ['an extra field', { extra: 1 }, 'unexpected field extra'],
    ['another version', { kaldrix_keyfile_insecure_plaintext: 2 }, 'kaldrix_keyfile_insecure_plaintext must be 1'],
    ['an unknown scheme', { scheme: 'rsa' }, 'scheme is missing or unknown'],
    ['a scheme in another case', { scheme: 'ML-DSA-44' }, 'scheme is missing or unknown'],
    ['a short public key', { publicKey: 'ab' }, 'publicKey must be 1312 bytes of hex'],
    ['upper-case hex', { secretKey: (doc()['secretKey'] as string).toUpperCase() }, 'secretKey must be 2560 bytes of hex'],
    ['a number for a key', { secretKey: 5 }, 'secretKey must be 2560 bytes of hex'],
  ])('rejects %s', (_name, change, reason) => {
    const r = decodePlaintextKeyFile({ ...doc(), ...change });
    expect(!r.ok && r.error.reason).toBe(reason);
  });
});
