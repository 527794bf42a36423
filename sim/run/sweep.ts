/**
 * Seeded random-fault sweeps (issue "Simulator": "a sweep of at least 1,000 seeded random-fault
 * runs with ≤ f Byzantine finds no safety violation"; HOUSE-RULES 4, 9, 12; TigerBeetle VOPR).
 *
 * Run i gets the seed `seedFor('sweep-run', i)` of the base seed; from that seed alone a fault
 * plan is drawn (crashes with restarts keeping or wiping the store, partitions and heals, loss
 * bursts, up to `maxByzantine` Byzantine validators equivocating, withholding, forging or
 * delaying), written as a scenario and run. Every crash, partition and loss burst is over before
 * the last third of the run, so the network is whole while liveness is judged; Byzantine
 * validators stay Byzantine to the end (there is no way back to honest).
 *
 * Verdicts are counted: `no-progress` is a liveness shortfall (faults may legitimately slow a
 * short run) and does not fail the sweep; any safety violation does, and is reported with its
 * seed and the whole scenario as text, so `npm run sim -- --scenario FILE` replays it exactly.
 *
 * Pure: no clock, no I/O; the caller prints progress and measures time.
 */
import { createSeeds } from '../engine/seeds.ts';
import { printScenario } from '../scenario/print.ts';
import { SCENARIO_DEFAULTS, type ByzantineBehaviour, type Scenario, type TimedAction } from '../scenario/types.ts';
import type { Prng } from '../../core/prng.ts';
import { runScenario } from './scenario.ts';
import type { Verdict, Violation } from './types.ts';

export type SweepOptions = {
  readonly runs: number;
  /** u32; run i's seed is derived from it and i. */
  readonly baseSeed: number;
  readonly validators: number;
  /** At most f = ⌊(n − 1) / 3⌋ (equal stakes). */
  readonly maxByzantine: number;
  /** Virtual duration of each run. */
  readonly durationMs: number;
  readonly crypto: 'modeled' | 'real';
  /** Offered transfers per second; default 10. */
  readonly tps?: number;
  /** Constant one-way latency; default 50 ms (DESIGN.md §4's reference network). */
  readonly latencyMs?: number;
};

/** What a planner draws the faults of one run from. */
export type PlanParams = { readonly validators: number; readonly maxByzantine: number; readonly durationMs: number };

/** Draws the timed fault script of one run; a pure function of its arguments and the stream. */
export type FaultPlanner = (params: PlanParams, rng: Prng) => readonly TimedAction[];

export type SweepFailure = {
  readonly run: number;
  readonly seed: number;
  readonly verdict: Verdict;
  readonly violations: readonly Violation[];
  /** The run as a scenario file (seed included): save it and run `npm run sim -- --scenario FILE`. */
  readonly scenarioText: string;
};

export type SweepProgress = { readonly done: number; readonly runs: number; readonly passes: number; readonly noProgress: number; readonly violations: number; readonly lastSeed: number };

export type SweepReport = {
  readonly runs: number;
  readonly baseSeed: number;
  readonly passes: number;
  /** Runs whose verdict was `no-progress`, by seed (liveness shortfalls; not a sweep failure). */
  readonly noProgressSeeds: readonly number[];
  /** Runs with a safety violation: these fail the sweep. */
  readonly violations: readonly SweepFailure[];
  /** True when no run violated safety. */
  readonly safe: boolean;
};

export const faultToleranceOf = (validators: number): number => Math.floor((validators - 1) / 3);

/** Most crash/partition/loss episodes per run: enough to mix them, few enough to leave time to recover. */
const MAX_EPISODES = 4;
/** Bounds of a loss burst's probability: heavy loss, never a total cut (that is a partition). */
const LOSS_MIN = 0.05;
const LOSS_MAX = 0.5;
/** Bounds of a Byzantine `delay`: one to ten reference one-way delays. */
const DELAY_MIN_MS = 50;
const DELAY_MAX_MS = 500;
const BEHAVIOURS = ['equivocate', 'withhold', 'forge', 'delay'] as const;

const between = (rng: Prng, lo: number, hi: number): number => lo + rng.nextInt(Math.max(1, hi - lo + 1));

/** A random subset of `pool` (Fisher–Yates prefix), ascending. */
function pick(rng: Prng, pool: readonly number[], count: number): number[] {
  const items = [...pool];
  for (let i = 0; i < count && i < items.length; i++) {
    const j = i + rng.nextInt(items.length - i);
    [items[i], items[j]] = [items[j] as number, items[i] as number];
  }
  return items.slice(0, count).sort((a, b) => a - b);
}

function behaviourOf(rng: Prng, node: number, validators: number): ByzantineBehaviour {
  const kind = BEHAVIOURS[rng.nextInt(BEHAVIOURS.length)] ?? 'equivocate';
  switch (kind) {
    case 'withhold': {
      const others = Array.from({ length: validators }, (_, i) => i).filter((i) => i !== node);
      return { kind, from: pick(rng, others, between(rng, 1, others.length)) };
    }
    case 'delay':
      return { kind, delayMs: between(rng, DELAY_MIN_MS, DELAY_MAX_MS) };
    default:
      return { kind };
  }
}

