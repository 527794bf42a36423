/**
 * Forged signatures for the crypto self-test: each one changes a single thing about a valid
 * verification job, so a verifier that accepts it has a specific, named flaw.
 *
 * The kinds follow the classic ways a signature check goes wrong: a bit flip (malleability),
 * a changed message, a signature replayed under another FIPS 204 context (domain separation,
 * DESIGN.md §2), a truncated encoding (length checks), a substituted public key, and a valid
 * signature moved to another message. For the hybrid scheme a bit flip may land in either
 * half, and either half failing must reject the whole (DESIGN.md §2, "both must verify").
 */
import type { VerifyItem } from '../../core/crypto/types.ts';

export const forgeryKinds = [
  'flipped-signature-bit',
  'altered-message',
  'wrong-context',
  'truncated-signature',
  'stranger-key',
  'swapped-signature',
] as const;
export type ForgeryKind = (typeof forgeryKinds)[number];

export type ForgedItem = { readonly kind: ForgeryKind; readonly item: VerifyItem };

export type ForgeryInputs = {
  /** Valid jobs to derive forgeries from; at least two (a swap needs a second message). */
  readonly valid: readonly VerifyItem[];
  /** A public key unrelated to the signer's. */
  readonly strangerPublicKey: Uint8Array;
  /** A context string different from the one the messages were signed under. */
  readonly otherContext: Uint8Array;
};

/** Makes `count` forged jobs, cycling through every kind in `forgeryKinds` order. */
export function makeForgeries(inputs: ForgeryInputs, count: number): readonly ForgedItem[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (inputs.valid.length < 2) throw new RangeError(`valid must hold at least 2 items, got ${inputs.valid.length}`);
  const forged: ForgedItem[] = [];
  for (let index = 0; index < count; index++) {
    const kind = forgeryKinds[index % forgeryKinds.length] as ForgeryKind;
    forged.push(Object.freeze({ kind, item: Object.freeze(forge(kind, inputs, index)) }));
  }
  return forged;
}

function forge(kind: ForgeryKind, inputs: ForgeryInputs, index: number): VerifyItem {
  const base = inputs.valid[index % inputs.valid.length] as VerifyItem;
  switch (kind) {
    case 'flipped-signature-bit':
      return { ...base, signature: flipBit(base.signature, index) };
    case 'altered-message':
      return { ...base, message: flipBit(base.message, index) };
    case 'wrong-context':
      return { ...base, context: inputs.otherContext };
    case 'truncated-signature':
      return { ...base, signature: base.signature.slice(0, base.signature.length - 1) };
    case 'stranger-key':
      return { ...base, publicKey: inputs.strangerPublicKey };
    case 'swapped-signature': {
      const next = inputs.valid[(index + 1) % inputs.valid.length] as VerifyItem;
      return { ...base, signature: next.signature };
    }
  }
}

/**
 * Flips one bit, spread over the whole array as `salt` grows (a multiplicative step coprime to
 * any length that is not a multiple of the prime), so both halves of a hybrid signature are hit.
 */
export function flipBit(bytes: Uint8Array, salt: number): Uint8Array {
  if (bytes.length === 0) throw new RangeError('bytes must not be empty');
  const copy = bytes.slice();
  const bit = (salt * 7919 + 13) % (bytes.length * 8);
  const byteIndex = bit >>> 3;
  copy[byteIndex] = (copy[byteIndex] as number) ^ (1 << (bit & 7));
  return copy;
}
