// Epoch boundaries: fee distribution (exact, remainder carried), releases, pending keys, the
// next validator set and its max_parents cap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, type TaggedPublicKey } from '../crypto/index.ts';
import { applyEpochBoundary } from './epoch.ts';
import { distributeFees } from './epochFees.ts';
import { selectValidatorSet, type ValidatorEntry } from './epochValidators.ts';
import { executeBlock } from './execute.ts';
import { getAccount, ledgerFromGenesis } from './ledger.ts';
import { worstCaseQuorumCount } from './genesisParams.ts';
import { supplyOf } from './supply.ts';
import { execParams, fakeSigned, genesis, makeTx, poolAddress, preVerified } from './test/executeFixtures.ts';
import type { Address } from './types.ts';

const start = ledgerFromGenesis(genesis);
const A = poolAddress[0] as Address;
const B = poolAddress[1] as Address;
const C = poolAddress[2] as Address;
const key: TaggedPublicKey = { scheme: 'ml-dsa-44', publicKey: new Uint8Array(1312) };
const addr = (i: number): Address => Uint8Array.from([0, i >> 8, i & 255, ...new Uint8Array(30)]);

describe('fee distribution', () => {
  it('pays ⌊pool × stake / total⌋ and keeps the remainder', () => {
    const r = distributeFees(100n, [{ address: addr(1), stake: 1n }, { address: addr(2), stake: 2n }]);
    expect(r.shares.map((s) => s.amount)).toEqual([33n, 66n]);
    expect(r.remainder).toBe(1n);
    expect(distributeFees(100n, []).remainder).toBe(100n);
  });

  it('is exact: shares + remainder = pool, remainder < number of stakers, each share proportional', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.array(fc.bigInt({ min: 1n, max: (1n << 60n) }), { minLength: 1, maxLength: 20 }), (pool, stakes) => {
        const stakers = stakes.map((stake, i) => ({ address: addr(i), stake }));
        const r = distributeFees(pool, stakers);
        const paid = r.shares.reduce((s, x) => s + x.amount, 0n);
        expect(paid + r.remainder).toBe(pool);
        expect(r.remainder < BigInt(stakers.length) || pool === 0n).toBe(true);
        const total = stakes.reduce((a, b) => a + b, 0n);
        for (const s of r.shares) {
          const stake = stakes[s.address[2] as number + ((s.address[1] as number) << 8)] as bigint;
          expect(s.amount * total <= pool * stake && (s.amount + 1n) * total > pool * stake).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('validator set', () => {
  it('never needs more than max_parents for a quorum, and stops at the first candidate that would', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 1_000n }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 30 }), (stakes, maxParents) => {
        const candidates: ValidatorEntry[] = stakes.map((stake, i) => ({ address: addr(i), key, stake }));
        const set = selectValidatorSet(candidates, { maxParents });
        expect(set.map((v) => toHex(v.address))).toEqual(set.map((v) => toHex(v.address)).sort());
        if (set.length > 0) expect(worstCaseQuorumCount(set.map((v) => v.stake))).toBeLessThanOrEqual(maxParents);
        // The set is a prefix of the ranking; the next ranked candidate (if any) breaks the cap.
        const ranked = [...candidates].sort((a, b) => (a.stake > b.stake ? -1 : a.stake < b.stake ? 1 : toHex(a.address) < toHex(b.address) ? -1 : 1));
        expect(new Set(set.map((v) => toHex(v.address)))).toEqual(new Set(ranked.slice(0, set.length).map((v) => toHex(v.address))));
        const next = ranked[set.length];
        if (next !== undefined) expect(worstCaseQuorumCount([...set.map((v) => v.stake), next.stake])).toBeGreaterThan(maxParents);
      }),
      { numRuns: 150 },
    );
  });
});

describe('applyEpochBoundary', () => {
  it('distributes the fee pool to validators by stake, releases matured stake, conserves supply', () => {
    const block = executeBlock(
      start,
      [
        fakeSigned(makeTx(2, 0n, { kind: 'transfer', value: { to: A, amount: 1n } }, 1_001n)),
        fakeSigned(makeTx(0, 0n, { kind: 'unbond', value: { amount: 2_000n } }, 0n)),
      ],
      preVerified,
    );
    expect(block.ledger.feePool).toBe(1_001n);
    const e1 = applyEpochBoundary(block.ledger, 1n, execParams);
    const [sa, sb] = [getAccount(block.ledger, A)?.stake ?? 0n, getAccount(block.ledger, B)?.stake ?? 0n];
    const shareA = (1_001n * sa) / (sa + sb);
    const shareB = (1_001n * sb) / (sa + sb);
    expect(getAccount(e1.ledger, A)?.balance).toBe((getAccount(block.ledger, A)?.balance ?? 0n) + shareA);
    expect(getAccount(e1.ledger, B)?.balance).toBe((getAccount(block.ledger, B)?.balance ?? 0n) + shareB);
    expect(e1.feesDistributed).toBe(shareA + shareB);
    expect(e1.ledger.feePool).toBe(1_001n - shareA - shareB);
    expect(e1.ledger.epoch).toBe(1n);
    expect(e1.validators.map((v) => toHex(v.address))).toEqual([A, B].map(toHex).sort());
    expect(supplyOf(e1.ledger).total).toBe(supplyOf(block.ledger).total);
    const e2 = applyEpochBoundary(e1.ledger, 2n, execParams);
    expect(e2.released).toBe(2_000n);
    expect(getAccount(e2.ledger, A)?.unbonding).toEqual([]);
    expect(supplyOf(e2.ledger).total).toBe(supplyOf(block.ledger).total);
    expect(getAccount(e2.ledger, C)).toEqual(getAccount(e1.ledger, C));
  });

  it('drops a validator whose stake fell below min_validator_stake, and moves one epoch at a time', () => {
    const block = executeBlock(start, [fakeSigned(makeTx(1, 0n, { kind: 'unbond', value: { amount: 50_500n } }))], preVerified);
    expect(applyEpochBoundary(block.ledger, 1n, execParams).validators.map((v) => toHex(v.address))).toEqual([toHex(A)]);
    expect(() => applyEpochBoundary(start, 2n, execParams)).toThrow(RangeError);
    expect(() => applyEpochBoundary(start, 0n, execParams)).toThrow(RangeError);
  });
});
