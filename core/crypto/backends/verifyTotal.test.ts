// Property: verify is total. Random bytes as signature or public key give false, never an
// exception, on every backend and scheme (a Byzantine peer's bytes are a value, HOUSE-RULES 8).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTEXTS, contextBytes } from '../contexts.ts';
import { SCHEMES } from '../schemes.ts';
import type { SchemeName, SignatureBackend } from '../types.ts';
import { loadLiboqsBackend } from './liboqs.ts';
import { createNobleBackend } from './noble.ts';

const noble = createNobleBackend();
let liboqs: SignatureBackend;
beforeAll(async () => {
  liboqs = await loadLiboqsBackend();
});

const TX = contextBytes(CONTEXTS.tx);
/** SLH-DSA verification costs milliseconds per call; keep its runs few. */
const RUNS: Readonly<Record<SchemeName, number>> = {
  'ml-dsa-44': 25, 'ml-dsa-65': 10, 'ml-dsa-87': 10, 'slh-dsa-sha2-128f': 4, 'falcon-512': 25, 'ml-dsa-44+ed25519': 15,
};

/** Bytes of exactly `n` (the interesting case: it passes the length check) or of any length. */
const bytesNear = (n: number) => fc.oneof(
  fc.uint8Array({ minLength: n, maxLength: n }),
  fc.uint8Array({ maxLength: n + 2 }),
);

describe('verify never throws and rejects random bytes', () => {
  const schemes = Object.keys(RUNS) as SchemeName[];
  it.each(schemes)('%s', (scheme) => {
    const info = SCHEMES[scheme];
    const keys = noble.keygen(scheme, new Uint8Array(info.seedBytes).fill(1));
    const backends = [noble, liboqs].filter((b) => b.supports(scheme));
    fc.assert(fc.property(
      bytesNear(info.signatureMaxBytes),
      fc.option(bytesNear(info.publicKeyBytes), { nil: undefined }),
      fc.boolean(),
      (signature, randomKey, emptyContext) => {
        const context = emptyContext ? new Uint8Array(0) : TX;
        for (const b of backends) {
          expect(b.verify(scheme, randomKey ?? keys.publicKey, Uint8Array.of(1, 2, 3), signature, context), b.name).toBe(false);
        }
      },
    ), { numRuns: RUNS[scheme] });
  });
});
