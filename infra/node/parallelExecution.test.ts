// The parallel executor with real worker threads (each starts tsx: about a second per thread
// here, so one executor of 2 workers is shared by the file): its result equals core
// executeBlock on random conflict-heavy blocks, from genesis and from a later ledger.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../core/crypto/index.ts';
import { executeBlock } from '../../core/state/execute.ts';
import type { BlockResult } from '../../core/state/executeTypes.ts';
import { getAccount, ledgerFromGenesis, stateRoot } from '../../core/state/ledger.ts';
import { planGroups } from '../../core/state/parallel.ts';
import { arbPlan, buildWorkload, genesis, poolAddress, preVerified, realEvidence, verifying, withReplays } from '../../core/state/test/executeFixtures.ts';
import type { Evidence } from '../../core/state/types.ts';
import { createParallelExecutor, dealGroups, type ParallelExecutor } from './parallelExecution.ts';

let evidence: Evidence[] = [];
let executor: ParallelExecutor;
let withMainHand: ParallelExecutor;
beforeAll(async () => {
  evidence = [await realEvidence(0, 5n), await realEvidence(1, 5n)];
  // minParallelTxs 1: every block goes to the workers, however small.
  executor = createParallelExecutor({ workers: 2, minParallelTxs: 1 });
  withMainHand = createParallelExecutor({ workers: 1, minParallelTxs: 1, mainThreadHand: true });
});
afterAll(async () => {
  await Promise.all([executor.close(), withMainHand.close()]);
});

const start = ledgerFromGenesis(genesis);
const workload = (n: number) => fc.tuple(fc.array(arbPlan(2), { minLength: 1, maxLength: n }), fc.array(fc.integer({ min: -3, max: 40 }), { maxLength: 6 }));

function expectSame(actual: BlockResult, expected: BlockResult): void {
  expect(toHex(actual.stateRoot)).toBe(toHex(expected.stateRoot));
  expect(toHex(stateRoot(actual.ledger))).toBe(toHex(expected.stateRoot));
  expect(actual.receipts).toEqual(expected.receipts);
  expect(actual.feesCollected).toBe(expected.feesCollected);
  expect(actual.burned).toBe(expected.burned);
  expect([actual.ledger.epoch, actual.ledger.feePool, actual.ledger.burned]).toEqual([expected.ledger.epoch, expected.ledger.feePool, expected.ledger.burned]);
}

describe('createParallelExecutor (2 worker threads; 1 worker + the main thread)', () => {
  it('equals core executeBlock on random conflict-heavy blocks, chained two blocks deep', async () => {
    let multiGroup = 0;
    await fc.assert(
      fc.asyncProperty(workload(30), workload(30), async ([plansA, picksA], [plansB, picksB]) => {
        const blockA = withReplays(buildWorkload(plansA, evidence), picksA);
        const expectedA = executeBlock(start, blockA, preVerified);
        expectSame(await executor.executeBlock(start, blockA, preVerified), expectedA);
        expectSame(await withMainHand.executeBlock(start, blockA, preVerified), expectedA);
        // A second block on the first one's ledger: non-zero fee pool, advanced nonces.
        const nonces = poolAddress.map((address) => getAccount(expectedA.ledger, address)?.nonce ?? 0n);
        const blockB = withReplays(buildWorkload(plansB, [], nonces), picksB);
        expectSame(await executor.executeBlock(expectedA.ledger, blockB, preVerified), executeBlock(expectedA.ledger, blockB, preVerified));
        if (planGroups(blockA).length > 1) multiGroup++;
      }),
      { numRuns: 25, seed: 20260207 },
    );
    expect(multiGroup).toBeGreaterThan(10);
    // The blocks really went to the workers, and none fell back to in-line execution.
    for (const stats of [executor.stats(), withMainHand.stats()]) {
      expect(stats.parallelBlocks).toBe(stats.blocks);
      expect(stats.fallbacks).toBe(0);
    }
  });

  it("runs 'verify' mode in-line with the caller's verifier, with the same result", async () => {
    const block = buildWorkload(fc.sample(arbPlan(2), { numRuns: 12, seed: 7 }), evidence);
    const before = executor.stats();
    expectSame(await executor.executeBlock(start, block, verifying), executeBlock(start, block, verifying));
    expect(executor.stats().parallelBlocks).toBe(before.parallelBlocks);
  });

  it('returns frozen receipts, as core does', async () => {
    const block = buildWorkload(fc.sample(arbPlan(0), { numRuns: 8, seed: 3 }), []);
    const result = await executor.executeBlock(start, block, preVerified);
    expect(result.receipts.length).toBe(block.length);
    for (const receipt of result.receipts) expect(Object.isFrozen(receipt)).toBe(true);
  });
});

describe('dealGroups', () => {
  it('deals every group exactly once, loads within one largest group of each other', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 4 }), (sizes, count) => {
        let next = 0;
        const groups = sizes.map((size) => Array.from({ length: size }, () => next++));
        const hands = dealGroups(groups, count);
        expect(hands.length).toBe(count);
        expect(hands.flat().flat().sort((a, b) => a - b)).toEqual(groups.flat());
        const loads = hands.map((hand) => hand.reduce((sum, g) => sum + g.length, 0));
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.max(...sizes));
        for (const hand of hands) expect(hand.map((g) => g[0])).toEqual([...hand.map((g) => g[0])].sort((a, b) => (a ?? 0) - (b ?? 0)));
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it('refuses a non-positive worker count', () => {
    expect(() => dealGroups([[0]], 0)).toThrow(RangeError);
  });
});

describe('executor lifecycle', () => {
  it('refuses blocks once closed, and bad options', async () => {
    const idle = createParallelExecutor({ workers: 0 });
    // No workers: in-line, same result.
    const block = buildWorkload(fc.sample(arbPlan(0), { numRuns: 5, seed: 5 }), []);
    expectSame(await idle.executeBlock(start, block, preVerified), executeBlock(start, block, preVerified));
    await idle.close();
    await expect(idle.executeBlock(start, block, preVerified)).rejects.toThrow(/closed/);
    expect(() => createParallelExecutor({ workers: -1 })).toThrow(RangeError);
    expect(() => createParallelExecutor({ workers: 0, minParallelTxs: 0 })).toThrow(RangeError);
  });
});
