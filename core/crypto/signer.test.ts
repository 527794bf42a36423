import { describe, expect, it } from 'vitest';
import { createNobleBackend } from './backends/noble.ts';
import { CONTEXTS, contextBytes } from './contexts.ts';
import { createLocalSigner } from './signer.ts';
import { verifySignature } from './verify.ts';

const backend = createNobleBackend();
const keys = backend.keygen('ml-dsa-44', new Uint8Array(32).fill(3));
const CHECKPOINT = contextBytes(CONTEXTS.checkpoint);
const message = Uint8Array.of(1, 2, 3);

describe('createLocalSigner', () => {
  it('signs deterministically without a random source; verifySignature accepts it', async () => {
    const signer = createLocalSigner(backend, keys);
    expect(Object.isFrozen(signer)).toBe(true);
    expect(signer.scheme).toBe('ml-dsa-44');
    expect(signer.publicKey).toEqual(keys.publicKey);
    const a = await signer.sign(message, CHECKPOINT);
    const b = await signer.sign(message, CHECKPOINT);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toEqual(b);
    expect(a.bytes).toEqual(backend.sign('ml-dsa-44', keys.secretKey, message, CHECKPOINT));
    const item = { scheme: a.scheme, publicKey: signer.publicKey, message, signature: a.bytes, context: CHECKPOINT };
    expect(verifySignature(backend, item)).toBe(true);
    expect(verifySignature(backend, { ...item, context: contextBytes(CONTEXTS.vote) })).toBe(false);
  });

  it('hedges with the injected random source', async () => {
    let counter = 0;
    const signer = createLocalSigner(backend, keys, { random: () => new Uint8Array(32).fill(++counter) });
    const a = await signer.sign(message, CHECKPOINT);
    const b = await signer.sign(message, CHECKPOINT);
    expect(counter).toBe(2);
    expect(a.bytes).not.toEqual(b.bytes);
    expect(backend.verify('ml-dsa-44', keys.publicKey, message, b.bytes, CHECKPOINT)).toBe(true);
  });

  it('rejects key pairs that do not fit their scheme, and bad random sources', async () => {
    expect(() => createLocalSigner(backend, { ...keys, scheme: 'ml-dsa-65' })).toThrow(RangeError);
    expect(() => createLocalSigner(backend, { ...keys, secretKey: keys.secretKey.subarray(1) })).toThrow(RangeError);
    expect(() => createLocalSigner(backend, { ...keys, publicKey: new Uint8Array(5) })).toThrow(RangeError);
    const bad = createLocalSigner(backend, keys, { random: () => new Uint8Array(8) });
    await expect(bad.sign(message, CHECKPOINT)).rejects.toThrow(RangeError);
  });

  it('keeps its own copy of the key', async () => {
    const secretKey = keys.secretKey.slice();
    const signer = createLocalSigner(backend, { ...keys, secretKey });
    secretKey.fill(0);
    const sig = await signer.sign(message, CHECKPOINT);
    expect(backend.verify('ml-dsa-44', keys.publicKey, message, sig.bytes, CHECKPOINT)).toBe(true);
  });
});
