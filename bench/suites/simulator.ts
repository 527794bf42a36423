/**
 * Simulator speed (issue "Simulator", must-show bench figures; DESIGN.md §4): whole networks of
 * the real core/validator in sim/ (createSimulation), 50 ms constant links, 10 offered
 * transfers per second, each run bounded by a virtual target AND a wall budget.
 *
 * Figures per plan: simulated validators × virtual seconds per wall second (the work rate of the
 * simulator, comparable across sizes) and virtual/wall time (above 1: faster than real time);
 * the note says how far the run got (virtual ms, events, commits) and how long setup took
 * (keys, genesis, n² links; not counted in the rates). Plus finality p50 (submission to the
 * certificate covering the executing commit) as a multiple of the 50 ms one-way delay, at
 * n = 100 (the target) and at n = 4 (a reference that always reaches certificates).
 *
 * Checks: ≥ 10× real time at n = 1,000 modeled; finality p50 ≤ 5 one-way delays at n = 100.
 * Both are reported as measured; a run that cannot reach a certificate within its wall budget
 * makes the finality check SKIP with what it reached.
 *
 * Caveats: one thread plays every validator; `real` signs with pure-JS ML-DSA-44 and verifies
 * through one shared cache per run; `modeled` replaces signatures by tagged digests and charges
 * their measured CPU cost as virtual time (sim/README.md), so the virtual timings agree.
 */
import { createSimulation } from '../../sim/run/index.ts';
import type { SimSnapshot } from '../../sim/run/index.ts';
import { registerSuite, type SuiteContext } from '../_registry.ts';

const SUITE = 'simulator';
/** DESIGN.md §4's reference network: one-way delay of every link. */
const ONE_WAY_MS = 50;
const TPS = 10;
/** Targets from the issue: the simulator must outrun real time tenfold at 1,000 modeled validators. */
const TARGET_REAL_TIME_MULTIPLE = 10;
/** Finality within five one-way delays at n = 100. */
const TARGET_FINALITY_DELAYS = 5;

type Plan = { readonly validators: number; readonly crypto: 'real' | 'modeled'; readonly virtualMs: number; readonly wallMs: number };

const PLANS: { readonly full: readonly Plan[]; readonly quick: readonly Plan[] } = {
  full: [
    { validators: 4, crypto: 'real', virtualMs: 5_000, wallMs: 10_000 },
    { validators: 16, crypto: 'real', virtualMs: 3_000, wallMs: 10_000 },
    { validators: 100, crypto: 'real', virtualMs: 2_000, wallMs: 15_000 },
    // Long enough in wall time to reach certificates (about one per virtual second): the finality target's run.
    { validators: 100, crypto: 'modeled', virtualMs: 3_000, wallMs: 45_000 },
    { validators: 1_000, crypto: 'modeled', virtualMs: 2_000, wallMs: 10_000 },
  ],
  quick: [
    { validators: 4, crypto: 'real', virtualMs: 1_000, wallMs: 3_000 },
    { validators: 16, crypto: 'real', virtualMs: 500, wallMs: 3_000 },
    { validators: 100, crypto: 'real', virtualMs: 200, wallMs: 5_000 },
    { validators: 100, crypto: 'modeled', virtualMs: 500, wallMs: 3_000 },
    { validators: 1_000, crypto: 'modeled', virtualMs: 200, wallMs: 3_000 },
  ],
};
/** The finality reference: 4 modeled validators reach certificates within seconds of virtual time. */
const FINALITY_REFERENCE: { readonly full: Plan; readonly quick: Plan } = {
  full: { validators: 4, crypto: 'modeled', virtualMs: 8_000, wallMs: 15_000 },
  quick: { validators: 4, crypto: 'modeled', virtualMs: 4_000, wallMs: 5_000 },
};

type RunResult = { readonly plan: Plan; readonly setupMs: number; readonly runMs: number; readonly snapshot: SimSnapshot; readonly stoppedBy: 'virtual target' | 'wall budget' };

async function runPlan(plan: Plan): Promise<RunResult> {
  const setupStartMs = performance.now();
  const sim = await createSimulation({
    validators: plan.validators, seed: 1, crypto: plan.crypto, tps: TPS, latency: { kind: 'distribution', distribution: { kind: 'constant', valueMs: ONE_WAY_MS } },
  });
  const runStartMs = performance.now();
  const deadlineMs = runStartMs + plan.wallMs;
  // The predicate is checked between events, so one event longer than the budget overruns it.
  await sim.runUntil((s) => s.nowMs >= plan.virtualMs || performance.now() >= deadlineMs);
  const runMs = performance.now() - runStartMs;
  return { plan, setupMs: runStartMs - setupStartMs, runMs, snapshot: sim.snapshot(runMs), stoppedBy: sim.nowMs >= plan.virtualMs ? 'virtual target' : 'wall budget' };
}

