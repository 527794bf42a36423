/**
 * The message protocol between the simulator page and its worker (HOUSE-RULES 18): one
 * discriminated union each way, and the checks each side runs on what arrives (the boundary
 * takes `unknown`; a malformed message becomes a typed error, never an exception).
 *
 * Page → worker: configure (a run configuration, an optional fault script and a time to run
 * to, for replay links), play / pause / step / speed, a fault, seek, branch.
 * Worker → page: `ready` (a new run began: reset the view), batched `events` (the engine's
 * observe() stream, at most MAX_EVENTS_PER_BATCH per message), `status` (clock, play state,
 * fault script), `metrics` (a snapshot), `explanations` (plain-words lines), `error`.
 */
import { err, ok, type Result } from '../../core/result.ts';
import type { SimEvent, SimSnapshot } from '../../sim/run/index.ts';
import type { ScenarioAction, TimedAction } from '../../sim/scenario/index.ts';
import { LATENCY_PRESETS, RUN_LIMITS, STAKE_CHOICES, type RunConfig } from './config.ts';

/** Events per message: large enough to amortize postMessage, small enough to ingest in a frame. */
export const MAX_EVENTS_PER_BATCH = 2_000;
/** A fault script longer than this is a bug or an attack on the tab, not an experiment. */
export const MAX_SCRIPT_ACTIONS = 1_000;
/** Virtual ms per wall second: from a crawl (a tenth of real time) to as fast as the tab can go. */
export const SPEED_LIMITS = Object.freeze({ min: 100, max: 100_000 });
/** One virtual day, as the scenario format allows. */
export const MAX_TIME_MS = 86_400_000;

/** Faults a person can inject from the page (a subset of the scenario language's actions). */
export type LiveFault = Extract<ScenarioAction, { kind: 'crash' | 'restart' | 'byzantine' | 'partition' | 'heal' }>;

export type PageMessage =
  | { readonly type: 'configure'; readonly config: RunConfig; readonly script: readonly TimedAction[]; readonly untilMs: number | undefined }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step' }
  | { readonly type: 'speed'; readonly virtualMsPerSecond: number }
  | { readonly type: 'fault'; readonly fault: LiveFault }
  | { readonly type: 'seek'; readonly timeMs: number }
  | { readonly type: 'branch' };

export type Explanation = { readonly timeMs: number; readonly text: string; readonly tone: 'info' | 'good' | 'warn' | 'bad' };

export type RunStatus = {
  readonly nowMs: number;
  readonly playing: boolean;
  readonly virtualMsPerSecond: number;
  /** True while a seek re-runs the simulation from the start. */
  readonly seeking: boolean;
  /** Furthest virtual time this run's script has been played to (the scrubber's end). */
  readonly horizonMs: number;
  readonly script: readonly TimedAction[];
};

export type ProtocolErrorCode = 'MALFORMED_MESSAGE' | 'BAD_CONFIG' | 'BAD_FAULT' | 'NOT_CONFIGURED' | 'SIMULATION_FAILED' | 'WORKER_FAILED';
export type ProtocolError = { readonly code: ProtocolErrorCode; readonly message: string };

export type WorkerMessage =
  | { readonly type: 'ready'; readonly config: RunConfig; readonly stakes: readonly number[] }
  | { readonly type: 'events'; readonly events: readonly SimEvent[] }
  | { readonly type: 'status'; readonly status: RunStatus }
  | { readonly type: 'metrics'; readonly snapshot: SimSnapshot }
  | { readonly type: 'explanations'; readonly lines: readonly Explanation[] }
  | { readonly type: 'error'; readonly error: ProtocolError };

type Check<T> = Result<T, ProtocolError>;
type Fields = Readonly<Record<string, unknown>>;

const bad = (code: ProtocolErrorCode, message: string): Check<never> => err({ code, message });
const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isNumberIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const isOneOf = <T extends string>(v: unknown, options: readonly T[]): v is T => typeof v === 'string' && (options as readonly string[]).includes(v);
const isNodeList = (v: unknown): v is readonly number[] => Array.isArray(v) && v.length > 0 && v.length <= RUN_LIMITS.maxValidators && v.every((x) => isInt(x, 0, RUN_LIMITS.maxValidators - 1)) && new Set(v).size === v.length;

