/**
 * One simulator run as the worker drives it: the engine (sim/run createSimulation), the fault
 * script applied at its times, live faults, seek and branch, and the buffers of events and
 * explanations the worker drains to the page. No DOM and no timers: the worker shell owns the
 * clock and the message loop, so this file runs under the unit tests as it runs in the worker.
 *
 * Determinism (HOUSE-RULES 4): every fault is applied at a whole virtual millisecond after
 * every event at or before it has run (`runUntil(t)` then `apply`), live or from the script,
 * and the engine's event order does not depend on how a run is sliced. So a replay of the
 * script reaches the same determinism digest as the live run did.
 * Seek backwards re-runs from the start with the same seed and script (no checkpoints: the
 * engine's state holds closures and cannot be copied; re-running is exact and, at 4–16
 * validators, faster than real time by an order of magnitude).
 */
import { createSimulation, type SimEvent, type SimSnapshot, type Simulation } from '../../sim/run/index.ts';
import type { TimedAction } from '../../sim/scenario/index.ts';
import { toSimConfig, type RunConfig } from './config.ts';
import { createExplainer, type Explainer } from './explain.ts';
import type { Explanation, LiveFault, ProtocolError } from './protocol.ts';

/** Virtual ms one "step" advances: one message delay of the reference network. */
export const STEP_MS = 50;
/**
 * Events held for the page before the oldest are dropped. The page drains every frame; the
 * bound only bites when a seek re-runs minutes of a large committee, and the page's DAG model
 * keeps the newest rounds anyway.
 */
export const MAX_BUFFERED_EVENTS = 200_000;
const MAX_BUFFERED_EXPLANATIONS = 2_000;

/** Relative stakes as sim/run/chain.ts assigns them (equal seats; zipf: 1/(i+1) with a floor of 1/10 seat). */
export function stakeWeights(config: RunConfig): number[] {
  return Array.from({ length: config.validators }, (_, i) => (config.stake === 'equal' ? 100 : Math.max(Math.round(10_000 / (i + 1)), 10)));
}

export type SimSession = {
  readonly config: RunConfig;
  readonly stakes: readonly number[];
  readonly nowMs: number;
  /** Furthest time played in this timeline. */
  readonly horizonMs: number;
  readonly script: readonly TimedAction[];
  /**
   * Runs to `targetMs`, applying due script actions, for at most `maxEvents` engine events.
   * True when the target was reached; false when the budget ran out first (call again).
   */
  advanceTo(targetMs: number, maxEvents: number): Promise<boolean>;
  /** Completes the current virtual millisecond, so the clock rests on a whole millisecond. */
  settle(): Promise<void>;
  /** Applies a fault now (after settling); later script actions of this timeline are dropped. */
  inject(fault: LiveFault): Promise<ProtocolError | undefined>;
  /** Forgets the script after now: the next fault starts a new timeline ("what if"). */
  branch(): number;
  snapshot(): SimSnapshot;
  drainEvents(max: number): SimEvent[];
  drainExplanations(): Explanation[];
  /** Events dropped because the page did not drain them in time. */
  readonly droppedEvents: number;
};

function nodesOf(fault: LiveFault): number[] {
  switch (fault.kind) {
    case 'heal':
      return [];
    case 'crash':
    case 'restart':
      return [fault.node];
    case 'byzantine':
      return fault.behaviour.kind === 'withhold' ? [fault.node, ...fault.behaviour.from] : [fault.node];
    case 'partition': {
      const s = fault.spec;
      return s.kind === 'groups' ? s.groups.flat() : s.kind === 'oneWay' ? [...s.from, ...s.to] : [...s.a, ...s.b];
    }
  }
}

