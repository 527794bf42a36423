// Properties of block execution on random, conflict-heavy workloads (shared senders, chains of
// transfers, stale and replayed nonces, insufficient balances, every kind, real evidence):
// parallel == sequential, supply conservation, nonce monotonicity, determinism. Signatures are
// placeholders under 'pre-verified' execution (evidence signatures are real and verified).
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { toHex } from '../crypto/index.ts';
import { applyEpochBoundary } from './epoch.ts';
import { executeBlock, usedNonce } from './execute.ts';
import type { BlockResult, Receipt } from './executeTypes.ts';
import { ledgerFromGenesis, type Ledger } from './ledger.ts';
import { ledgerAccounts } from './ledgerScan.ts';
import { executeBlockInGroups, planGroups } from './parallel.ts';
import { genesisSupply, supplyOf } from './supply.ts';
import { arbPlan, buildWorkload, execParams, genesis, preVerified, realEvidence, withReplays } from './test/executeFixtures.ts';
import type { Account, Evidence, SignedTx } from './types.ts';
import type * as StateIndex from './index.ts';

let evidence: Evidence[] = [];
beforeAll(async () => {
  // Validators 0 and 1 each double-sign one slot; validator 0 a second slot too.
  evidence = [await realEvidence(0, 5n), await realEvidence(1, 5n), await realEvidence(0, 6n)];
});

const start = ledgerFromGenesis(genesis);
const workload = (n: number) =>
  fc.tuple(fc.array(arbPlan(3), { minLength: 1, maxLength: n }), fc.array(fc.integer({ min: -3, max: 40 }), { maxLength: 8 }));

const nonceMap = (ledger: Ledger): Map<string, bigint> => new Map(ledgerAccounts(ledger).map((e) => [toHex(e.address), e.account.nonce]));
const accountMap = (ledger: Ledger): Map<string, Account> => new Map(ledgerAccounts(ledger).map((e) => [toHex(e.address), e.account]));

function checkInvariants(before: Ledger, txs: readonly SignedTx[], result: BlockResult): void {
  // Conservation: supply falls by exactly what slashing burned.
  expect(supplyOf(result.ledger).total).toBe(supplyOf(before).total - result.burned);
  expect(supplyOf(result.ledger).total + result.ledger.burned).toBe(genesisSupply(genesis));
  expect(result.ledger.feePool).toBe(before.feePool + result.feesCollected);
  // Nonces: each sender's nonce grows by the number of its transactions that used a nonce.
  const used = new Map<string, bigint>();
  txs.forEach((t, i) => {
    if (usedNonce(result.receipts[i] as Receipt)) used.set(toHex(t.tx.sender), (used.get(toHex(t.tx.sender)) ?? 0n) + 1n);
  });
  const nb = nonceMap(before);
  const na = nonceMap(result.ledger);
  for (const [id, nonce] of na) expect(nonce - (nb.get(id) ?? 0n)).toBe(used.get(id) ?? 0n);
  for (const [id, count] of used) expect(na.get(id)).toBe((nb.get(id) ?? 0n) + count);
  // No negative amounts anywhere (the codec would refuse them too).
  for (const a of accountMap(result.ledger).values()) {
    expect(a.balance >= 0n && a.stake >= 0n && a.unbonding.every((e) => e.amount > 0n)).toBe(true);
  }
  // Fees: charged exactly tx.fee or nothing.
  txs.forEach((t, i) => {
    const r = result.receipts[i];
    expect(r?.feeCharged).toBe(usedNonce(r as Receipt) ? t.tx.fee : 0n);
  });
}

