/**
 * Builds the vertex known-answer vectors (`vertices.json`) deterministically: the author key
 * from the public seeds of core/state/genesisSeeds.ts (label `vector-dag-author`),
 * deterministic ML-DSA-44 signing, fixed field values. Pure: `test/generate.ts` writes the
 * result and `vertexVectors.test.ts` rebuilds and compares it, so any change to the vertex
 * encoding, its digest or its signing message fails a test.
 */
import { contextBytes, CONTEXTS, createLocalSigner, toHex, type SignatureBackend } from '../../crypto/index.ts';
import { chainIdCodec, encodeSlotHeader, keyPairFromLabel } from '../../state/index.ts';
import { encodeSignedVertex, encodeVertex, signVertex, vertexDigest, vertexSigningMessage, type Vertex } from '../vertex.ts';

export const VECTOR_CHAIN_ID = 'kaldrix-vectors';
export const VECTOR_AUTHOR_LABEL = 'vector-dag-author';

const fill = (length: number, byte: number): Uint8Array => new Uint8Array(length).fill(byte);

export type VertexVector = {
  readonly name: string;
  readonly vertex: {
    readonly chain_id: string;
    readonly epoch: string;
    readonly round: number;
    readonly author: number;
    readonly parents: readonly { readonly round: number; readonly author: number; readonly digest: string }[];
    readonly timestamp_ms: number;
    readonly transactions: readonly string[];
    readonly checkpoint_signature: { readonly sequence: string; readonly checkpoint_hash: string; readonly signature: string } | null;
    readonly evidence: readonly string[];
  };
  readonly unsigned_hex: string;
  readonly digest_hex: string;
  readonly signing_message_hex: string;
  readonly signed_hex: string;
};

export type VertexVectorFile = {
  readonly source: string;
  readonly digest_domain: string;
  readonly context: string;
  readonly scheme: 'ml-dsa-44';
  readonly seed_label: string;
  readonly public_key: string;
  readonly vectors: readonly VertexVector[];
};

async function specs(backend: SignatureBackend): Promise<readonly { name: string; vertex: Vertex }[]> {
  // The vote is a real checkpoint signature by the author over a stand-in checkpoint hash:
  // slot header (epoch 7, sequence 42) || chain id || hash, the message of docs/protocol.md
  // "Checkpoints" (spelled out here: core/dag does not import the checkpoint messages).
  const voter = keyPairFromLabel(backend, 'ml-dsa-44', VECTOR_AUTHOR_LABEL);
  const voteHash = fill(32, 0xc4);
  const voteMessage = new Uint8Array([...encodeSlotHeader(7n, 42n), ...chainIdCodec.encode(VECTOR_CHAIN_ID), ...voteHash]);
  const voteBytes = backend.sign('ml-dsa-44', voter.secretKey, voteMessage, contextBytes(CONTEXTS.checkpoint));
  return [
    {
      name: 'round-1-empty',
      vertex: { chainId: VECTOR_CHAIN_ID, epoch: 0n, round: 1, author: 0, parents: [], timestampMs: 1_700_000_000_000, transactions: [], evidence: [] },
    },
    {
      name: 'round-300-full',
      vertex: {
        chainId: VECTOR_CHAIN_ID,
        epoch: 7n,
        round: 300,
        author: 2,
        parents: [
          { round: 298, author: 3, digest: fill(32, 0x33) },
          { round: 299, author: 0, digest: fill(32, 0x00) },
          { round: 299, author: 1, digest: fill(32, 0x11) },
          { round: 299, author: 2, digest: fill(32, 0x22) },
        ],
        timestampMs: 1_700_000_030_000,
        transactions: [Uint8Array.of(0xde, 0xad), fill(3, 0xbe)],
        checkpointSignature: { sequence: 42n, checkpointHash: voteHash, signature: { scheme: 'ml-dsa-44', bytes: voteBytes } },
        evidence: [Uint8Array.of(1, 2, 3)],
      },
    },
  ];
}

function fieldsJson(v: Vertex): VertexVector['vertex'] {
  return {
    chain_id: v.chainId,
    epoch: v.epoch.toString(),
    round: v.round,
    author: v.author,
    parents: v.parents.map((p) => ({ round: p.round, author: p.author, digest: toHex(p.digest) })),
    timestamp_ms: v.timestampMs,
    transactions: v.transactions.map(toHex),
    checkpoint_signature:
      v.checkpointSignature === undefined
        ? null
        : { sequence: v.checkpointSignature.sequence.toString(), checkpoint_hash: toHex(v.checkpointSignature.checkpointHash), signature: toHex(v.checkpointSignature.signature.bytes) },
    evidence: v.evidence.map(toHex),
  };
}

export async function buildVertexVectors(backend: SignatureBackend): Promise<VertexVectorFile> {
  const author = keyPairFromLabel(backend, 'ml-dsa-44', VECTOR_AUTHOR_LABEL);
  const signer = createLocalSigner(backend, author);
  const vectors: VertexVector[] = [];
  for (const { name, vertex } of await specs(backend)) {
    const signed = await signVertex(signer, vertex);
    vectors.push({
      name,
      vertex: fieldsJson(vertex),
      unsigned_hex: toHex(encodeVertex(vertex)),
      digest_hex: toHex(vertexDigest(vertex)),
      signing_message_hex: toHex(vertexSigningMessage(vertex)),
      signed_hex: toHex(encodeSignedVertex(signed)),
    });
  }
  return {
    source: 'core/dag/vectors/test/generate.ts (builder: core/dag/vectors/vertexVectors.ts; key: core/state/genesisSeeds.ts public label, deterministic ML-DSA-44 signing with the noble backend)',
    digest_domain: 'kaldrix/vertex-digest/v1',
    context: CONTEXTS.vertex,
    scheme: 'ml-dsa-44',
    seed_label: VECTOR_AUTHOR_LABEL,
    public_key: toHex(author.publicKey),
    vectors,
  };
}