const label = (p: Plan): string => `n=${p.validators} ${p.crypto}`;

function reached(r: RunResult): string {
  const s = r.snapshot;
  return (
    `reached ${s.virtualMs.toFixed(1)} ms virtual of ${r.plan.virtualMs} in ${(r.runMs / 1000).toFixed(1)} s wall (stopped by ${r.stoppedBy}); ` +
    `setup ${(r.setupMs / 1000).toFixed(1)} s; ${s.events} events, ${s.commits} commits, ${s.finalityMs.samples} finalized txs`
  );
}

function reportRates(ctx: SuiteContext, r: RunResult): void {
  const virtualS = r.snapshot.virtualMs / 1000;
  const wallS = r.runMs / 1000;
  const rate = `${label(r.plan)}: validator·virtual s per wall s`;
  const ratio = `${label(r.plan)}: virtual/wall time`;
  if (ctx.enabled(rate)) ctx.figure({ name: rate, value: (r.plan.validators * virtualS) / wallS, unit: 'validator·s/s', note: reached(r) });
  if (ctx.enabled(ratio)) ctx.figure({ name: ratio, value: virtualS / wallS, unit: '× real time', note: 'virtual ms per wall ms (setup excluded); above 1 the simulator outruns real time' });
}

function finalityDelays(r: RunResult): number | undefined {
  return r.snapshot.finalityMs.samples === 0 ? undefined : r.snapshot.finalityMs.p50 / ONE_WAY_MS;
}

function reportFinality(ctx: SuiteContext, r: RunResult, isTarget: boolean): void {
  const name = `${label(r.plan)}: finality p50`;
  const delays = finalityDelays(r);
  const commit = r.snapshot.commitLatencyMs;
  const detail = `${reached(r)}; commit latency p50 ${commit.samples === 0 ? 'n/a' : `${(commit.p50 / ONE_WAY_MS).toFixed(1)} delays`}`;
  if (delays !== undefined && ctx.enabled(name)) {
    ctx.figure({ name, value: delays, unit: `× one-way delay (${ONE_WAY_MS} ms)`, note: `p50 ${r.snapshot.finalityMs.p50.toFixed(0)} ms over ${r.snapshot.finalityMs.samples} txs; ${detail}` });
  }
  if (!isTarget) return;
  const check = `finality p50 ≤ ${TARGET_FINALITY_DELAYS} one-way delays at n = ${r.plan.validators}, ${ONE_WAY_MS} ms links`;
  if (delays === undefined) ctx.check({ name: check, status: 'SKIP', detail: `no transaction finalized within the budget: ${detail}` });
  else ctx.check({ name: check, status: delays <= TARGET_FINALITY_DELAYS ? 'PASS' : 'FAIL', detail: `${delays.toFixed(1)} delays; ${detail}` });
}

function checkRealTime(ctx: SuiteContext, r: RunResult): void {
  const multiple = r.snapshot.virtualMs / r.runMs;
  ctx.check({
    name: `≥ ${TARGET_REAL_TIME_MULTIPLE}× real time at n = ${r.plan.validators} ${r.plan.crypto}`,
    status: multiple >= TARGET_REAL_TIME_MULTIPLE ? 'PASS' : 'FAIL',
    detail: `${multiple.toPrecision(3)}× real time; ${reached(r)}`,
  });
}

registerSuite({
  name: SUITE,
  description: 'whole validator networks in sim/ (50 ms links): simulated validator·seconds per wall second, finality in one-way delays',
  async run(ctx) {
    for (const plan of ctx.quick ? PLANS.quick : PLANS.full) {
      const names = [`${label(plan)}: validator·virtual s per wall s`, `${label(plan)}: virtual/wall time`, `${label(plan)}: finality p50`];
      const isFinalityTarget = plan.validators === 100 && plan.crypto === 'modeled';
      const isSpeedTarget = plan.validators === 1_000;
      if (!names.some((n) => ctx.enabled(n))) continue;
      const result = await runPlan(plan);
      reportRates(ctx, result);
      if (isFinalityTarget) reportFinality(ctx, result, true);
      if (isSpeedTarget) checkRealTime(ctx, result);
    }
    const reference = ctx.quick ? FINALITY_REFERENCE.quick : FINALITY_REFERENCE.full;
    if (ctx.enabled(`${label(reference)}: finality p50`)) reportFinality(ctx, await runPlan(reference), false);
  },
});
