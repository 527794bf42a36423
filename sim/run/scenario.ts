/**
 * The scenario runner: a parsed scenario (sim/scenario) becomes a simulation configuration and
 * a timed fault script; the run is checked against every `expect` line, and the report says
 * which held (issue "Simulator", scenarios; HOUSE-RULES 13). Pure: the caller reads files and
 * measures wall time.
 *
 * `expect commits OP N by T` compares the number of distinct commit indices the honest
 * validators reached by virtual time T; `expect liveness` holds when the run does not end
 * stalled (sim/run/checkers/liveness.ts); `expect safety` when no violation was found.
 */
import type { Comparison, Expectation, Scenario, ScenarioAction } from '../scenario/types.ts';
import { formatDurationMs } from '../network/units.ts';
import { createSimulation, type Simulation } from './simulation.ts';
import type { Fault, SimConfig, SimSnapshot, Verdict } from './types.ts';

export type ExpectationResult = {
  readonly expectation: Expectation;
  /** The expectation as written (`commits >= 20 by 10s`). */
  readonly text: string;
  readonly pass: boolean;
  /** What the run showed, in words. */
  readonly actual: string;
};

export type ScenarioReport = {
  readonly seed: number;
  readonly verdict: Verdict;
  /** Every expectation held. */
  readonly pass: boolean;
  readonly expectations: readonly ExpectationResult[];
  readonly snapshot: SimSnapshot;
};

export type ScenarioRunOptions = {
  /** Overrides the scenario's seed (required when the scenario has none). */
  readonly seed?: number;
  /** Called every `progressEveryMs` of virtual time (a progress line, a UI update). */
  readonly onProgress?: (sim: Simulation) => void;
  readonly progressEveryMs?: number;
  /** Wall-clock reading in ms (performance.now in a shell): adds events/s and virtual/wall to the snapshot. */
  readonly wallClockMs?: () => number;
  /** Hook to observe the simulation once created (event streams, live controls). */
  readonly onCreated?: (sim: Simulation) => void;
};

export function faultOfAction(action: ScenarioAction): Fault {
  return action;
}

export function configFromScenario(scenario: Scenario, seed: number): SimConfig {
  const twins = [...new Set(scenario.actions.flatMap((a) => (a.action.kind === 'byzantine' && a.action.behaviour.kind === 'equivocate' ? [a.action.node] : [])))];
  return Object.freeze({
    validators: scenario.validators,
    seed,
    stake: scenario.stake,
    latency: scenario.latency,
    ...(scenario.bandwidthBitsPerSecond === undefined ? {} : { bandwidthBitsPerSecond: scenario.bandwidthBitsPerSecond }),
    loss: scenario.loss,
    duplicate: scenario.duplicate,
    ...(scenario.reorder === undefined ? {} : { reorder: scenario.reorder }),
    drifts: scenario.drifts,
    crypto: scenario.crypto,
    tps: scenario.tps,
    twins: twins.sort((a, b) => a - b),
  });
}

const compare = (actual: number, op: Comparison, expected: number): boolean => (op === '>=' ? actual >= expected : op === '<=' ? actual <= expected : actual === expected);

export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'safety':
    case 'liveness':
      return e.kind;
    case 'commits':
      return `commits ${e.op} ${e.count} by ${formatDurationMs(e.byMs)}`;
    case 'verdict':
      return `verdict ${e.verdict}`;
    case 'evidence':
      return `evidence ${e.op} ${e.count}`;
  }
}

function judge(e: Expectation, snapshot: SimSnapshot, commitsAt: ReadonlyMap<number, number>): ExpectationResult {
  const text = describeExpectation(e);
  const result = (pass: boolean, actual: string): ExpectationResult => Object.freeze({ expectation: e, text, pass, actual });
  switch (e.kind) {
    case 'safety': {
      const first = snapshot.violations[0];
      return result(first === undefined, first === undefined ? 'no violation' : `${snapshot.violations.length} violation(s), first: ${first.kind}`);
    }
    case 'liveness':
      return result(snapshot.stall === undefined, snapshot.stall === undefined ? 'commits advancing' : `no new commit since ${formatDurationMs(Math.round(snapshot.stall.sinceMs))}`);
    case 'commits': {
      const commits = commitsAt.get(e.byMs) ?? 0;
      return result(compare(commits, e.op, e.count), `${commits} commits by ${formatDurationMs(e.byMs)}`);
    }
    case 'verdict':
      return result(snapshot.verdict === e.verdict, `verdict ${snapshot.verdict}`);
    case 'evidence':
      return result(compare(snapshot.evidence.count, e.op, e.count), `${snapshot.evidence.count} equivocation(s) found, offenders [${snapshot.evidence.offenders.join(', ')}]`);
  }
}

export async function runScenario(scenario: Scenario, options: ScenarioRunOptions = {}): Promise<ScenarioReport> {
  const seed = options.seed ?? scenario.seed;
  if (seed === undefined) throw new RangeError('runScenario: the scenario names no seed; pass options.seed');
  const sim = await createSimulation(configFromScenario(scenario, seed));
  options.onCreated?.(sim);
  for (const { atMs, action } of scenario.actions) sim.scheduleFault(atMs, faultOfAction(action));
  const probes = [...new Set(scenario.expectations.flatMap((e) => (e.kind === 'commits' ? [e.byMs] : [])))].sort((a, b) => a - b);
  const endMs = Math.max(scenario.durationMs, ...probes);
  const stepMs = options.progressEveryMs ?? 1000;
  const commitsAt = new Map<number, number>();
  const startWallMs = options.wallClockMs?.();
  let nextProbe = 0;
  for (let t = 0; t < endMs; ) {
    const target = Math.min(endMs, t + stepMs, probes[nextProbe] ?? Number.POSITIVE_INFINITY);
    await sim.runUntil(target);
    t = target;
    while (nextProbe < probes.length && (probes[nextProbe] as number) <= t) commitsAt.set(probes[nextProbe++] as number, sim.snapshot().commits);
    options.onProgress?.(sim);
  }
  const wallMs = startWallMs === undefined || options.wallClockMs === undefined ? undefined : options.wallClockMs() - startWallMs;
  const snapshot = sim.snapshot(wallMs);
  const expectations = scenario.expectations.map((e) => judge(e, snapshot, commitsAt));
  return Object.freeze({ seed, verdict: snapshot.verdict, pass: expectations.every((e) => e.pass), expectations, snapshot });
}