describe('block execution properties', () => {
  it('parallel (planned groups) == sequential, and the invariants hold', () => {
    const seen = new Set<string>();
    let multiGroup = 0;
    fc.assert(
      fc.property(workload(40), ([plans, picks]) => {
        const txs = withReplays(buildWorkload(plans, evidence), picks);
        const sequential = executeBlock(start, txs, preVerified);
        const parallel = executeBlockInGroups(start, txs, preVerified);
        expect(toHex(parallel.stateRoot)).toBe(toHex(sequential.stateRoot));
        expect(parallel.receipts).toEqual(sequential.receipts);
        expect(parallel.feesCollected).toBe(sequential.feesCollected);
        expect(parallel.burned).toBe(sequential.burned);
        checkInvariants(start, txs, sequential);
        for (const [i, r] of sequential.receipts.entries()) seen.add(r.reason?.code ?? `applied-${(txs[i] as SignedTx).tx.body.kind}`);
        if (planGroups(txs).length > 1) multiGroup++;
      }),
      { numRuns: 60, seed: 20260101 },
    );
    // The workloads really are conflict-heavy and varied (guards against a vacuous property).
    for (const code of ['applied-transfer', 'applied-bond', 'applied-unbond', 'applied-rotate-key', 'applied-evidence', 'NONCE_MISMATCH', 'DUPLICATE', 'SENDER_KEY', 'CANNOT_PAY_FEE', 'INSUFFICIENT_BALANCE', 'INSUFFICIENT_STAKE', 'ALREADY_SLASHED']) {
      expect(seen, code).toContain(code);
    }
    expect(multiGroup).toBeGreaterThan(30);
  });

  it('groups are conflict-free and keep block order', () => {
    fc.assert(
      fc.property(workload(40), ([plans, picks]) => {
        const txs = withReplays(buildWorkload(plans, evidence), picks);
        const groups = planGroups(txs);
        expect(groups.flat().sort((a, b) => a - b)).toEqual(txs.map((_, i) => i));
        const owner = new Map<string, number>();
        groups.forEach((g, gi) => {
          expect([...g]).toEqual([...g].sort((a, b) => a - b));
          for (const i of g) {
            const t = (txs[i] as SignedTx).tx;
            const touched = [t.sender];
            if (t.body.kind === 'transfer') touched.push(t.body.value.to);
            if (t.body.kind === 'evidence') touched.push(t.body.value.evidence.offender);
            for (const a of touched) {
              const prev = owner.get(toHex(a));
              expect(prev === undefined || prev === gi).toBe(true);
              owner.set(toHex(a), gi);
            }
          }
        });
      }),
      { numRuns: 40 },
    );
  });

  it('several blocks with epoch boundaries: deterministic replay, conservation across boundaries', () => {
    fc.assert(
      fc.property(fc.array(workload(15), { minLength: 1, maxLength: 4 }), (blocks) => {
        const run = (): string[] => {
          let ledger = start;
          const nonces = new Array<bigint>(6).fill(0n);
          const roots: string[] = [];
          for (const [plans, picks] of blocks) {
            const txs = withReplays(buildWorkload(plans, evidence, nonces), picks);
            const result = executeBlockInGroups(ledger, txs, preVerified);
            checkInvariants(ledger, txs, result);
            const boundary = applyEpochBoundary(result.ledger, result.ledger.epoch + 1n, execParams);
            expect(supplyOf(boundary.ledger).total).toBe(supplyOf(result.ledger).total);
            ledger = boundary.ledger;
            roots.push(toHex(result.stateRoot), toHex(boundary.stateRoot));
          }
          return roots;
        };
        expect(run()).toEqual(run());
      }),
      { numRuns: 15 },
    );
  });

  it('same workload, fresh module instances: same roots', async () => {
    const plans = fc.sample(fc.array(arbPlan(3), { minLength: 30, maxLength: 30 }), { numRuns: 1, seed: 7 })[0] ?? [];
    const txs = buildWorkload(plans, evidence);
    const first = executeBlock(start, txs, preVerified);
    vi.resetModules();
    const fresh: typeof StateIndex = await import('./index.ts');
    const freshStart = fresh.ledgerFromGenesis(genesis);
    const again = fresh.executeBlock(freshStart, txs, { ...preVerified, params: execParams });
    expect(toHex(again.stateRoot)).toBe(toHex(first.stateRoot));
    expect(again.receipts.map((r) => r.status)).toEqual(first.receipts.map((r) => r.status));
  });
});
