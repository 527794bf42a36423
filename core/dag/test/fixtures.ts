// Shared test fixtures for core/dag: a 4-member committee with real ML-DSA-44 keys from public
// labels (generated once per test file), vertex builders, and a deterministic random DAG.
import {
  addressFromPublicKey,
  createNobleBackend,
  schemeInfo,
  type KeyPair,
  type Signature,
} from '../../crypto/index.ts';
import { createCommittee, type Committee } from '../../consensus/committee.ts';
import { DEFAULT_PARAMS, keyPairFromLabel } from '../../state/index.ts';
import { dagLimitsFromParams } from '../limits.ts';
import type { VertexRef } from '../types.ts';
import { VERTEX_SIGNING_CONTEXT, vertexRef, vertexSigningMessage, type SignedVertex, type Vertex } from '../vertex.ts';
import { createPrng } from '../../prng.ts';

export const backend = createNobleBackend();
export const CHAIN = 'kaldrix-dag-test';
export const EPOCH = 3n;
export const limits = dagLimitsFromParams({ ...DEFAULT_PARAMS, chainId: CHAIN });

/** Committee of `n` equal-stake members; `keys[i]` is the key pair of member index i. */
export function makeCommittee(n: number, stakes?: readonly bigint[]): { committee: Committee; keys: KeyPair[] } {
  const pairs = Array.from({ length: n }, (_, i) => keyPairFromLabel(backend, 'ml-dsa-44', `dag-test-validator-${i}`));
  const committee = createCommittee(
    EPOCH,
    pairs.map((k, i) => ({
      address: addressFromPublicKey(schemeInfo(k.scheme).tag, k.publicKey),
      key: { scheme: k.scheme, publicKey: k.publicKey },
      stake: stakes?.[i] ?? 100n,
    })),
  );
  // The committee orders members by address: find each member's key pair.
  const keys = committee.members.map((m) => pairs.find((p) => p.publicKey === m.key.publicKey) as KeyPair);
  return { committee, keys };
}

export function vertex(over: Partial<Vertex> = {}): Vertex {
  return {
    chainId: CHAIN,
    epoch: EPOCH,
    round: 1,
    author: 0,
    parents: [],
    timestampMs: 1_000,
    transactions: [],
    evidence: [],
    ...over,
  };
}

/** A well-formed but unverifiable signature: the store never verifies, so its tests skip signing. */
export const FAKE_SIGNATURE: Signature = { scheme: 'ml-dsa-44', bytes: new Uint8Array(schemeInfo('ml-dsa-44').signatureMaxBytes) };

export const fakeSigned = (v: Vertex): SignedVertex => ({ vertex: v, signature: FAKE_SIGNATURE });

/** Deterministic ML-DSA-44 signature by `key` (FIPS 204 deterministic variant). */
export function realSigned(v: Vertex, key: KeyPair): SignedVertex {
  const bytes = backend.sign(key.scheme, key.secretKey, vertexSigningMessage(v), VERTEX_SIGNING_CONTEXT);
  return { vertex: v, signature: { scheme: key.scheme, bytes } };
}

/** A small deterministic PRNG (mulberry32) for building random DAGs from a fast-check seed. */
export function prng(seed: number): () => number {
  return createPrng(seed).nextFloat;
}

/**
 * A random valid DAG over `n` equal-stake members: each round a random quorum-or-more of
 * authors (ceil((2n+1)/3) at least), each naming a random quorum of the previous round (always
 * including its own previous vertex when there is one), with an occasional equivocating twin.
 */
export function randomDag(seed: number, n: number, rounds: number, equivocate = false): SignedVertex[] {
  const next = prng(seed);
  const quorum = Math.floor((2 * n) / 3) + 1;
  const out: SignedVertex[] = [];
  let previous: VertexRef[] = [];
  for (let round = 1; round <= rounds; round++) {
    const authors = shuffle([...Array(n).keys()], next).slice(0, quorum + Math.floor(next() * (n - quorum + 1))).sort((a, b) => a - b);
    const current: VertexRef[] = [];
    for (const author of authors) {
      const chosen = round === 1 ? [] : pickParents(previous, quorum, next);
      const v = vertex({ round, author, parents: chosen, timestampMs: 1_000 + round * 100, transactions: [Uint8Array.of(round, author)] });
      out.push(fakeSigned(v));
      current.push(vertexRef(v));
      if (equivocate && next() < 0.1) {
        const twin = vertex({ ...v, transactions: [Uint8Array.of(round, author, 0xee)] });
        out.push(fakeSigned(twin));
      }
    }
    previous = current;
  }
  return out;
}

function pickParents(previous: readonly VertexRef[], quorum: number, next: () => number): VertexRef[] {
  const count = quorum + Math.floor(next() * (previous.length - quorum + 1));
  return shuffle([...previous], next).slice(0, count).sort((a, b) => a.author - b.author);
}

export function shuffle<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
