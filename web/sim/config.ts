/**
 * The simulator page's run configuration: what a person sets in the controls panel, its
 * defaults and ranges, and how it becomes the engine's `SimConfig` and a scenario (the replay
 * link's text form, sim/scenario).
 *
 * One conversion path for live runs and replays: a live run never prepares Twins up front
 * (equivocation wakes a twin from the validator's store when it is asked for), so a replay of
 * the same fault script builds the very same simulation and reaches the same digest.
 */
import type { SimConfig, SimLatency } from '../../sim/run/index.ts';
import type { CryptoMode, Scenario, StakeSpec, TimedAction } from '../../sim/scenario/index.ts';

export const LATENCY_PRESETS = ['lan', 'reference', 'jittery', 'geo', 'world'] as const;
export type LatencyPreset = (typeof LATENCY_PRESETS)[number];

export const STAKE_CHOICES = ['equal', 'zipf'] as const;
export type StakeChoice = (typeof STAKE_CHOICES)[number];

export type RunConfig = {
  readonly validators: number;
  readonly stake: StakeChoice;
  readonly latency: LatencyPreset;
  /** Probability that a message is lost, 0..RUN_LIMITS.maxLoss. */
  readonly loss: number;
  /** Egress bandwidth per validator in bits per second; 0 = unlimited. */
  readonly bandwidthBitsPerSecond: number;
  /** Offered transfers per second, all users together. */
  readonly tps: number;
  readonly crypto: CryptoMode;
  /** The root seed (u32). */
  readonly seed: number;
};

/** Four validators (f = 1): the smallest committee where one fault is tolerated, and fast on a phone. */
export const DEFAULT_RUN_CONFIG: RunConfig = Object.freeze({
  validators: 4,
  stake: 'equal',
  latency: 'reference',
  loss: 0,
  bandwidthBitsPerSecond: 0,
  tps: 20,
  // Modeled signatures keep real sizes and charged CPU costs; real ones load liboqs on demand.
  crypto: 'modeled',
  seed: 1,
});

/** Ranges of the controls; beyond them a tab's worker cannot keep up or the run means nothing. */
export const RUN_LIMITS = Object.freeze({
  minValidators: 1,
  /** n² messages per round: 64 is about the most a browser tab simulates faster than real time. */
  maxValidators: 64,
  /** Loss beyond one message in two makes every run a stall. */
  maxLoss: 0.5,
  maxTps: 2_000,
  maxSeed: 0xffff_ffff,
  maxBandwidthBitsPerSecond: 10_000_000_000,
});

export const LATENCY_LABELS: Readonly<Record<LatencyPreset, string>> = Object.freeze({
  lan: 'LAN (5 ms)',
  reference: 'Reference (50 ms)',
  jittery: 'Jittery (50 ± 20 ms)',
  geo: 'Three AWS regions',
  world: 'Six AWS regions',
});

export const BANDWIDTH_CHOICES: readonly { readonly bitsPerSecond: number; readonly label: string }[] = Object.freeze([
  { bitsPerSecond: 0, label: 'Unlimited' },
  { bitsPerSecond: 1_000_000_000, label: '1 Gbit/s' },
  { bitsPerSecond: 100_000_000, label: '100 Mbit/s' },
  { bitsPerSecond: 10_000_000, label: '10 Mbit/s' },
  { bitsPerSecond: 1_000_000, label: '1 Mbit/s' },
]);

export function simLatencyOf(preset: LatencyPreset): SimLatency {
  switch (preset) {
    case 'lan':
      return { kind: 'distribution', distribution: { kind: 'constant', valueMs: 5 } };
    case 'reference':
      return { kind: 'distribution', distribution: { kind: 'constant', valueMs: 50 } };
    case 'jittery':
      return { kind: 'distribution', distribution: { kind: 'lognormal', meanMs: 50, stddevMs: 20 } };
    case 'geo':
    case 'world':
      return { kind: 'preset', preset };
  }
}

