// Known-answer vectors for checkpoints and certificates. Source: checkpoints.json, written by
// test/generate.ts from the pure builder checkpointVectors.ts (public label keys, deterministic
// ML-DSA-44 signing with the noble reference backend). This test rebuilds the whole file and
// compares it (any change to the checkpoint encoding, its hash, the signed message or the
// certificate encoding fails), then decodes every encoding and verifies every signature.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesEqual, parseHex, toHex, verifySignature } from '../../crypto/index.ts';
import { decodeCertificate } from '../certificate.ts';
import { verifyCertificate } from '../certificateVerify.ts';
import { checkpointHash, decodeCheckpoint, encodeCheckpoint } from '../checkpoint.ts';
import { checkpointSignedMessage, checkpointVoteItem } from '../checkpointSign.ts';
import { signerIndices } from '../signerBitmap.ts';
import { backend, verifier } from '../test/certificateFixtures.ts';
import { buildCheckpointVectors, checkpointFieldsJson, vectorCommittee, VECTOR_CHAIN_ID, type CheckpointVectorFile } from './checkpointVectors.ts';

const file = JSON.parse(readFileSync(new URL('./checkpoints.json', import.meta.url), 'utf8')) as CheckpointVectorFile;
const hex = (text: string): Uint8Array => {
  const r = parseHex(text);
  if (!r.ok) throw new Error('vector hex');
  return r.value;
};
const { committee } = vectorCommittee(backend);

describe('checkpoint known-answer vectors', () => {
  it('re-derives to exactly the stored file', async () => {
    expect(await buildCheckpointVectors(backend)).toEqual(file);
  });

  it('pins the first checkpoint encoding byte for byte', () => {
    const first = file.checkpoints.find((c) => c.name === 'first');
    // chain id, epoch 0, sequence 1, last commit 42, three fixed roots, the genesis link, no next committee.
    expect(first?.encoding_hex).toBe(
      '0f6b616c647269782d766563746f7273' +
        '0000000000000000' +
        '0000000000000001' +
        '000000000000002a' +
        '11'.repeat(32) +
        '22'.repeat(32) +
        '33'.repeat(32) +
        (first?.fields['previous_checkpoint_hash'] as string) +
        '00',
    );
    expect(first?.signed_message_hex).toBe('0000000000000000' + '0000000000000001' + '0f6b616c647269782d766563746f7273' + first?.hash_hex);
  });

  for (const v of file.checkpoints) {
    it(`${v.name}: decodes to its fields, hash and message, and its signature verifies only under the checkpoint context`, () => {
      const d = decodeCheckpoint(hex(v.encoding_hex));
      if (!d.ok) throw new Error(d.error.code);
      expect(checkpointFieldsJson(d.value)).toEqual(v.fields);
      expect(toHex(encodeCheckpoint(d.value))).toBe(v.encoding_hex);
      expect(toHex(checkpointHash(d.value))).toBe(v.hash_hex);
      expect(toHex(checkpointSignedMessage(d.value))).toBe(v.signed_message_hex);
      const member = committee.members[v.signer_index];
      if (member === undefined) throw new Error('vector signer');
      const item = checkpointVoteItem(hex(v.signed_message_hex), member.key, { scheme: 'ml-dsa-44', bytes: hex(v.signature_hex) });
      expect(verifySignature(backend, item)).toBe(true);
      expect(verifySignature(backend, { ...item, context: new TextEncoder().encode('kaldrix/vertex/v1') })).toBe(false);
    });
  }

  it('the certificate decodes, names its signers and verifies against the vector committee', async () => {
    const d = decodeCertificate(hex(file.certificate.encoding_hex), 1 << 20);
    if (!d.ok) throw new Error(d.error.code);
    expect([...signerIndices(d.value.signers)]).toEqual(file.certificate.signer_indices);
    const endOfEpoch = file.checkpoints.find((c) => c.name === file.certificate.checkpoint);
    expect(bytesEqual(encodeCheckpoint(d.value.checkpoint), hex(endOfEpoch?.encoding_hex ?? ''))).toBe(true);
    const r = await verifyCertificate(d.value, { chainId: VECTOR_CHAIN_ID, committee }, verifier);
    expect(r.ok && toHex(r.value.checkpointHash)).toBe(endOfEpoch?.hash_hex);
  });
});
