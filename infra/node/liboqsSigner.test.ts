// The liboqs validator signer: its ML-DSA signatures verify on both backends with the project's
// framing (context bound), are hedged (two signatures of one message differ), and keys of other
// schemes fall back to the reference signer (deterministic).
import { describe, expect, it } from 'vitest';
import { createNobleBackend, loadLiboqsBackend, type SchemeName } from '../../core/crypto/index.ts';
import { createFastSigner } from './liboqsSigner.ts';

const noble = createNobleBackend();
const context = new TextEncoder().encode('kaldrix/test/v1');
const message = new TextEncoder().encode('a vertex to sign');

describe('liboqs signer', () => {
  for (const scheme of ['ml-dsa-44', 'ml-dsa-65', 'ml-dsa-87'] as const satisfies readonly SchemeName[]) {
    it(`${scheme}: verifies on noble and liboqs under its context only, and is hedged`, async () => {
      const keys = noble.keygen(scheme, new Uint8Array(32).fill(3));
      const signer = await createFastSigner(keys);
      const first = await signer.sign(message, context);
      const second = await signer.sign(message, context);
      expect(first.scheme).toBe(scheme);
      const liboqs = await loadLiboqsBackend();
      for (const backend of [noble, liboqs]) {
        expect(backend.verify(scheme, keys.publicKey, message, first.bytes, context)).toBe(true);
        expect(backend.verify(scheme, keys.publicKey, message, first.bytes, new TextEncoder().encode('kaldrix/other/v1'))).toBe(false);
      }
      expect(Buffer.from(first.bytes).equals(Buffer.from(second.bytes))).toBe(false);
      expect(noble.verify(scheme, keys.publicKey, message, second.bytes, context)).toBe(true);
    });
  }

  it('other schemes get the reference signer: deterministic, and still valid', async () => {
    const keys = noble.keygen('falcon-512', new Uint8Array(48).fill(5));
    const signer = await createFastSigner(keys);
    const a = await signer.sign(message, context);
    const b = await signer.sign(message, context);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(noble.verify('falcon-512', keys.publicKey, message, a.bytes, context)).toBe(true);
  });

  it('a context longer than 255 bytes is a caller bug: the signature promise rejects', async () => {
    const signer = await createFastSigner(noble.keygen('ml-dsa-44', new Uint8Array(32).fill(1)));
    await expect(signer.sign(message, new Uint8Array(256))).rejects.toThrow(RangeError);
  });
});
