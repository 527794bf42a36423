/**
 * The scenario language's syntax tree, its typed errors, limits and defaults.
 *
 * A scenario is a readable text file (HOUSE-RULES 13, etcd raft's datadriven testdata) that
 * fixes everything a simulation run depends on: the committee, the network, the workload, a
 * timed fault script and what the run must show. The parser (parse.ts) fills every default,
 * so a `Scenario` is complete and the printer (print.ts) writes it back canonically.
 * Values are frozen; node sets are sorted and duplicate-free; actions are in time order
 * (ties keep the order of the text).
 */
import type { LatencyDistribution, LatencyParseError } from '../network/latency.ts';
import type { PartitionSpec } from '../network/partition.ts';
import type { PresetName } from '../network/presets.ts';
import type { ReorderSpec } from '../network/links.ts';

/** Validator indices, ascending, each once. */
export type NodeSet = readonly number[];

export type StakeSpec =
  | { readonly kind: 'equal' }
  /** Stake of validator i (0-based) proportional to 1 / (i + 1)^exponent. */
  | { readonly kind: 'zipf'; readonly exponent: number }
  /** One positive integer weight per validator. */
  | { readonly kind: 'list'; readonly stakes: readonly number[] };

export type LatencySpec =
  | { readonly kind: 'distribution'; readonly distribution: LatencyDistribution }
  | { readonly kind: 'preset'; readonly preset: PresetName };

export type DriftSpec = {
  readonly node: number;
  /** Local clock offset, ms (positive: ahead). */
  readonly offsetMs: number;
  /** Rate error, parts per million (positive: runs fast). */
  readonly ratePpm: number;
};

export type CryptoMode = 'real' | 'modeled';
export const CRYPTO_MODES: readonly CryptoMode[] = Object.freeze(['real', 'modeled']);

export type ByzantineBehaviour =
  /** Signs two different vertices for one round (to disjoint halves of the peers). */
  | { readonly kind: 'equivocate' }
  /** Sends nothing to these validators. */
  | { readonly kind: 'withhold'; readonly from: NodeSet }
  /** Sends vertices with invalid signatures. */
  | { readonly kind: 'forge' }
  /** Holds every own message back this long. */
  | { readonly kind: 'delay'; readonly delayMs: number }
  /** Floods peers with junk (far-future rounds, malformed bytes). */
  | { readonly kind: 'spam' };

export type ByzantineKind = ByzantineBehaviour['kind'];
export const BYZANTINE_KINDS: readonly ByzantineKind[] = Object.freeze(['equivocate', 'withhold', 'forge', 'delay', 'spam']);

export type RestartStore = 'keep' | 'wipe';

export type ScenarioAction =
  /** `A | B | ...` groups, `A -> B` one way, `A <-> B` between A and B only (network/partition.ts). */
  | { readonly kind: 'partition'; readonly spec: PartitionSpec }
  | { readonly kind: 'heal' }
  | { readonly kind: 'crash'; readonly node: number }
  | { readonly kind: 'restart'; readonly node: number; readonly store: RestartStore }
  | { readonly kind: 'byzantine'; readonly node: number; readonly behaviour: ByzantineBehaviour }
  | { readonly kind: 'loss'; readonly probability: number };

export type TimedAction = { readonly atMs: number; readonly action: ScenarioAction };

export type Comparison = '>=' | '<=' | '==';
export const COMPARISONS: readonly Comparison[] = Object.freeze(['>=', '<=', '==']);

export type Verdict = 'pass' | 'no-progress' | 'diverged';
export const VERDICTS: readonly Verdict[] = Object.freeze(['pass', 'no-progress', 'diverged']);

export type Expectation =
  /** No two honest validators commit different sequences. */
  | { readonly kind: 'safety' }
  /** Commits resume after the last fault heals. */
  | { readonly kind: 'liveness' }
  /** Committed leaders (as the honest validators agree) compared to `count` at virtual time `byMs`. */
  | { readonly kind: 'commits'; readonly op: Comparison; readonly count: number; readonly byMs: number }
  | { readonly kind: 'verdict'; readonly verdict: Verdict }
  /** Equivocations detected (evidence found). */
  | { readonly kind: 'evidence'; readonly op: Comparison; readonly count: number };

export type Scenario = {
  readonly validators: number;
  /** The root seed; absent when the scenario leaves it to the runner (`--seed`). */
  readonly seed?: number;
  readonly stake: StakeSpec;
  readonly latency: LatencySpec;
  /** Egress bandwidth of every validator, bits per second; absent: unlimited. */
  readonly bandwidthBitsPerSecond?: number;
  readonly loss: number;
  readonly duplicate: number;
  readonly reorder?: ReorderSpec;
  /** At most one per node, ascending by node. */
  readonly drifts: readonly DriftSpec[];
  readonly crypto: CryptoMode;
  /** Offered load, transactions per second. */
  readonly tps: number;
  readonly durationMs: number;
  readonly actions: readonly TimedAction[];
  readonly expectations: readonly Expectation[];
};

/** Defaults of every directive a scenario may omit. */
export const SCENARIO_DEFAULTS = Object.freeze({
  stake: Object.freeze({ kind: 'equal' }) as StakeSpec,
  // DESIGN.md §4's reference network: 50 ms one way.
  latency: Object.freeze({ kind: 'distribution', distribution: Object.freeze({ kind: 'constant', valueMs: 50 }) }) as LatencySpec,
  loss: 0,
  duplicate: 0,
  // Real post-quantum signatures are the point of the simulator; `modeled` is the opt-in shortcut.
  crypto: 'real' as CryptoMode,
  tps: 0,
  durationMs: 10_000,
});

/** Bounds that keep one scenario's run finite and its parse cheap. */
export const SCENARIO_LIMITS = Object.freeze({
  maxTextChars: 1_000_000,
  maxLines: 10_000,
  /** 10x DESIGN.md §4's largest network (1,000 validators). */
  maxValidators: 10_000,
  /** One virtual day. */
  maxDurationMs: 86_400_000,
  maxTps: 1_000_000,
  maxZipfExponent: 10,
  /** ±10 %: far beyond any real clock; larger rates are typos. */
  maxDriftPpm: 100_000,
  maxBandwidthBitsPerSecond: 1e12,
  maxExpectedCount: 1e9,
});

export type ScenarioErrorCode =
  | 'TEXT_TOO_LARGE'
  | 'UNKNOWN_DIRECTIVE'
  | 'UNKNOWN_KEYWORD'
  | 'MISSING_ARGUMENT'
  | 'TRAILING_TOKEN'
  | 'BAD_INTEGER'
  | 'BAD_NODE_SET'
  | 'DUPLICATE_NODE'
  | 'OUT_OF_RANGE'
  | 'DUPLICATE_DIRECTIVE'
  | 'MISSING_DIRECTIVE'
  | 'NODE_OUT_OF_RANGE'
  | 'TIME_OUT_OF_RANGE'
  | 'STAKE_COUNT_MISMATCH'
  | 'OVERLAPPING_GROUPS'
  | 'BAD_SEQUENCE'
  | 'BAD_NUMBER'
  | 'BAD_DURATION'
  | 'BAD_BANDWIDTH'
  | 'BAD_PROBABILITY'
  | LatencyParseError['code'];

/** Where and why a scenario text is wrong; `line` and `column` are 1-based, `token` is '' at an end of line. */
export type ScenarioError = {
  readonly code: ScenarioErrorCode;
  readonly line: number;
  readonly column: number;
  readonly token: string;
  /** What would have been accepted here, in words. */
  readonly expected: string;
};
