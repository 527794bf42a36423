/**
 * sim/run — the run engine: whole networks of real `core/validator` instances over the
 * simulated network and clock, with faults, crypto modes, workload, checkers, metrics and the
 * scenario runner. Pure (no clock, no timers, no Node or DOM): it runs in a Web Worker as it
 * runs under the CLI.
 */
export {
  DEFAULT_LIVENESS_TIMEOUTS,
  DEFAULT_MAX_REAL_TRANSFERS,
  createSimulation,
  type RunUntilOptions,
  type Simulation,
} from './simulation.ts';
export {
  configFromScenario,
  describeExpectation,
  runScenario,
  type ExpectationResult,
  type ScenarioReport,
  type ScenarioRunOptions,
} from './scenario.ts';
export { MEASURED_CRYPTO_COSTS, cryptoCostsOf, type CryptoCosts } from './crypto/costs.ts';
export { RECENT_FINALITY_SAMPLES, createRecentSamples, percentile, percentilesOf, type RecentSamples } from './metrics.ts';
export { SIM_CHAIN_ID, SIM_GENESIS_TIME_MS } from './chain.ts';
export type {
  CommitWitness,
  Fault,
  InstanceKind,
  Percentiles,
  RefView,
  SimConfig,
  SimEvent,
  SimEventType,
  SimLatency,
  SimSnapshot,
  Violation,
} from './types.ts';
export {
  faultToleranceOf,
  randomFaultPlan,
  runSweep,
  sweepScenario,
  type FaultPlanner,
  type PlanParams,
  type SweepFailure,
  type SweepOptions,
  type SweepProgress,
  type SweepReport,
} from './sweep.ts';
