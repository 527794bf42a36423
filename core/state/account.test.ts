import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountCodec, decodeAccount, EMPTY_ACCOUNT, encodeAccount, isEmptyAccount } from './account.ts';
import { alice, bob, tagged } from './test/fixtures.ts';

describe('account record', () => {
  it('the empty account is 8+8+1+8+1+1 bytes of zeros, frozen', () => {
    expect(encodeAccount(EMPTY_ACCOUNT)).toEqual(new Uint8Array(27));
    expect(isEmptyAccount(EMPTY_ACCOUNT)).toBe(true);
    expect(Object.isFrozen(EMPTY_ACCOUNT)).toBe(true);
    expect(isEmptyAccount({ ...EMPTY_ACCOUNT, nonce: 1n })).toBe(false);
  });

  it('round-trips accounts with keys and unbonding entries', () => {
    const arb = fc.record({
      balance: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      nonce: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      key: fc.option(fc.constantFrom(tagged(alice), tagged(bob)), { nil: undefined }),
      stake: fc.bigInt({ min: 0n, max: 1n << 40n }),
      unbonding: fc.uniqueArray(fc.bigInt({ min: 0n, max: 1000n }), { maxLength: 7 }).map((epochs) =>
        [...epochs].sort((a, b) => (a < b ? -1 : 1)).map((releaseEpoch) => ({ amount: releaseEpoch + 1n, releaseEpoch })),
      ),
      pendingKey: fc.option(fc.constant(tagged(bob)), { nil: undefined }),
    });
    fc.assert(fc.property(arb, (a) => {
      const bytes = encodeAccount(a);
      const back = decodeAccount(bytes);
      expect(back.ok).toBe(true);
      if (back.ok) {
        expect(Object.isFrozen(back.value)).toBe(true);
        expect(encodeAccount(back.value)).toEqual(bytes);
      }
    }), { numRuns: 100 });
  });

  it('refuses non-canonical unbonding lists', () => {
    const entry = (amount: bigint, releaseEpoch: bigint) => ({ amount, releaseEpoch });
    const good = encodeAccount({ ...EMPTY_ACCOUNT, unbonding: [entry(1n, 5n), entry(2n, 6n)] });
    // Swap the two entries' release epochs in the bytes: 6 then 5 is not increasing.
    const swapped = good.slice();
    const first = 8 + 8 + 1 + 8 + 1 + 8 + 7; // last byte of entry 0's releaseEpoch
    swapped[first] = 6;
    swapped[first + 16] = 5;
    expect(decodeAccount(swapped)).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE', path: 'unbonding' } });
    expect(() => encodeAccount({ ...EMPTY_ACCOUNT, unbonding: [entry(0n, 5n)] })).toThrow(/amount must be positive/);
    expect(() => encodeAccount({ ...EMPTY_ACCOUNT, unbonding: [entry(1n, 5n), entry(1n, 5n)] })).toThrow(/strictly increase/);
    expect(accountCodec.decode(new Uint8Array(26)).ok).toBe(false);
  });

  it('random bytes never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
      const r = decodeAccount(b);
      if (r.ok) expect(encodeAccount(r.value)).toEqual(b);
    }), { numRuns: 1000 });
  });
});
