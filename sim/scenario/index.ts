/**
 * sim/scenario — the scenario language: a readable text file that fixes a whole simulation
 * (committee, network, workload, timed faults, expectations), its parser with typed
 * positioned errors, and its canonical printer.
 */
export { parseScenario } from './parse.ts';
export { formatScenarioError, printScenario } from './print.ts';
export {
  BYZANTINE_KINDS,
  COMPARISONS,
  CRYPTO_MODES,
  SCENARIO_DEFAULTS,
  SCENARIO_LIMITS,
  VERDICTS,
  type ByzantineBehaviour,
  type ByzantineKind,
  type Comparison,
  type CryptoMode,
  type DriftSpec,
  type Expectation,
  type LatencySpec,
  type NodeSet,
  type RestartStore,
  type Scenario,
  type ScenarioAction,
  type ScenarioError,
  type ScenarioErrorCode,
  type StakeSpec,
  type TimedAction,
  type Verdict,
} from './types.ts';
