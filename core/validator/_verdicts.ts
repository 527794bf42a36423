/**
 * Signature verdicts the validator remembers for execution, bounded.
 *
 * Execution runs inside `step`, which never verifies a signature: it asks this map. A verdict
 * is a pure function of the item (scheme, key, context, message, signature), so remembering it
 * — or forgetting it and asking the verify pool again — never changes an outcome, only time.
 * Eviction is first-in first-out: the oldest verdicts belong to long-committed vertices.
 */
import { createDomainHash, schemeInfo, toHex, type VerifyItem } from '../crypto/index.ts';

export type Verdicts = {
  get(item: VerifyItem): boolean | undefined;
  set(item: VerifyItem, valid: boolean): void;
  size(): number;
};

// Length-framed parts: no two distinct items share one hashed byte stream.
const verdictKey = createDomainHash('kaldrix/validator-verdict/v1');

export function createVerdicts(maxEntries: number): Verdicts {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError('createVerdicts: maxEntries must be a positive integer');
  const verdicts = new Map<string, boolean>();
  const keyOf = (item: VerifyItem): string =>
    toHex(verdictKey(Uint8Array.of(schemeInfo(item.scheme).tag), item.publicKey, item.context, item.message, item.signature));
  return Object.freeze({
    get: (item: VerifyItem) => verdicts.get(keyOf(item)),
    set: (item: VerifyItem, valid: boolean) => {
      const key = keyOf(item);
      if (!verdicts.has(key) && verdicts.size >= maxEntries) {
        const oldest = verdicts.keys().next();
        if (oldest.done !== true) verdicts.delete(oldest.value);
      }
      verdicts.set(key, valid);
    },
    size: () => verdicts.size,
  });
}
