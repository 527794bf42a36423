/**
 * A front cache of verification statements known to be valid, keyed by the identity of the
 * signature bytes: in one process a broadcast vertex is decoded once, so all n receivers hand
 * the verifier the very same signature array, and n − 1 of them are answered here without
 * hashing 3.9 KB per statement (the verify pool's own cache needs a BLAKE3 key per item).
 *
 * A hit requires the same signature array AND byte-equal scheme, context, public key and message
 * (compared, not trusted), and only valid verdicts are stored: a forged or corrupted signature
 * is a different array or fails the comparison and is verified afresh. Bounded: entries live
 * in a WeakMap (they go with their signature arrays), at most 4 statements per array.
 */
import { bytesEqual, type VerifyItem } from '../../../core/crypto/index.ts';

const MAX_STATEMENTS_PER_SIGNATURE = 4;

export type StatementCache = {
  isKnownValid(item: VerifyItem): boolean;
  rememberValid(item: VerifyItem): void;
};

const same = (a: Uint8Array, b: Uint8Array): boolean => a === b || bytesEqual(a, b);

export function createStatementCache(): StatementCache {
  const bySignature = new WeakMap<Uint8Array, VerifyItem[]>();
  return Object.freeze({
    isKnownValid: (item: VerifyItem) => {
      const known = bySignature.get(item.signature);
      if (known === undefined) return false;
      return known.some((k) => k.scheme === item.scheme && same(k.message, item.message) && same(k.context, item.context) && same(k.publicKey, item.publicKey));
    },
    rememberValid: (item: VerifyItem) => {
      const known = bySignature.get(item.signature);
      if (known === undefined) bySignature.set(item.signature, [item]);
      else if (known.length < MAX_STATEMENTS_PER_SIGNATURE) known.push(item);
    },
  });
}
