/**
 * Consensus: 4, 10 and 100 whole validators (core/validator) on the in-memory network of the
 * validator tests, crypto on — every vertex and checkpoint vote signed with deterministic
 * ML-DSA-44 (noble, pure JS), every signature verified through the verify pool (liboqs, in
 * the calling thread) — each run bounded in virtual time AND in wall time (DESIGN.md §4).
 *
 * Figures per size: vertices accepted per wall second (summed over validators: a vertex counts
 * once per validator that took it into its DAG), committed leaders per wall second (the prefix
 * every validator agreed on; the run throws if two disagree), virtual/wall time ratio (above 1
 * means faster than real time), and the share of wall time spent signing, verifying and in the
 * rest (decode, DAG, commit rule, execution, the event loop) — from timers around each sign
 * and verify call (_consensusRun.ts).
 *
 * Caveats: one process plays every validator, so signing is N validators' work on one thread
 * (a real network signs in parallel); the verify pool's cache is shared by all validators of a
 * run, so identical bytes are verified ONCE per run (once per network, not once per validator);
 * each size runs once (a repeat would meet a warm cache). Links are a constant 10 ms.
 */
import { registerSuite, type Figure, type SuiteContext } from '../_registry.ts';
import { runConsensus, type ConsensusRunResult } from './_consensusRun.ts';

const SUITE = 'consensus';

/**
 * Run plans: virtual budgets give the small networks tens of commits; wall budgets keep the
 * suite within about a minute on 2 cores (100 validators cannot finish many rounds in 15 s).
 */
const PLANS = {
  full: [
    { validators: 4, maxVirtualMs: 2_000, maxWallMs: 10_000 },
    { validators: 10, maxVirtualMs: 1_500, maxWallMs: 12_000 },
    { validators: 100, maxVirtualMs: 2_000, maxWallMs: 15_000 },
  ],
  quick: [
    { validators: 4, maxVirtualMs: 500, maxWallMs: 3_000 },
    { validators: 10, maxVirtualMs: 300, maxWallMs: 3_000 },
    { validators: 100, maxVirtualMs: 2_000, maxWallMs: 3_000 },
  ],
} as const;
/** Two transfers per user: the first vertices carry transactions, so commits execute something. */
const TRANSFERS_PER_USER = 2;

const names = (n: number) =>
  ({
    vertices: `${n} validators: vertices accepted`,
    commits: `${n} validators: committed leaders`,
    timeRatio: `${n} validators: virtual/wall time`,
    cryptoShare: `${n} validators: wall time signing + verifying`,
  }) as const;

function runNote(r: ConsensusRunResult): string {
  return (
    `${(r.wallMs / 1000).toFixed(1)} s wall for ${r.virtualMs} ms virtual (stopped by ${r.stoppedBy}); rounds ${r.highestRound}, ` +
    `${r.proposedVertices} vertices proposed, ${r.committedLeaders} leaders committed, ${r.executedTransactions} transactions executed`
  );
}

function report(ctx: SuiteContext, r: ConsensusRunResult): void {
  const name = names(r.validators);
  const wallSeconds = r.wallMs / 1000;
  const restMs = r.wallMs - r.signMs - r.verifyMs;
  const pct = (ms: number): string => `${((100 * ms) / r.wallMs).toFixed(0)}%`;
  const figure = (f: Omit<Figure, 'suite'>): void => {
    if (ctx.enabled(f.name)) ctx.figure(f);
  };
  figure({ name: name.vertices, value: r.acceptedVertices / wallSeconds, unit: 'vertices/s', note: `${r.acceptedVertices} accepted over all validators; ${runNote(r)}` });
  figure({
    name: name.commits,
    value: r.committedLeaders / wallSeconds,
    unit: 'commits/s',
    note: r.committedLeaders === 0 ? `no leader committed within the wall budget; ${runNote(r)}` : `agreed by every validator; ${runNote(r)}`,
  });
  figure({ name: name.timeRatio, value: r.virtualMs / r.wallMs, unit: '× real time', note: 'virtual ms per wall ms; above 1 the in-memory network outruns real time' });
  figure({
    name: name.cryptoShare,
    value: (100 * (r.signMs + r.verifyMs)) / r.wallMs,
    unit: '% of wall time',
    note:
      `sign ${pct(r.signMs)} (${r.signatures} ML-DSA-44 signatures, noble, ${(r.signMs / Math.max(1, r.signatures)).toFixed(1)} ms each), ` +
      `verify ${pct(r.verifyMs)} (${r.verifyCalls} calls; ${r.verifiedItems} items verified by liboqs, ${r.cacheHits} answered by the shared cache: identical bytes verified once per run), ` +
      `rest ${pct(restMs)} (decode, DAG, commit rule, execution, event loop)`,
  });
}

registerSuite({
  name: SUITE,
  description: 'N validators in memory with real ML-DSA-44 signing and pooled verification: vertex and commit throughput',
  async run(ctx) {
    for (const plan of ctx.quick ? PLANS.quick : PLANS.full) {
      if (!Object.values(names(plan.validators)).some((name) => ctx.enabled(name))) continue;
      const result = await runConsensus({ ...plan, transfersPerUser: TRANSFERS_PER_USER });
      report(ctx, result);
    }
  },
});
