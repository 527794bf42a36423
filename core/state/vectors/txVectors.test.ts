// Known-answer vectors for transactions. Source: transactions.json, written by
// test/generate.ts from the pure builder txVectors.ts. This test rebuilds every vector and
// compares it field by field (any change to an encoding, the id or the signing message fails),
// then decodes each signed transaction and verifies its signatures with the noble backend.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHex, toHex, verifySignature, type SchemeName } from '../../crypto/index.ts';
import { evidenceVerifyItems } from '../evidence.ts';
import { DEFAULT_PARAMS } from '../params.ts';
import { decodeSignedTx } from '../txDecode.ts';
import { encodeTx, txId } from '../txCodec.ts';
import { checkSenderKey } from '../txValidate.ts';
import { txVerifyItems } from '../txSign.ts';
import { keyPairFromLabel } from '../genesisSeeds.ts';
import { backend } from '../test/fixtures.ts';
import { buildTxVectors, txFieldsJson, VECTOR_CHAIN_ID, type TxVectorFile } from './txVectors.ts';

const file = JSON.parse(readFileSync(new URL('./transactions.json', import.meta.url), 'utf8')) as TxVectorFile;
const params = { ...DEFAULT_PARAMS, chainId: VECTOR_CHAIN_ID };
const hex = (text: string): Uint8Array => {
  const r = parseHex(text);
  if (!r.ok) throw new Error('vector hex');
  return r.value;
};

describe('transaction known-answer vectors', () => {
  it('covers every kind and every scheme', () => {
    expect(new Set(file.vectors.map((v) => v.kind))).toEqual(new Set(['transfer', 'bond', 'unbond', 'rotate-key', 'evidence']));
    const schemes: SchemeName[] = ['ml-dsa-44', 'ml-dsa-65', 'ml-dsa-87', 'slh-dsa-sha2-128f', 'falcon-512', 'ml-dsa-44+ed25519'];
    expect(new Set(file.vectors.map((v) => v.scheme))).toEqual(new Set(schemes));
  });

  it('re-derives to exactly the stored vectors', async () => {
    const rebuilt = await buildTxVectors(backend);
    expect(rebuilt.vectors.map((v) => v.name)).toEqual(file.vectors.map((v) => v.name));
    for (const [i, v] of rebuilt.vectors.entries()) expect(v, v.name).toEqual(file.vectors[i]);
  });

  for (const v of file.vectors) {
    it(`${v.name}: decodes, matches its fields, id and message, and its signatures verify`, () => {
      const decoded = decodeSignedTx(hex(v.signed_hex), params);
      if (!decoded.ok) throw new Error(`${v.name}: ${decoded.error.code}`);
      const { tx } = decoded.value;
      expect(txFieldsJson(tx)).toEqual(v.fields);
      expect(toHex(encodeTx(tx))).toBe(v.unsigned_hex);
      expect(v.signing_message_hex).toBe(v.unsigned_hex);
      expect(toHex(txId(tx))).toBe(v.id_hex);
      const senderKey = { scheme: v.scheme, publicKey: hex(v.public_key) };
      const onRecord = decoded.value.publicKey === undefined ? { balance: 0n, nonce: 0n, stake: 0n, unbonding: [], key: senderKey } : undefined;
      const key = checkSenderKey(onRecord, decoded.value);
      if (!key.ok) throw new Error(key.error.code);
      for (const item of txVerifyItems(decoded.value, key.value)) expect(verifySignature(backend, item)).toBe(true);
      if (tx.body.kind === 'evidence') {
        const offender = keyPairFromLabel(backend, 'ml-dsa-44', 'vector-offender');
        const items = evidenceVerifyItems(tx.body.value.evidence, { scheme: offender.scheme, publicKey: offender.publicKey });
        if (!items.ok) throw new Error(items.error.code);
        expect(items.value.every((item) => verifySignature(backend, item))).toBe(true);
      }
    });
  }
});