/** Why a fault cannot be applied to this run now (the scenario language refuses the same). */
function faultProblem(fault: LiveFault, validators: number, crashed: ReadonlySet<number>): string | undefined {
  const outside = nodesOf(fault).find((node) => node >= validators);
  if (outside !== undefined) return `validator ${outside} does not exist (0..${validators - 1})`;
  if (fault.kind === 'crash' && crashed.has(fault.node)) return `v${fault.node} has already crashed`;
  if (fault.kind === 'restart' && !crashed.has(fault.node)) return `v${fault.node} is running; only a crashed validator restarts`;
  return undefined;
}

export async function createSimSession(config: RunConfig, script: readonly TimedAction[]): Promise<SimSession> {
  const sim: Simulation = await createSimulation(toSimConfig(config));
  const stakes = stakeWeights(config);
  const explainer: Explainer = createExplainer({ stakes });
  const timeline: TimedAction[] = [...script];
  const crashed = new Set<number>();
  let cursor = 0;
  let horizonMs = 0;
  let events: SimEvent[] = [];
  let explanations: Explanation[] = [];
  let droppedEvents = 0;

  sim.observe((event) => {
    events.push(event);
    if (events.length > MAX_BUFFERED_EVENTS) {
      const excess = events.length - MAX_BUFFERED_EVENTS;
      events = events.slice(excess);
      droppedEvents += excess;
    }
    const lines = explainer.explain(event);
    if (lines.length > 0) {
      explanations.push(...lines);
      if (explanations.length > MAX_BUFFERED_EXPLANATIONS) explanations = explanations.slice(-MAX_BUFFERED_EXPLANATIONS);
    }
  });

  const applyNow = (action: LiveFault): void => {
    if (action.kind === 'crash') crashed.add(action.node);
    if (action.kind === 'restart') crashed.delete(action.node);
    sim.apply(action);
  };

  const advanceTo = async (targetMs: number, maxEvents: number): Promise<boolean> => {
    let budget = maxEvents;
    for (;;) {
      const next = timeline[cursor];
      const due = next !== undefined && next.atMs <= targetMs;
      const stopMs = due ? next.atMs : targetMs;
      const outcome = await sim.runUntil(Math.max(stopMs, sim.nowMs), { maxEvents: budget });
      budget -= outcome.events;
      if (outcome.stop === 'maxEvents') return false;
      horizonMs = Math.max(horizonMs, sim.nowMs);
      if (!due) return true;
      const problem = faultProblem(next.action as LiveFault, config.validators, crashed);
      if (problem !== undefined) throw new RangeError(`fault script at ${next.atMs} ms: ${problem}`);
      applyNow(next.action as LiveFault);
      cursor++;
    }
  };

  const settle = async (): Promise<void> => {
    await sim.runUntil(Math.ceil(sim.nowMs));
    horizonMs = Math.max(horizonMs, sim.nowMs);
  };

  const branch = (): number => {
    const dropped = timeline.length - cursor;
    timeline.length = cursor;
    horizonMs = sim.nowMs;
    return dropped;
  };

  return {
    config,
    stakes,
    get nowMs() {
      return sim.nowMs;
    },
    get horizonMs() {
      // An engine error mid-run leaves the clock past the last completed target.
      return Math.max(horizonMs, sim.nowMs);
    },
    get script() {
      return timeline.slice();
    },
    get droppedEvents() {
      return droppedEvents;
    },
    advanceTo,
    settle,
    async inject(fault) {
      const problem = faultProblem(fault, config.validators, crashed);
      if (problem !== undefined) return { code: 'BAD_FAULT', message: problem };
      await settle();
      // Everything due at or before now has been applied by advanceTo; the rest is the old future.
      branch();
      timeline.push({ atMs: sim.nowMs, action: fault });
      applyNow(fault);
      cursor++;
      return undefined;
    },
    branch,
    snapshot: () => sim.snapshot(),
    drainEvents(max) {
      const out = events.length <= max ? events : events.slice(0, max);
      events = events.length <= max ? [] : events.slice(max);
      return out;
    },
    drainExplanations() {
      const out = explanations;
      explanations = [];
      return out;
    },
  };
}
