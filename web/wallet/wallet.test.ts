/**
 * The wallet's logic against the real crypto: key files (encrypted at rest, wrong passphrase,
 * the devnet plaintext format), the IndexedDB keystore (fake-indexeddb), and a transfer built
 * and signed from a verified account that core/state's own checks accept.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import {
  addressFromPublicKey,
  createLocalSigner,
  createNobleBackend,
  encodeAddress,
  encodePlaintextKeyFile,
  encryptKeyFile,
  MIN_SCRYPT_N,
  schemeInfo,
  toHex,
  verifySignature,
} from '../../core/crypto/index.ts';
import { checkSenderKey, decodeSignedTx, DEFAULT_PARAMS, EMPTY_ACCOUNT, txSignatureItem, validateTx, type Account } from '../../core/state/index.ts';
import { describeWalletError } from './errors.ts';
import { openKeystore } from './keystore.ts';
import { buildTransfer, parseAmount, signTransfer } from './transfer.ts';
import { createWalletKey, importWalletKey, unlockWalletKey } from './walletKeys.ts';

const backend = createNobleBackend();
let counter = 0;
/** Deterministic "random" bytes: reproducible tests, distinct per call. */
const random = (byteCount: number): Uint8Array => {
  counter += 1;
  return Uint8Array.from({ length: byteCount }, (_, i) => (i * 31 + counter * 17) & 0xff);
};
const components = { backend, random, scryptN: MIN_SCRYPT_N };
const PASSPHRASE = 'correct horse battery';

function devnetKeyPair(seedByte: number) {
  return backend.keygen('ml-dsa-44', new Uint8Array(32).fill(seedByte));
}