/** One episode (crash+restart, partition+heal or a loss burst) within [startMs, endMs]. */
function episode(rng: Prng, honest: readonly number[], validators: number, startMs: number, endMs: number): TimedAction[] {
  const fromMs = between(rng, startMs, startMs + Math.floor((endMs - startMs) / 2));
  const toMs = between(rng, fromMs + 1, endMs);
  const kind = rng.nextInt(3);
  if (kind === 0 && honest.length > 0) {
    const node = honest[rng.nextInt(honest.length)] as number;
    return [
      { atMs: fromMs, action: { kind: 'crash', node } },
      { atMs: toMs, action: { kind: 'restart', node, store: rng.nextInt(2) === 0 ? 'keep' : 'wipe' } },
    ];
  }
  if (kind === 1 || honest.length === 0) {
    const all = Array.from({ length: validators }, (_, i) => i);
    const side = pick(rng, all, between(rng, 1, validators - 1));
    const rest = all.filter((i) => !side.includes(i));
    const spec = rng.nextInt(2) === 0 ? ({ kind: 'groups', groups: [side, rest] } as const) : ({ kind: 'oneWay', from: side, to: rest } as const);
    return [
      { atMs: fromMs, action: { kind: 'partition', spec } },
      { atMs: toMs, action: { kind: 'heal' } },
    ];
  }
  const probability = Math.round((LOSS_MIN + rng.nextFloat() * (LOSS_MAX - LOSS_MIN)) * 100) / 100;
  return [
    { atMs: fromMs, action: { kind: 'loss', probability } },
    { atMs: toMs, action: { kind: 'loss', probability: 0 } },
  ];
}

/**
 * The default planner: up to `maxByzantine` Byzantine validators (random nodes, behaviours and
 * start times) and up to MAX_EPISODES episodes, each in its own slot of the first two thirds of
 * the run, so partitions and loss bursts never overlap and all of them end before the last third.
 */
export const randomFaultPlan: FaultPlanner = (params, rng) => {
  const { validators, maxByzantine, durationMs } = params;
  const faultEndMs = Math.floor((durationMs * 2) / 3);
  const all = Array.from({ length: validators }, (_, i) => i);
  const byzantine = pick(rng, all, rng.nextInt(maxByzantine + 1));
  const honest = all.filter((i) => !byzantine.includes(i));
  const actions: TimedAction[] = byzantine.map((node) => ({ atMs: rng.nextInt(Math.max(1, faultEndMs)), action: { kind: 'byzantine', node, behaviour: behaviourOf(rng, node, validators) } }));
  const episodes = rng.nextInt(MAX_EPISODES + 1);
  const slotMs = Math.floor(faultEndMs / Math.max(1, episodes));
  for (let e = 0; e < episodes && slotMs >= 2; e++) actions.push(...episode(rng, honest, validators, e * slotMs, (e + 1) * slotMs - 1));
  // Stable sort: a crash and its restart in one millisecond keep their order.
  return actions.sort((a, b) => a.atMs - b.atMs);
};

function checkOptions(o: SweepOptions): void {
  const intIn = (name: string, value: number, min: number, max: number): void => {
    if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`runSweep: ${name} must be an integer in ${min}..${max}, got ${value}`);
  };
  intIn('runs', o.runs, 1, 10_000_000);
  intIn('baseSeed', o.baseSeed, 0, 0xffff_ffff);
  intIn('validators', o.validators, 1, 10_000);
  intIn('maxByzantine', o.maxByzantine, 0, faultToleranceOf(o.validators));
  intIn('durationMs', o.durationMs, 1, 86_400_000);
}

/** The scenario of run `index`: its seed and the faults its planner draws from that seed. */
export function sweepScenario(options: SweepOptions, index: number, planner: FaultPlanner = randomFaultPlan): Scenario {
  const seed = createSeeds(options.baseSeed).seedFor('sweep-run', index);
  const rng = createSeeds(seed).streamFor('sweep-fault-plan');
  const actions = planner({ validators: options.validators, maxByzantine: options.maxByzantine, durationMs: options.durationMs }, rng);
  return {
    validators: options.validators,
    seed,
    stake: SCENARIO_DEFAULTS.stake,
    latency: { kind: 'distribution', distribution: { kind: 'constant', valueMs: options.latencyMs ?? 50 } },
    loss: 0,
    duplicate: 0,
    drifts: [],
    crypto: options.crypto,
    tps: options.tps ?? 10,
    durationMs: options.durationMs,
    actions,
    expectations: [{ kind: 'safety' }],
  };
}

/**
 * Runs the sweep, one run after another (each run is deterministic in its seed, so the order
 * does not matter for the result). `planner` exists so a test can prove the sweep can fail.
 */
export async function runSweep(options: SweepOptions, onProgress?: (p: SweepProgress) => void, planner: FaultPlanner = randomFaultPlan): Promise<SweepReport> {
  checkOptions(options);
  let passes = 0;
  const noProgressSeeds: number[] = [];
  const violations: SweepFailure[] = [];
  for (let run = 0; run < options.runs; run++) {
    const scenario = sweepScenario(options, run, planner);
    const seed = scenario.seed as number;
    const report = await runScenario(scenario, { seed, progressEveryMs: options.durationMs });
    const found = report.snapshot.violations;
    if (found.length > 0 || report.verdict === 'diverged') violations.push(Object.freeze({ run, seed, verdict: report.verdict, violations: found, scenarioText: printScenario(scenario) }));
    else if (report.verdict === 'no-progress') noProgressSeeds.push(seed);
    else if (report.verdict === 'pass') passes++;
    onProgress?.({ done: run + 1, runs: options.runs, passes, noProgress: noProgressSeeds.length, violations: violations.length, lastSeed: seed });
  }
  return Object.freeze({ runs: options.runs, baseSeed: options.baseSeed, passes, noProgressSeeds, violations, safe: violations.length === 0 });
}
