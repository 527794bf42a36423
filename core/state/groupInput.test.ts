// Read sets: executeGroup on a read-set view equals executeGroup on the full ledger, for every
// group of random conflict-heavy blocks (evidence included, so slashed-slot keys are exercised);
// the view refuses what it cannot answer.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeBlock } from './execute.ts';
import { groupReadKeys, ledgerFromReadSet, readSetOf } from './groupInput.ts';
import { accountKey } from './ledgerKeys.ts';
import { ledgerFromGenesis } from './ledger.ts';
import { executeGroup, planGroups } from './parallel.ts';
import { arbPlan, buildWorkload, genesis, outsider, poolAddress, preVerified, realEvidence, withReplays } from './test/executeFixtures.ts';
import type { Evidence } from './types.ts';

let evidence: Evidence[] = [];
beforeAll(async () => {
  evidence = [await realEvidence(0, 5n), await realEvidence(1, 5n)];
});

const genesisLedger = ledgerFromGenesis(genesis);

describe('read sets', () => {
  it('executeGroup on the read-set view equals executeGroup on the ledger, group by group', () => {
    let evidenceGroups = 0;
    fc.assert(
      fc.property(fc.array(arbPlan(2), { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: -3, max: 30 }), { maxLength: 6 }), (plans, picks) => {
        // A start ledger after one block: non-zero fee pool, slashed slots, advanced nonces.
        const start = executeBlock(genesisLedger, buildWorkload(plans.slice(0, 5), evidence), preVerified).ledger;
        const txs = withReplays(buildWorkload(plans, evidence), picks);
        for (const indices of planGroups(txs)) {
          const group = indices.map((index) => ({ index, signedTx: txs[index] as (typeof txs)[number] }));
          const view = ledgerFromReadSet(readSetOf(start, group.map((t) => t.signedTx)));
          expect(executeGroup(view, group, preVerified)).toEqual(executeGroup(start, group, preVerified));
          if (group.some((t) => t.signedTx.tx.body.kind === 'evidence')) evidenceGroups++;
        }
      }),
      { numRuns: 30, seed: 20260301 },
    );
    expect(evidenceGroups).toBeGreaterThan(5);
  });

  it('lists each touched key once', () => {
    const txs = buildWorkload(fc.sample(arbPlan(0), { numRuns: 20, seed: 9 }), []);
    const keys = groupReadKeys(txs);
    expect(new Set(keys.map((k) => k.join())).size).toBe(keys.length);
    for (const t of txs) expect(keys.some((k) => k.join() === accountKey(t.tx.sender).join())).toBe(true);
  });

  it('the view refuses reads outside its set, and has no root', () => {
    const sender = poolAddress[0] as Uint8Array;
    const view = ledgerFromReadSet(readSetOf(genesisLedger, buildWorkload([{ op: { kind: 'bond', sender: 0, amount: 1n }, fee: 10n, nonceShift: 0, carryKey: false }], [])));
    expect(view.tree.get(accountKey(sender))).toEqual(genesisLedger.tree.get(accountKey(sender)));
    expect(() => view.tree.get(accountKey(outsider))).toThrow(/outside the read set/);
    expect(() => view.tree.root()).toThrow(/not available/);
    expect(() => view.tree.rootNode).toThrow(/not available/);
    expect(view.epoch).toBe(genesisLedger.epoch);
  });
});
