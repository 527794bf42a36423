/**
 * THE property of the commit rule: it is a function of the DAG, not of arrival order.
 * A random valid DAG (n ∈ {4, 7, 10}, up to f equivocators, missing vertices, weak links) is
 * delivered in 100 random causal orders to a growing DAG; after every insertion the rule runs
 * and its decisions accumulate. Every order must give the same leaders, the same committed
 * vertices, the same linearized sub-DAGs and the same commit digest chain as a reference
 * computed once on the whole DAG — and be a prefix of it at every step.
 *
 * `how` (direct or indirect) is left out of the comparison on purpose: it depends on what had
 * arrived when a slot was settled (a leader committed through an anchor early may later gather
 * a quorum of certificates); the outcome must not, and is compared exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashDomain, toHex, type Hash32 } from '../crypto/index.ts';
import type { DagView } from '../dag/types.ts';
import { isCommitVertex, type LeaderDecision, tryDecide } from './commitRule.ts';
import { commitDigestChain } from './commitDigest.ts';
import { type CommittedSubDag, createLinearizer } from './linearize.ts';
import { createLeaderSchedule, type LeaderSchedule } from './leaderSchedule.ts';
import { createTestDag, formatRef } from './test/dagBuilder.ts';
import { createTestPrng, randomCausalOrder, randomDag, type RandomDag } from './test/randomDag.ts';
import { refKey } from './_vertexRefs.ts';
import { certifies, votersFor } from './_votes.ts';

const ORDERS_PER_DAG = 100;
/** DAGs per run: a quick pinned set by default; KALDRIX_LONG_SWEEPS=1 for the long sweep. */
const LONG_SWEEP = process.env['KALDRIX_LONG_SWEEPS'] === '1';
const DAG_RUNS = LONG_SWEEP ? 300 : 8;
/** About 0.7 s per DAG on a 2-core machine; the long sweep needs more than the default timeout. */
const SWEEP_TIMEOUT_MS = LONG_SWEEP ? 30 * 60_000 : 60_000;
const GC_DEPTH_ROUNDS = 4;
const GENESIS = new Uint8Array(32);

const outcome = (d: LeaderDecision): string =>
  d.status === 'commit' ? `r${d.round} commit ${formatRef(d.vertex)}` : `r${d.round} skip L${d.leader}`;

type Run = { decisions: string[]; indirect: number; subDags: CommittedSubDag[] };

/** Decides and linearizes incrementally; `onDecision` sees each decision as it is made. */
function createRun(committee: RandomDag['committee'], schedule: LeaderSchedule, onDecision: (d: LeaderDecision, index: number) => void) {
  const run: Run = { decisions: [], indirect: 0, subDags: [] };
  const linearizer = createLinearizer({ gcDepthRounds: GC_DEPTH_ROUNDS });
  let lastDecidedRound = 0;
  const step = (dag: DagView): void => {
    for (const d of tryDecide(dag, committee, schedule, lastDecidedRound)) {
      onDecision(d, run.decisions.length);
      run.decisions.push(outcome(d));
      if (d.how === 'indirect') run.indirect++;
      if (d.status === 'commit') run.subDags.push(linearizer.commit(dag, d.vertex));
      lastDecidedRound = d.round;
    }
  };
  return { run, step };
}

function reference(g: RandomDag, schedule: LeaderSchedule): Run & { digests: Hash32[] } {
  const dag = createTestDag();
  for (const v of g.vertices) dag.insert(v);
  const { run, step } = createRun(g.committee, schedule, () => {});
  step(dag);
  return { ...run, digests: [...commitDigestChain(GENESIS, 1n, run.subDags)] };
}

