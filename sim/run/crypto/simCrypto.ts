/**
 * The simulation's signature provider in its two modes (issue "Simulator", crypto modes).
 *
 * - `real`: ML-DSA-44 keys derived from public labels (`keyPairFromLabel`, as the validator
 *   harness does), deterministic signing with the reference backend, and verification through
 *   ONE verify pool per run (liboqs in the calling thread, `workers: 0`) whose cache verifies
 *   identical statements once per run; forged statements are still caught (only valid verdicts
 *   are cached). A front cache keyed by signature identity (_statementCache.ts) answers the
 *   n − 1 identical checks of one broadcast vertex without re-hashing the statement.
 * - `modeled`: tagged digests of the real length (modeled.ts), verified by recomputing the tag.
 *
 * Both are synchronous where they can be (signing; modeled verification; cache hits), so a
 * modeled run never waits on a promise. CPU time is charged by the simulation, not here.
 */
import {
  createLocalSigner,
  createNobleBackend,
  createVerifyPool,
  loadLiboqsBackend,
  type KeyPair,
  type SchemeName,
  type Signature,
  type SignatureBackend,
  type Signer,
  type VerifyItem,
  type VerifyPool,
} from '../../../core/crypto/index.ts';
import { keyPairFromLabel } from '../../../core/state/index.ts';
import type { TxVerifier } from '../../../core/state/mempool/index.ts';
import type { CryptoMode } from '../../scenario/types.ts';
import { createModeledSignatures } from './modeled.ts';
import { createStatementCache } from './_statementCache.ts';

export type SimCryptoStats = {
  readonly signatures: number;
  readonly verifyItems: number;
  /** Items answered without a backend call (front cache or the pool's cache). */
  readonly cacheHits: number;
};

export type SimCrypto = {
  readonly mode: CryptoMode;
  readonly scheme: SchemeName;
  keyPair(label: string): KeyPair;
  /** Deterministic signature with `keys` (synchronous). */
  sign(keys: KeyPair, message: Uint8Array, context: Uint8Array): Signature;
  /** The same as a `Signer` (for `signTx`). */
  signer(keys: KeyPair): Signer;
  /** One verdict per item, in order; synchronous when nothing needs the pool. */
  verifyBatch(items: readonly VerifyItem[]): boolean[] | Promise<boolean[]>;
  /** For mempools: the same verifier behind the asynchronous interface. */
  readonly txVerifier: TxVerifier;
  stats(): SimCryptoStats;
};

const SCHEME = 'ml-dsa-44' satisfies SchemeName;
const noble: SignatureBackend = createNobleBackend();
// Key generation is a pure function of the label (≈ 2.4 ms each): remembered across runs.
const realKeys = new Map<string, KeyPair>();
let liboqs: Promise<SignatureBackend> | undefined;

export async function createSimCrypto(mode: CryptoMode): Promise<SimCrypto> {
  const front = createStatementCache();
  const counters = { signatures: 0, verifyItems: 0, cacheHits: 0 };
  const modeled = mode === 'modeled' ? createModeledSignatures() : undefined;
  let pool: VerifyPool | undefined;
  if (modeled === undefined) {
    liboqs ??= loadLiboqsBackend({ schemes: [SCHEME] });
    pool = createVerifyPool({ fallback: await liboqs }, { workers: 0 });
  }
  const keyPair = (label: string): KeyPair => {
    if (modeled !== undefined) return modeled.keyPair(SCHEME, label);
    let keys = realKeys.get(label);
    if (keys === undefined) {
      keys = keyPairFromLabel(noble, SCHEME, label);
      realKeys.set(label, keys);
    }
    return keys;
  };
  const sign = (keys: KeyPair, message: Uint8Array, context: Uint8Array): Signature => {
    counters.signatures++;
    if (modeled !== undefined) return modeled.sign(keys.scheme, keys.publicKey, message, context);
    return Object.freeze({ scheme: keys.scheme, bytes: noble.sign(keys.scheme, keys.secretKey, message, context) });
  };
  const verifyBatch = (items: readonly VerifyItem[]): boolean[] | Promise<boolean[]> => {
    counters.verifyItems += items.length;
    const results = items.map((item) => front.isKnownValid(item));
    const misses: number[] = [];
    results.forEach((known, i) => (known ? counters.cacheHits++ : misses.push(i)));
    if (misses.length === 0) return results;
    const remember = (verdicts: readonly boolean[]): boolean[] => {
      misses.forEach((index, j) => {
        const valid = verdicts[j] === true;
        results[index] = valid;
        if (valid) front.rememberValid(items[index] as VerifyItem);
      });
      return results;
    };
    const missed = misses.map((i) => items[i] as VerifyItem);
    if (modeled !== undefined) return remember(missed.map((item) => modeled.verify(item)));
    return (pool as VerifyPool).verifyBatch(missed).then(remember);
  };
  return Object.freeze({
    mode,
    scheme: SCHEME,
    keyPair,
    sign,
    signer: (keys: KeyPair): Signer =>
      modeled === undefined
        ? createLocalSigner(noble, keys)
        : Object.freeze({ scheme: keys.scheme, publicKey: keys.publicKey, sign: (message: Uint8Array, context: Uint8Array) => Promise.resolve(sign(keys, message, context)) }),
    verifyBatch,
    txVerifier: { verifyBatch: (items: readonly VerifyItem[]) => Promise.resolve(verifyBatch(items)) },
    stats: () => {
      const poolHits = pool?.stats().cacheHits ?? 0;
      return Object.freeze({ signatures: counters.signatures, verifyItems: counters.verifyItems, cacheHits: counters.cacheHits + poolHits });
    },
  });
}