describe('wallet keys', () => {
  it('creates a key whose encrypted file unlocks with the passphrase and not with another', () => {
    const made = createWalletKey('ml-dsa-44', PASSPHRASE, components);
    if (!made.ok) throw new Error(made.error.code);
    expect(made.value.addressText).toMatch(/^kdx1/);
    expect(made.value.encryptedKeyFile).not.toContain(toHex(made.value.keys.secretKey));
    const reopened = unlockWalletKey(made.value.encryptedKeyFile, PASSPHRASE, backend);
    expect(reopened.ok && toHex(reopened.value.keys.secretKey)).toBe(toHex(made.value.keys.secretKey));
    const wrong = unlockWalletKey(made.value.encryptedKeyFile, 'not the passphrase', backend);
    expect(wrong).toEqual({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    expect(describeWalletError({ code: 'WRONG_PASSPHRASE' })).toMatch(/Wrong passphrase/);
  });

  it('creates a hybrid ML-DSA-44 + Ed25519 key', () => {
    const made = createWalletKey('ml-dsa-44+ed25519', PASSPHRASE, components);
    expect(made.ok && made.value.keys.scheme).toBe('ml-dsa-44+ed25519');
    expect(made.ok && made.value.keys.publicKey.length).toBe(schemeInfo('ml-dsa-44+ed25519').publicKeyBytes);
  });

  it('refuses a short passphrase for a new key', () => {
    expect(createWalletKey('ml-dsa-44', 'short', components)).toEqual({ ok: false, error: { code: 'WEAK_PASSPHRASE', minChars: 8 } });
  });

  it('imports the devnet plaintext key file, encrypting it under the passphrase', () => {
    const keys = devnetKeyPair(7);
    const imported = importWalletKey(encodePlaintextKeyFile(keys), PASSPHRASE, components);
    if (!imported.ok) throw new Error(imported.error.code);
    expect(imported.value.addressText).toBe(encodeAddress(addressFromPublicKey(schemeInfo('ml-dsa-44').tag, keys.publicKey)));
    const stored = JSON.parse(imported.value.encryptedKeyFile) as Record<string, unknown>;
    expect(stored['kaldrix_keyfile']).toBe(1);
    expect(imported.value.encryptedKeyFile).not.toContain(toHex(keys.secretKey));
  });

  it('imports an encrypted key file only with its passphrase', () => {
    const keys = devnetKeyPair(8);
    const file = encryptKeyFile(keys, PASSPHRASE, { random, scryptN: MIN_SCRYPT_N });
    expect(importWalletKey(file, PASSPHRASE, components).ok).toBe(true);
    expect(importWalletKey(file, 'another passphrase', components)).toEqual({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
  });

  it('refuses malformed files and a secret key that does not match its public key', () => {
    expect(importWalletKey('not json', PASSPHRASE, components)).toMatchObject({ ok: false, error: { code: 'MALFORMED_KEY_FILE' } });
    expect(importWalletKey('[1]', PASSPHRASE, components)).toMatchObject({ ok: false, error: { code: 'MALFORMED_KEY_FILE' } });
    expect(importWalletKey('{"kaldrix_keyfile_insecure_plaintext":1}', PASSPHRASE, components)).toMatchObject({ ok: false, error: { code: 'MALFORMED_KEY_FILE' } });
    const mixed = { ...devnetKeyPair(9), secretKey: devnetKeyPair(10).secretKey };
    expect(importWalletKey(encodePlaintextKeyFile(mixed), PASSPHRASE, components)).toEqual({ ok: false, error: { code: 'KEY_MISMATCH' } });
  });
});

describe('keystore', () => {
  it('round-trips the encrypted key file and holds no secret key bytes at rest', async () => {
    const made = createWalletKey('ml-dsa-44', PASSPHRASE, components);
    if (!made.ok) throw new Error(made.error.code);
    const databaseName = 'wallet-test-roundtrip';
    const keystore = openKeystore({ databaseName, nowMs: () => 1_000 });
    const { encryptedKeyFile, addressText } = made.value;
    expect((await keystore.save({ encryptedKeyFile, scheme: 'ml-dsa-44', addressText })).ok).toBe(true);
    const loaded = await keystore.load();
    expect(loaded).toEqual({ ok: true, value: { encryptedKeyFile, scheme: 'ml-dsa-44', addressText, savedAtMs: 1_000 } });
    keystore.close();

    // What IndexedDB really holds, read around the keystore.
    const raw = await openDB(databaseName);
    const records: unknown[] = await raw.getAll('keys');
    raw.close();
    const rawText = JSON.stringify(records);
    expect(records).toHaveLength(1);
    expect(rawText).not.toContain(toHex(made.value.keys.secretKey));
    expect(rawText).not.toContain('secretKey');

    const reopened = openKeystore({ databaseName, nowMs: () => 2_000 });
    const again = await reopened.load();
    expect(again.ok && again.value !== undefined && unlockWalletKey(again.value.encryptedKeyFile, PASSPHRASE, backend).ok).toBe(true);
    expect((await reopened.clear()).ok).toBe(true);
    expect(await reopened.load()).toEqual({ ok: true, value: undefined });
    reopened.close();
  });

  it('refuses to store a plaintext key file', async () => {
    const keystore = openKeystore({ databaseName: 'wallet-test-plaintext', nowMs: () => 0 });
    const plaintext = encodePlaintextKeyFile(devnetKeyPair(11));
    expect(() => keystore.save({ encryptedKeyFile: plaintext, scheme: 'ml-dsa-44', addressText: 'kdx1x' })).toThrow(TypeError);
    keystore.close();
  });
});

describe('transfers', () => {
  const keys = devnetKeyPair(12);
  const sender = addressFromPublicKey(schemeInfo('ml-dsa-44').tag, keys.publicKey);
  const recipientText = encodeAddress(addressFromPublicKey(schemeInfo('ml-dsa-44').tag, devnetKeyPair(13).publicKey));
  const funded: Account = { ...EMPTY_ACCOUNT, balance: 1_000n, nonce: 3n, key: { scheme: 'ml-dsa-44', publicKey: keys.publicKey } };
  const verified = { chainId: 'kaldrix-devnet', address: sender, account: funded };
  const PARAMS = { chainId: 'kaldrix-devnet', maxTxBytes: DEFAULT_PARAMS.maxTxBytes };

  it('builds and signs a transfer that core/state accepts and that verifies', async () => {
    const tx = buildTransfer({ recipientText, amountText: '250', feeText: '5' }, verified, 3n);
    if (!tx.ok) throw new Error(tx.error.code);
    const transfer = await signTransfer(createLocalSigner(backend, keys), tx.value, funded);
    const decoded = decodeSignedTx(transfer.bytes, PARAMS);
    if (!decoded.ok) throw new Error('the signed bytes do not decode');
    expect(validateTx(decoded.value, { chainId: 'kaldrix-devnet' })).toEqual({ ok: true, value: undefined });
    expect(decoded.value.tx).toMatchObject({ nonce: 3n, fee: 5n, body: { kind: 'transfer', value: { amount: 250n } } });
    expect(decoded.value.publicKey).toBeUndefined();
    const senderKey = checkSenderKey(funded, decoded.value);
    if (!senderKey.ok) throw new Error(senderKey.error.code);
    expect(verifySignature(backend, txSignatureItem(decoded.value, senderKey.value))).toBe(true);
    expect(transfer.idHex).toMatch(/^[0-9a-f]{64}$/);
  });

  it("carries the public key on an account's first transaction", async () => {
    const fresh: Account = { ...EMPTY_ACCOUNT, balance: 100n };
    const tx = buildTransfer({ recipientText, amountText: '10', feeText: '0' }, { ...verified, account: fresh }, 0n);
    if (!tx.ok) throw new Error(tx.error.code);
    const transfer = await signTransfer(createLocalSigner(backend, keys), tx.value, fresh);
    const decoded = decodeSignedTx(transfer.bytes, PARAMS);
    expect(decoded.ok && checkSenderKey(fresh, decoded.value).ok).toBe(true);
  });

  it('gives typed errors for a bad address, a bad amount, a self transfer and too little verified balance', () => {
    const build = (recipient: string, amount: string, fee = '1') => buildTransfer({ recipientText: recipient, amountText: amount, feeText: fee }, verified, 3n);
    expect(build('kdx1notanaddress', '1')).toMatchObject({ ok: false, error: { code: 'BAD_ADDRESS' } });
    expect(build(`${recipientText.slice(0, -1)}q`, '1')).toMatchObject({ ok: false, error: { code: 'BAD_ADDRESS', reason: 'BAD_CHECKSUM' } });
    expect(build(encodeAddress(sender), '1')).toEqual({ ok: false, error: { code: 'SELF_TRANSFER' } });
    expect(build(recipientText, '0')).toMatchObject({ ok: false, error: { code: 'BAD_AMOUNT', field: 'amount' } });
    expect(build(recipientText, '1.5')).toMatchObject({ ok: false, error: { code: 'BAD_AMOUNT', field: 'amount' } });
    expect(build(recipientText, '10', '-1')).toMatchObject({ ok: false, error: { code: 'BAD_AMOUNT', field: 'fee' } });
    expect(build(recipientText, '1000', '1')).toEqual({ ok: false, error: { code: 'INSUFFICIENT_BALANCE', neededUnits: 1001n, verifiedBalanceUnits: 1000n } });
    expect(build(recipientText, '999', '1').ok).toBe(true);
  });

  it('reads amounts as whole base units within u64', () => {
    expect(parseAmount('1_000 000', 'amount', false)).toEqual({ ok: true, value: 1_000_000n });
    expect(parseAmount('18446744073709551615', 'amount', false)).toEqual({ ok: true, value: (1n << 64n) - 1n });
    expect(parseAmount('18446744073709551616', 'amount', false)).toMatchObject({ ok: false });
    expect(parseAmount('0', 'fee', true)).toEqual({ ok: true, value: 0n });
  });
});
