// Modeled signatures keep real sizes and catch every corruption.
import { describe, expect, it } from 'vitest';
import { schemeInfo } from '../../../core/crypto/index.ts';
import { createModeledSignatures } from './modeled.ts';
import { cryptoCostsOf, MEASURED_CRYPTO_COSTS } from './costs.ts';
import { createSimCrypto } from './simCrypto.ts';

const modeled = createModeledSignatures();
const info = schemeInfo('ml-dsa-44');
const keys = modeled.keyPair('ml-dsa-44', 'alice');
const other = modeled.keyPair('ml-dsa-44', 'bob');
const message = new Uint8Array([1, 2, 3]);
const context = new Uint8Array([9]);

describe('modeled signatures', () => {
  it('have the real key and signature lengths and verify', () => {
    expect(keys.publicKey.length).toBe(info.publicKeyBytes);
    const sig = modeled.sign('ml-dsa-44', keys.publicKey, message, context);
    expect(sig.bytes.length).toBe(info.signatureMaxBytes);
    expect(modeled.verify({ scheme: 'ml-dsa-44', publicKey: keys.publicKey, message, context, signature: sig.bytes })).toBe(true);
  });

  it('fail on any corrupted byte, another key, message or context', () => {
    const sig = modeled.sign('ml-dsa-44', keys.publicKey, message, context).bytes;
    const item = { scheme: 'ml-dsa-44' as const, publicKey: keys.publicKey, message, context, signature: sig };
    for (const at of [0, 31, 32, sig.length - 1]) {
      const bad = sig.slice();
      bad[at] = (bad[at] as number) ^ 1;
      expect(modeled.verify({ ...item, signature: bad })).toBe(false);
    }
    expect(modeled.verify({ ...item, publicKey: other.publicKey })).toBe(false);
    expect(modeled.verify({ ...item, message: new Uint8Array([1, 2, 4]) })).toBe(false);
    expect(modeled.verify({ ...item, context: new Uint8Array([8]) })).toBe(false);
    expect(modeled.verify({ ...item, signature: sig.subarray(1) })).toBe(false);
  });

  it('the provider caches only valid verdicts: a forgery after a valid copy still fails', async () => {
    const crypto = await createSimCrypto('modeled');
    const k = crypto.keyPair('carol');
    const sig = crypto.sign(k, message, context);
    const item = { scheme: k.scheme, publicKey: k.publicKey, message, context, signature: sig.bytes };
    expect(crypto.verifyBatch([item])).toEqual([true]);
    expect(crypto.verifyBatch([{ ...item, message: message.slice() }])).toEqual([true]);
    expect(crypto.stats().cacheHits).toBe(1);
    const forged = sig.bytes.slice();
    forged[5] = (forged[5] as number) ^ 1;
    expect(crypto.verifyBatch([{ ...item, signature: forged }])).toEqual([false]);
  });

  it('costs default to the measured figures and refuse nonsense', () => {
    expect(cryptoCostsOf()).toEqual(MEASURED_CRYPTO_COSTS);
    expect(cryptoCostsOf({ signMs: 1 }).signMs).toBe(1);
    expect(() => cryptoCostsOf({ verifyMs: -1 })).toThrow(RangeError);
  });
});
