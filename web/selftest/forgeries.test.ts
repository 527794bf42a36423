import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VerifyItem } from '../../core/crypto/types.ts';
import { flipBit, forgeryKinds, makeForgeries } from './forgeries.ts';

const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);

const valid: VerifyItem[] = [0, 1, 2].map((i) => ({
  scheme: 'ml-dsa-44',
  publicKey: bytes(32, 1),
  message: bytes(40, 10 + i),
  signature: bytes(64, 20 + i),
  context: new TextEncoder().encode('kaldrix/tx/v1'),
}));
const inputs = { valid, strangerPublicKey: bytes(32, 2), otherContext: new TextEncoder().encode('kaldrix/vote/v1') };

const popcount = (a: Uint8Array, b: Uint8Array): number =>
  a.reduce((sum, byte, i) => sum + [...((byte ^ (b[i] as number)) >>> 0).toString(2)].filter((d) => d === '1').length, 0);

describe('flipBit', () => {
  it('changes exactly one bit and leaves the input alone', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(100_000), (input, salt) => {
        const before = input.slice();
        const flipped = flipBit(input, salt);
        expect(input).toEqual(before);
        expect(flipped.length).toBe(input.length);
        expect(popcount(input, flipped)).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it('reaches both halves of a hybrid-sized signature', () => {
    // ML-DSA-44 (2420 B) + Ed25519 (64 B): some salts must land in the last 64 bytes.
    const signature = bytes(2484, 0);
    const positions = Array.from({ length: 200 }, (_, salt) => flipBit(signature, salt).findIndex((b) => b !== 0));
    expect(positions.some((p) => p >= 2420)).toBe(true);
    expect(positions.some((p) => p < 2420)).toBe(true);
  });

  it('refuses an empty array', () => {
    expect(() => flipBit(new Uint8Array(0), 1)).toThrow(RangeError);
  });
});

describe('makeForgeries', () => {
  it('cycles through every kind, each changing only its own field', () => {
    const forged = makeForgeries(inputs, forgeryKinds.length * 2);
    expect(forged.map((f) => f.kind)).toEqual([...forgeryKinds, ...forgeryKinds]);
    forged.forEach(({ kind, item }, index) => {
      const base = valid[index % valid.length] as VerifyItem;
      const changed = (['publicKey', 'message', 'signature', 'context'] as const).filter((field) => !sameBytes(item[field], base[field]));
      const expected = {
        'flipped-signature-bit': ['signature'],
        'altered-message': ['message'],
        'wrong-context': ['context'],
        'truncated-signature': ['signature'],
        'stranger-key': ['publicKey'],
        'swapped-signature': ['signature'],
      }[kind];
      expect(changed, kind).toEqual(expected);
      expect(item.scheme).toBe(base.scheme);
      expect(Object.isFrozen(item)).toBe(true);
    });
  });

  it('truncates by one byte and swaps in the next message\'s signature', () => {
    const forged = makeForgeries(inputs, forgeryKinds.length);
    const truncated = forged.find((f) => f.kind === 'truncated-signature');
    expect(truncated?.item.signature.length).toBe(63);
    const swapped = forged[forgeryKinds.indexOf('swapped-signature')];
    const index = forgeryKinds.indexOf('swapped-signature');
    expect(swapped?.item.signature).toEqual(valid[(index + 1) % valid.length]?.signature);
  });

  it('rejects bad arguments', () => {
    expect(() => makeForgeries(inputs, -1)).toThrow(RangeError);
    expect(() => makeForgeries({ ...inputs, valid: valid.slice(0, 1) }, 1)).toThrow(RangeError);
  });
});

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
