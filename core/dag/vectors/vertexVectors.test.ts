// Known-answer vectors for vertices. Source: vertices.json, written by test/generate.ts from the
// pure builder vertexVectors.ts. This test rebuilds the file and compares it, checks one
// encoding against a layout written out by hand (docs/protocol.md "DAG"), recomputes each
// digest straight from the stored bytes, and verifies each signature with the noble backend.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contextBytes, CONTEXTS, createNobleBackend, hashDomain, parseHex, toHex, verifySignature } from '../../crypto/index.ts';
import { chainIdCodec, encodeSlotHeader } from '../../state/index.ts';
import { decodeSignedVertex, encodeVertex, vertexDigest } from '../vertex.ts';
import { buildVertexVectors, VECTOR_CHAIN_ID, type VertexVectorFile } from './vertexVectors.ts';

const backend = createNobleBackend();
const file = JSON.parse(readFileSync(new URL('./vertices.json', import.meta.url), 'utf8')) as VertexVectorFile;
const hex = (text: string): Uint8Array => {
  const r = parseHex(text);
  if (!r.ok) throw new Error('vector hex');
  return r.value;
};

describe('vertex known-answer vectors', () => {
  it('re-derives to exactly the stored file', async () => {
    expect(await buildVertexVectors(backend)).toEqual(file);
  });

  it('round-1-empty matches the layout written out by hand', () => {
    const v = file.vectors.find((x) => x.name === 'round-1-empty')!;
    const chain = toHex(new TextEncoder().encode(VECTOR_CHAIN_ID));
    const expected =
      '0f' + chain + // chain id: length 15, UTF-8
      '0000000000000000' + // epoch u64
      '01' + // round varint
      '0000' + // author u16
      '00' + // no parents
      '0000018bcfe56800' + // timestampMs u64 = 1,700,000,000,000
      '00' + // no transactions
      '00' + // no checkpoint signature
      '00'; // no evidence
    expect(v.unsigned_hex).toBe(expected);
  });

  for (const v of file.vectors) {
    it(`${v.name}: decodes, re-encodes, digest and signing message follow the spec, signature verifies`, () => {
      const decoded = decodeSignedVertex(hex(v.signed_hex));
      if (!decoded.ok) throw new Error(decoded.error.code);
      const { vertex, signature } = decoded.value;
      expect(toHex(encodeVertex(vertex))).toBe(v.unsigned_hex);
      expect(v.signed_hex.startsWith(v.unsigned_hex)).toBe(true);
      expect(toHex(hashDomain(file.digest_domain, hex(v.unsigned_hex)))).toBe(v.digest_hex);
      expect(toHex(vertexDigest(vertex))).toBe(v.digest_hex);
      const message = [
        toHex(encodeSlotHeader(BigInt(v.vertex.epoch), BigInt(v.vertex.round))),
        toHex(Uint8Array.of(v.vertex.chain_id.length)),
        toHex(new TextEncoder().encode(v.vertex.chain_id)),
        v.vertex.author.toString(16).padStart(4, '0'),
        v.digest_hex,
      ].join('');
      expect(v.signing_message_hex).toBe(message);
      const item = { scheme: file.scheme, publicKey: hex(file.public_key), message: hex(message), signature: signature.bytes, context: contextBytes(file.context) };
      expect(verifySignature(backend, item)).toBe(true);
      expect(verifySignature(backend, { ...item, context: contextBytes(CONTEXTS.checkpoint) })).toBe(false);
      // A piggybacked vote carries the hash it signs, so it verifies on its own (same key here).
      const vote = vertex.checkpointSignature;
      expect(vote === undefined).toBe(v.vertex.checkpoint_signature === null);
      if (vote !== undefined) {
        expect(toHex(vote.checkpointHash)).toBe(v.vertex.checkpoint_signature?.checkpoint_hash);
        const voteMessage = new Uint8Array([...encodeSlotHeader(BigInt(v.vertex.epoch), vote.sequence), ...chainIdCodec.encode(v.vertex.chain_id), ...vote.checkpointHash]);
        const voteItem = { ...item, message: voteMessage, signature: vote.signature.bytes, context: contextBytes(CONTEXTS.checkpoint) };
        expect(verifySignature(backend, voteItem)).toBe(true);
        expect(verifySignature(backend, { ...voteItem, message: voteMessage.map((b, i) => (i === voteMessage.length - 1 ? b ^ 1 : b)) })).toBe(false);
      }
    });
  }
});
