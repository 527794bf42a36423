/**
 * The simulator worker: runs the deterministic network simulation off the page's thread
 * (HOUSE-RULES 18) and streams what happens. Protocol: protocol.ts; the run itself: session.ts.
 *
 * Loop: while playing (or seeking), one tick every frame's worth of wall time advances the
 * virtual clock by speed × elapsed wall time, in slices of SLICE_EVENTS engine events until
 * TICK_BUDGET_MS of wall time is spent, so pause and faults are answered within a frame. When
 * the engine cannot keep up, virtual time simply falls behind the requested speed.
 * After every tick: events in batches of at most MAX_EVENTS_PER_BATCH, explanations, the status;
 * a metrics snapshot at most every METRICS_INTERVAL_MS. Every exception becomes an `error`
 * message (a validator's assertion beyond f Byzantine, a bug): the page never waits on a dead worker.
 */
import { workerScope } from '../crypto/_workerScope.ts';
import { checkPageMessage, MAX_EVENTS_PER_BATCH, type LiveFault, type PageMessage, type ProtocolError, type WorkerMessage } from './protocol.ts';
import { createSimSession, STEP_MS, type SimSession } from './session.ts';
import type { RunConfig } from './config.ts';
import type { TimedAction } from '../../sim/scenario/index.ts';

/** Engine events per slice between wall-clock checks. */
const SLICE_EVENTS = 400;
/** Wall time one tick may spend simulating: most of a 60 Hz frame, leaving time for messages. */
const TICK_BUDGET_MS = 12;
/** Wall time between ticks. */
const TICK_INTERVAL_MS = 16;
/** A long pause of the tab (background, debugger) must not turn into a jump of virtual time. */
const MAX_WALL_STEP_MS = 100;
const METRICS_INTERVAL_MS = 250;
/** Default speed: real time (one virtual second per wall second), slow enough to follow rounds. */
const DEFAULT_SPEED = 1_000;

const scope = workerScope();

type State = {
  session: SimSession | undefined;
  /** Bumped by every configure and backwards seek; a stale async continuation checks it. */
  generation: number;
  playing: boolean;
  speed: number;
  /** A seek or replay in progress: run as fast as possible to here, then pause. */
  seekTargetMs: number | undefined;
  failed: boolean;
  lastTickWallMs: number;
  lastMetricsWallMs: number;
  tickPending: boolean;
};

const state: State = { session: undefined, generation: 0, playing: false, speed: DEFAULT_SPEED, seekTargetMs: undefined, failed: false, lastTickWallMs: 0, lastMetricsWallMs: 0, tickPending: false };

function post(message: WorkerMessage): void {
  scope.postMessage(message, []);
}

function postError(error: ProtocolError): void {
  post({ type: 'error', error });
}

function failed(error: unknown): void {
  state.playing = false;
  state.seekTargetMs = undefined;
  state.failed = true;
  postError({ code: 'SIMULATION_FAILED', message: error instanceof Error ? error.message : String(error) });
  flush(true);
}

function flush(withMetrics: boolean): void {
  const session = state.session;
  if (session === undefined) return;
  for (let batch = session.drainEvents(MAX_EVENTS_PER_BATCH); batch.length > 0; batch = session.drainEvents(MAX_EVENTS_PER_BATCH)) post({ type: 'events', events: batch });
  const lines = session.drainExplanations();
  if (lines.length > 0) post({ type: 'explanations', lines });
  post({
    type: 'status',
    status: { nowMs: session.nowMs, playing: state.playing, virtualMsPerSecond: state.speed, seeking: state.seekTargetMs !== undefined, horizonMs: session.horizonMs, script: session.script },
  });
  const wallMs = performance.now();
  if (withMetrics || wallMs - state.lastMetricsWallMs >= METRICS_INTERVAL_MS) {
    state.lastMetricsWallMs = wallMs;
    post({ type: 'metrics', snapshot: session.snapshot() });
  }
}

function schedule(): void {
  if (state.tickPending || (!state.playing && state.seekTargetMs === undefined)) return;
  state.tickPending = true;
  setTimeout(() => enqueue(tick), TICK_INTERVAL_MS);
}