/** Safety invariants of a commit sequence on its own: each vertex once, histories closed above gc. */
function checkCommitSequence(g: RandomDag, subDags: readonly CommittedSubDag[]): void {
  const committed = new Set<string>();
  const byKey = new Map(g.vertices.map((v) => [refKey(v.ref), v]));
  let previousLeaderRound = 0;
  for (const s of subDags) {
    const gcRound = Math.max(0, previousLeaderRound - GC_DEPTH_ROUNDS);
    for (const ref of s.vertices) {
      expect(committed.has(refKey(ref))).toBe(false);
      committed.add(refKey(ref));
    }
    for (const ref of s.vertices) {
      for (const p of byKey.get(refKey(ref))!.parents) {
        if (p.round >= gcRound) expect(committed.has(refKey(p))).toBe(true);
      }
    }
    previousLeaderRound = s.leader.round;
  }
}

function deliverInOrders(g: RandomDag, schedule: LeaderSchedule, ref: ReturnType<typeof reference>, seed: number): void {
  const prng = createTestPrng(seed);
  for (let o = 0; o < ORDERS_PER_DAG; o++) {
    const dag = createTestDag();
    const { run, step } = createRun(g.committee, schedule, (d, index) => {
      // Prefix consistency at every step: a decision, once made, is the reference's.
      expect(outcome(d), `order ${o}, decision ${index}`).toBe(ref.decisions[index]);
    });
    for (const v of randomCausalOrder(g.vertices, prng)) {
      dag.insert(v);
      step(dag);
    }
    expect(run.decisions).toEqual(ref.decisions);
    expect(run.subDags.map((s) => s.vertices.map(refKey))).toEqual(ref.subDags.map((s) => s.vertices.map(refKey)));
    expect(commitDigestChain(GENESIS, 1n, run.subDags).map(toHex)).toEqual(ref.digests.map(toHex));
  }
}

describe('commit rule: certificate counting', () => {
  it('isCommitVertex agrees with the batched count used by the rule, on random DAGs', () => {
    fc.assert(
      fc.property(fc.record({ n: fc.constantFrom(4, 7), rounds: fc.constant(6), seed: fc.integer(), weighted: fc.boolean() }), (p) => {
        const g = randomDag(p);
        const dag = createTestDag();
        for (const v of g.vertices) dag.insert(v);
        let agreedCertificates = 0;
        for (let r = 1; r <= 4; r++) {
          for (const leader of dag.round(r)) {
            const voters = votersFor(dag, g.committee, leader.ref);
            for (const candidate of dag.round(r + 2)) {
              const direct = isCommitVertex(dag, g.committee, candidate, leader.ref);
              expect(certifies(g.committee, candidate, leader.ref, voters)).toBe(direct);
              if (direct) agreedCertificates++;
            }
          }
        }
        expect(agreedCertificates).toBeGreaterThan(0);
      }),
      { seed: 7, numRuns: 20 },
    );
  });
});

describe('commit rule: same DAG in 100 delivery orders ⇒ same commit sequence', () => {
  it('random DAGs with up to f equivocators', () => {
    let totalCommits = 0;
    let totalSkips = 0;
    let totalIndirect = 0;
    fc.assert(
      fc.property(
        fc.record({
          n: fc.constantFrom(4, 7, 10),
          rounds: fc.integer({ min: 6, max: 10 }),
          seed: fc.integer(),
          weighted: fc.boolean(),
          leaderSeed: fc.integer({ min: 0, max: 255 }),
        }),
        (p) => {
          const g = randomDag(p);
          const schedule = createLeaderSchedule(g.committee, hashDomain('kaldrix/test/v1', Uint8Array.of(p.leaderSeed)));
          const ref = reference(g, schedule);
          checkCommitSequence(g, ref.subDags);
          deliverInOrders(g, schedule, ref, p.seed ^ 0x5eed);
          totalCommits += ref.decisions.filter((d) => d.includes('commit')).length;
          totalSkips += ref.decisions.filter((d) => d.includes('skip')).length;
          totalIndirect += ref.indirect;
        },
      ),
      { seed: 20240611, numRuns: DAG_RUNS },
    );
    // The generator must exercise both outcomes, or the property above says little.
    expect(totalCommits).toBeGreaterThan(10);
    expect(totalSkips).toBeGreaterThan(0);
    expect(totalIndirect).toBeGreaterThan(0);
  }, SWEEP_TIMEOUT_MS);
});