export function checkRunConfig(value: unknown): Check<RunConfig> {
  const fail = (what: string) => bad('BAD_CONFIG', `configure: ${what}`);
  if (!isRecord(value)) return fail('the configuration is not an object');
  const { validators, stake, latency, loss, bandwidthBitsPerSecond, tps, crypto, seed } = value;
  if (!isInt(validators, RUN_LIMITS.minValidators, RUN_LIMITS.maxValidators)) return fail(`validators must be an integer in ${RUN_LIMITS.minValidators}..${RUN_LIMITS.maxValidators}`);
  if (!isOneOf(stake, STAKE_CHOICES)) return fail(`stake must be one of ${STAKE_CHOICES.join(', ')}`);
  if (!isOneOf(latency, LATENCY_PRESETS)) return fail(`latency must be one of ${LATENCY_PRESETS.join(', ')}`);
  if (!isNumberIn(loss, 0, RUN_LIMITS.maxLoss)) return fail(`loss must be a probability in 0..${RUN_LIMITS.maxLoss}`);
  if (!isNumberIn(bandwidthBitsPerSecond, 0, RUN_LIMITS.maxBandwidthBitsPerSecond)) return fail('bandwidth must be 0 (unlimited) or a positive number of bits per second');
  if (!isNumberIn(tps, 0, RUN_LIMITS.maxTps)) return fail(`tps must be in 0..${RUN_LIMITS.maxTps}`);
  if (!isOneOf(crypto, ['real', 'modeled'] as const)) return fail('crypto must be real or modeled');
  if (!isInt(seed, 0, RUN_LIMITS.maxSeed)) return fail('seed must be an unsigned 32-bit integer');
  return ok(Object.freeze({ validators, stake, latency, loss, bandwidthBitsPerSecond, tps, crypto, seed }));
}

function checkBehaviour(b: unknown): boolean {
  if (!isRecord(b)) return false;
  switch (b['kind']) {
    case 'equivocate':
    case 'forge':
      return true;
    case 'withhold':
      return isNodeList(b['from']);
    case 'delay':
      return isNumberIn(b['delayMs'], 0, MAX_TIME_MS);
    default:
      return false;
  }
}

function checkPartition(spec: unknown): boolean {
  if (!isRecord(spec)) return false;
  if (spec['kind'] === 'groups') {
    const groups = spec['groups'];
    if (!Array.isArray(groups) || groups.length === 0 || !groups.every(isNodeList)) return false;
    const all = groups.flat();
    return new Set(all).size === all.length;
  }
  if (spec['kind'] === 'oneWay') return isNodeList(spec['from']) && isNodeList(spec['to']);
  if (spec['kind'] === 'between') return isNodeList(spec['a']) && isNodeList(spec['b']);
  return false;
}

/** Checks a fault's shape; node indices are checked against the run by the session. */
export function checkLiveFault(value: unknown): Check<LiveFault> {
  const fail = () => bad('BAD_FAULT', 'fault: not a crash, restart, byzantine, partition or heal action of the expected shape');
  if (!isRecord(value)) return fail();
  const node = value['node'];
  switch (value['kind']) {
    case 'heal':
      return ok({ kind: 'heal' });
    case 'crash':
      return isInt(node, 0, RUN_LIMITS.maxValidators - 1) ? ok({ kind: 'crash', node }) : fail();
    case 'restart':
      return isInt(node, 0, RUN_LIMITS.maxValidators - 1) && isOneOf(value['store'], ['keep', 'wipe'] as const) ? ok({ kind: 'restart', node, store: value['store'] }) : fail();
    case 'byzantine':
      return isInt(node, 0, RUN_LIMITS.maxValidators - 1) && checkBehaviour(value['behaviour']) ? ok(value as LiveFault) : fail();
    case 'partition':
      return checkPartition(value['spec']) ? ok(value as LiveFault) : fail();
    default:
      return fail();
  }
}