/** Runs toward `targetMs` for at most the tick's wall budget; true when it got there. */
async function runFor(session: SimSession, targetMs: number, startWallMs: number): Promise<boolean> {
  for (;;) {
    if (await session.advanceTo(targetMs, SLICE_EVENTS)) return true;
    if (performance.now() - startWallMs >= TICK_BUDGET_MS) return false;
  }
}

async function tick(): Promise<void> {
  state.tickPending = false;
  const session = state.session;
  const generation = state.generation;
  if (session === undefined || state.failed) return;
  const startWallMs = performance.now();
  try {
    if (state.seekTargetMs !== undefined) {
      const reached = await runFor(session, state.seekTargetMs, startWallMs);
      if (generation !== state.generation) return;
      if (reached) {
        state.seekTargetMs = undefined;
        state.playing = false;
        await session.settle();
      }
    } else if (state.playing) {
      const wallStepMs = Math.min(MAX_WALL_STEP_MS, startWallMs - state.lastTickWallMs);
      const targetMs = Math.floor(session.nowMs + (state.speed * wallStepMs) / 1000);
      await runFor(session, targetMs, startWallMs);
      if (generation !== state.generation) return;
    }
    state.lastTickWallMs = startWallMs;
    flush(state.seekTargetMs === undefined && !state.playing);
  } catch (error) {
    if (generation === state.generation) failed(error);
    return;
  }
  schedule();
}

async function startRun(config: RunConfig, script: readonly TimedAction[], untilMs: number | undefined): Promise<void> {
  const generation = ++state.generation;
  state.playing = false;
  state.failed = false;
  state.seekTargetMs = undefined;
  const session = await createSimSession(config, script);
  if (generation !== state.generation) return;
  state.session = session;
  post({ type: 'ready', config, stakes: session.stakes });
  // A replay link runs to its moment and pauses; a fresh run starts playing.
  if (untilMs !== undefined && untilMs > 0) state.seekTargetMs = untilMs;
  else state.playing = true;
  state.lastTickWallMs = performance.now();
  flush(true);
  schedule();
}

async function seek(session: SimSession, timeMs: number): Promise<void> {
  if (timeMs >= session.nowMs) {
    state.seekTargetMs = timeMs;
    schedule();
    return;
  }
  // Backwards: the same seed and script from the start (see session.ts), then pause at timeMs.
  await startRun(session.config, session.script, timeMs === 0 ? undefined : timeMs);
  if (timeMs === 0) {
    state.playing = false;
    flush(true);
  }
}

async function inject(session: SimSession, fault: LiveFault): Promise<void> {
  const problem = await session.inject(fault);
  if (problem !== undefined) postError(problem);
  flush(true);
}

async function handle(message: PageMessage): Promise<void> {
  if (message.type === 'configure') return startRun(message.config, message.script, message.untilMs);
  if (message.type === 'speed') {
    state.speed = message.virtualMsPerSecond;
    return flush(false);
  }
  const session = state.session;
  if (session === undefined) return postError({ code: 'NOT_CONFIGURED', message: `${message.type}: no run is configured yet` });
  if (state.failed && message.type !== 'seek') return postError({ code: 'SIMULATION_FAILED', message: `${message.type}: the run stopped after an error; seek back or start a new run` });
  switch (message.type) {
    case 'play':
      state.playing = true;
      state.seekTargetMs = undefined;
      state.lastTickWallMs = performance.now();
      schedule();
      return flush(false);
    case 'pause':
      state.playing = false;
      state.seekTargetMs = undefined;
      await session.settle();
      return flush(true);
    case 'step':
      state.playing = false;
      await session.advanceTo(Math.ceil(session.nowMs) + STEP_MS, Number.MAX_SAFE_INTEGER);
      return flush(true);
    case 'fault':
      return inject(session, message.fault);
    case 'seek':
      return seek(session, message.timeMs);
    case 'branch':
      await session.settle();
      session.branch();
      return flush(true);
  }
}

/** Messages and ticks run one at a time, in order: a fault never interleaves with a slice of the run. */
let queue: Promise<void> = Promise.resolve();

function enqueue(work: () => Promise<void>): void {
  queue = queue.then(work).catch(failed);
}

scope.onmessage = (event) => {
  const checked = checkPageMessage(event.data);
  if (!checked.ok) return postError(checked.error);
  enqueue(() => handle(checked.value));
};
