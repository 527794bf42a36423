import { describe, expect, it } from 'vitest';
import { createLocalSigner, verifySignature } from '../crypto/index.ts';
import { EMPTY_ACCOUNT } from './account.ts';
import { decodeSignedTx } from './txDecode.ts';
import { encodeSignedTx } from './txCodec.ts';
import { keyPossessionItem, signKeyPossession, signTx, txSignatureItem, txVerifyItems } from './txSign.ts';
import { checkSenderKey } from './txValidate.ts';
import { ALICE, BOB, alice, backend, bob, params, signAs, tagged, transferBody, tx } from './test/fixtures.ts';

describe('signTx and the verify jobs (real noble backend)', () => {
  for (const [name, keys, sender] of [['ml-dsa-44', alice, ALICE], ['ml-dsa-44+ed25519', bob, BOB]] as const) {
    it(`${name}: a signed transaction decodes, and its signature verifies with the carried key`, async () => {
      const signed = await signAs(keys, tx(transferBody(5n, sender === ALICE ? BOB : ALICE), { sender }));
      const decoded = decodeSignedTx(encodeSignedTx(signed), params);
      expect(decoded.ok).toBe(true);
      if (!decoded.ok) return;
      const key = checkSenderKey(undefined, decoded.value);
      expect(key.ok).toBe(true);
      if (!key.ok) return;
      const items = txVerifyItems(decoded.value, key.value);
      expect(items).toHaveLength(1);
      expect(verifySignature(backend, items[0]!)).toBe(true);
      // Any change to the signed fields breaks the signature.
      const tampered = txSignatureItem({ ...decoded.value, tx: { ...decoded.value.tx, fee: 11n } }, key.value);
      expect(verifySignature(backend, tampered)).toBe(false);
    });
  }

  it('refuses to carry a key that does not derive the sender', async () => {
    await expect(signTx(createLocalSigner(backend, bob), tx(transferBody()), { includePublicKey: true })).rejects.toThrow(RangeError);
  });

  it('rotate-key: the possession proof verifies under the new key and binds chain, sender, nonce', async () => {
    const fields = { chainId: params.chainId, sender: ALICE, nonce: 4n };
    const possession = await signKeyPossession(createLocalSigner(backend, bob), fields);
    const signed = await signAs(alice, tx({ kind: 'rotate-key', value: { newKey: tagged(bob), possession } }, { nonce: 4n }), false);
    const account = { ...EMPTY_ACCOUNT, key: tagged(alice) };
    const key = checkSenderKey(account, signed);
    expect(key.ok).toBe(true);
    if (!key.ok) return;
    const items = txVerifyItems(signed, key.value);
    expect(items).toHaveLength(2);
    expect(items.every((i) => verifySignature(backend, i))).toBe(true);
    const replayed = keyPossessionItem({ ...signed, tx: { ...signed.tx, nonce: 5n } });
    expect(replayed !== undefined && verifySignature(backend, replayed)).toBe(false);
    expect(keyPossessionItem(await signAs(alice, tx(transferBody())))).toBeUndefined();
  });
});

describe('checkSenderKey', () => {
  it('applies the key-on-record rules', async () => {
    const withKey = await signAs(alice, tx(transferBody()));
    const withoutKey = await signAs(alice, tx(transferBody()), false);
    const known = { ...EMPTY_ACCOUNT, balance: 9n, key: tagged(alice) };
    const fundedOnly = { ...EMPTY_ACCOUNT, balance: 9n };
    expect(checkSenderKey(undefined, withKey)).toEqual({ ok: true, value: tagged(alice) });
    expect(checkSenderKey(fundedOnly, withKey).ok).toBe(true);
    expect(checkSenderKey(known, withoutKey)).toEqual({ ok: true, value: tagged(alice) });
    expect(checkSenderKey(known, withKey)).toMatchObject({ ok: false, error: { code: 'PUBLIC_KEY_UNEXPECTED' } });
    expect(checkSenderKey(fundedOnly, withoutKey)).toMatchObject({ ok: false, error: { code: 'PUBLIC_KEY_REQUIRED' } });
    const rotatedToHybrid = { ...known, key: tagged(bob) };
    expect(checkSenderKey(rotatedToHybrid, withoutKey)).toMatchObject({ ok: false, error: { code: 'SIGNATURE_SCHEME_MISMATCH' } });
    expect(checkSenderKey(undefined, { ...withKey, publicKey: tagged(bob), signature: { scheme: bob.scheme, bytes: new Uint8Array(2484) } }))
      .toMatchObject({ ok: false, error: { code: 'ADDRESS_MISMATCH' } });
    expect(checkSenderKey(undefined, { ...withKey, signature: { scheme: bob.scheme, bytes: new Uint8Array(2484) } }))
      .toMatchObject({ ok: false, error: { code: 'SIGNATURE_SCHEME_MISMATCH' } });
  });
});