function checkScript(value: unknown): Check<readonly TimedAction[]> {
  if (!Array.isArray(value) || value.length > MAX_SCRIPT_ACTIONS) return bad('BAD_FAULT', `configure: the fault script must be a list of at most ${MAX_SCRIPT_ACTIONS} timed actions`);
  const script: TimedAction[] = [];
  let previousMs = 0;
  for (const entry of value as unknown[]) {
    if (!isRecord(entry) || !isInt(entry['atMs'], previousMs, MAX_TIME_MS)) return bad('BAD_FAULT', 'configure: script times must be whole milliseconds in ascending order');
    const action = checkLiveFault(entry['action']);
    if (!action.ok) return action;
    previousMs = entry['atMs'];
    script.push({ atMs: previousMs, action: action.value });
  }
  return ok(script);
}

function checkConfigure(m: Fields): Check<PageMessage> {
  const config = checkRunConfig(m['config']);
  if (!config.ok) return config;
  const script = checkScript(m['script'] ?? []);
  if (!script.ok) return script;
  const untilMs = m['untilMs'];
  if (untilMs !== undefined && !isInt(untilMs, 0, MAX_TIME_MS)) return bad('MALFORMED_MESSAGE', 'configure: untilMs must be whole milliseconds');
  return ok({ type: 'configure', config: config.value, script: script.value, untilMs });
}

/** The worker's check of what the page sends. */
export function checkPageMessage(value: unknown): Check<PageMessage> {
  if (!isRecord(value)) return bad('MALFORMED_MESSAGE', 'a page message must be an object with a type');
  switch (value['type']) {
    case 'configure':
      return checkConfigure(value);
    case 'play':
    case 'pause':
    case 'step':
    case 'branch':
      return ok({ type: value['type'] });
    case 'speed':
      return isNumberIn(value['virtualMsPerSecond'], SPEED_LIMITS.min, SPEED_LIMITS.max)
        ? ok({ type: 'speed', virtualMsPerSecond: value['virtualMsPerSecond'] })
        : bad('MALFORMED_MESSAGE', `speed: virtualMsPerSecond must be in ${SPEED_LIMITS.min}..${SPEED_LIMITS.max}`);
    case 'fault': {
      const fault = checkLiveFault(value['fault']);
      return fault.ok ? ok({ type: 'fault', fault: fault.value }) : fault;
    }
    case 'seek':
      return isNumberIn(value['timeMs'], 0, MAX_TIME_MS) ? ok({ type: 'seek', timeMs: Math.round(value['timeMs']) }) : bad('MALFORMED_MESSAGE', 'seek: timeMs must be a time within one virtual day');
    default:
      return bad('MALFORMED_MESSAGE', `unknown page message type ${JSON.stringify(String(value['type'])).slice(0, 40)}`);
  }
}

const WORKER_TYPES = ['ready', 'events', 'status', 'metrics', 'explanations', 'error'] as const;
const WORKER_PAYLOAD: Readonly<Record<(typeof WORKER_TYPES)[number], string>> = {
  ready: 'config',
  events: 'events',
  status: 'status',
  metrics: 'snapshot',
  explanations: 'lines',
  error: 'error',
};

/**
 * The page's check of what the worker sends: the type and its payload's presence and kind.
 * The worker is our own code, so this guards against version skew and bugs, not an adversary.
 */
export function checkWorkerMessage(value: unknown): Check<WorkerMessage> {
  if (!isRecord(value) || !isOneOf(value['type'], WORKER_TYPES)) return bad('MALFORMED_MESSAGE', 'the simulator worker sent a message of unknown type');
  const payload = value[WORKER_PAYLOAD[value['type']]];
  const listPayload = value['type'] === 'events' || value['type'] === 'explanations';
  if (listPayload ? !Array.isArray(payload) : !isRecord(payload)) return bad('MALFORMED_MESSAGE', `the simulator worker sent a ${value['type']} message without its payload`);
  if (value['type'] === 'ready' && !Array.isArray(value['stakes'])) return bad('MALFORMED_MESSAGE', 'the simulator worker sent ready without stakes');
  return ok(value as WorkerMessage);
}