/** The preset a scenario's latency line stands for, when it is one of ours. */
export function latencyPresetOf(latency: SimLatency): LatencyPreset | undefined {
  if (latency.kind === 'preset') return latency.preset;
  return LATENCY_PRESETS.find((p) => JSON.stringify(simLatencyOf(p)) === JSON.stringify(latency));
}

export function stakeSpecOf(choice: StakeChoice): StakeSpec {
  return choice === 'equal' ? { kind: 'equal' } : { kind: 'zipf', exponent: 1 };
}

/** The engine's configuration of a run (no Twins prepared: see the header). */
export function toSimConfig(config: RunConfig): SimConfig {
  return Object.freeze({
    validators: config.validators,
    seed: config.seed,
    stake: stakeSpecOf(config.stake),
    latency: simLatencyOf(config.latency),
    ...(config.bandwidthBitsPerSecond > 0 ? { bandwidthBitsPerSecond: config.bandwidthBitsPerSecond } : {}),
    loss: config.loss,
    crypto: config.crypto,
    tps: config.tps,
  });
}

/**
 * The run as a scenario: configuration and fault script. Scenario durations must exceed every
 * action time, so the duration is the later of `untilMs` and just after the last action.
 */
export function toScenario(config: RunConfig, script: readonly TimedAction[], untilMs: number): Scenario {
  const lastActionMs = script.reduce((latest, a) => Math.max(latest, a.atMs), -1);
  return {
    validators: config.validators,
    seed: config.seed,
    stake: stakeSpecOf(config.stake),
    latency: simLatencyOf(config.latency),
    ...(config.bandwidthBitsPerSecond > 0 ? { bandwidthBitsPerSecond: config.bandwidthBitsPerSecond } : {}),
    loss: config.loss,
    duplicate: 0,
    drifts: [],
    crypto: config.crypto,
    tps: config.tps,
    durationMs: Math.max(1, Math.ceil(untilMs), lastActionMs + 1),
    actions: script,
    expectations: [],
  };
}

export type ConfigRejection = { readonly code: 'UNSUPPORTED_SETTING'; readonly setting: string; readonly reason: string };

/** The page's configuration of a scenario, or why the page cannot show it as one. */
export function fromScenario(scenario: Scenario, seed: number): { readonly ok: true; readonly value: RunConfig } | { readonly ok: false; readonly error: ConfigRejection } {
  const reject = (setting: string, reason: string) => ({ ok: false, error: { code: 'UNSUPPORTED_SETTING', setting, reason } }) as const;
  const latency = latencyPresetOf(scenario.latency);
  if (latency === undefined) return reject('latency', 'the page offers the lan, reference, jittery, geo and world latencies only');
  const stake: StakeChoice | undefined = scenario.stake.kind === 'equal' ? 'equal' : scenario.stake.kind === 'zipf' && scenario.stake.exponent === 1 ? 'zipf' : undefined;
  if (stake === undefined) return reject('stake', 'the page offers equal and zipf 1 stakes only');
  if (scenario.duplicate !== 0 || scenario.reorder !== undefined || scenario.drifts.length > 0) return reject('network', 'duplication, reordering and clock drift are not page settings');
  if (scenario.validators > RUN_LIMITS.maxValidators) return reject('validators', `at most ${RUN_LIMITS.maxValidators} validators run in a tab`);
  if (scenario.loss > RUN_LIMITS.maxLoss || scenario.tps > RUN_LIMITS.maxTps) return reject('load', 'loss or offered load beyond the page ranges');
  return {
    ok: true,
    value: Object.freeze({
      validators: scenario.validators,
      stake,
      latency,
      loss: scenario.loss,
      bandwidthBitsPerSecond: scenario.bandwidthBitsPerSecond ?? 0,
      tps: scenario.tps,
      crypto: scenario.crypto,
      seed,
    }),
  };
}
