/**
 * The simulator worker's speed bench (issue #6: simulated rounds per second in the worker for
 * 16 and 64 validators). It starts the real simulator worker (sim.worker.ts, through the same
 * client the simulator page uses) with the page's default run (modeled crypto, the reference
 * 50 ms latency preset) and the chosen number of validators, plays at the page's maximum speed
 * for a bounded wall time, and reports rounds and virtual milliseconds per wall second.
 *
 * The clock starts at the worker's `ready` (keys, genesis and links built), so setup is
 * reported apart. Rounds are the highest round of any proposed vertex the worker streamed.
 * Caveats: the worker runs in ticks (at most ~12 ms of simulation per ~16 ms), as on the real
 * page, and the page's maximum speed (SPEED_LIMITS.max, 100× real time) caps virtual time:
 * a small network that reaches the cap measures the cap, which the result says.
 */
import type { SimSnapshot } from '../../sim/run/index.ts';
import { DEFAULT_RUN_CONFIG } from '../sim/config.ts';
import { SPEED_LIMITS, type PageMessage, type WorkerMessage } from '../sim/protocol.ts';
import type { BenchState, WorkerBenchArgs } from './args.ts';

/** A run within this fraction of the speed cap is limited by the cap, not by the worker. */
const CAPPED_FRACTION = 0.9;
/** Setup (keys, genesis, n² links) beyond this is a hung worker, not a slow one. */
const SETUP_TIMEOUT_MS = 60_000;

export type WorkerBenchComponents = {
  readonly connect: (onMessage: (message: WorkerMessage) => void) => { send(message: PageMessage): void; terminate(): void };
  readonly nowMs: () => number;
  readonly setTimer: (callback: () => void, delayMs: number) => number;
  readonly clearTimer: (handle: number) => void;
};

export type WorkerBenchResult = {
  readonly validators: number;
  readonly wallSeconds: number;
  readonly setupMs: number;
  readonly rounds: number;
  readonly roundsPerSecond: number;
  readonly virtualMs: number;
  readonly virtualMsPerSecond: number;
  /** True when virtual time ran at (nearly) the page's maximum speed: the cap, not the worker, set the pace. */
  readonly cappedBySpeedLimit: boolean;
  readonly speedLimitVirtualMsPerSecond: number;
  readonly events: number;
  readonly commits: number;
};

export type WorkerBenchProgress = { readonly rounds: number; readonly virtualMs: number };

export class WorkerBench {
  readonly args: WorkerBenchArgs;
  state = $state<BenchState>('idle');
  progress = $state.raw<WorkerBenchProgress>({ rounds: 0, virtualMs: 0 });
  result = $state.raw<WorkerBenchResult | undefined>(undefined);
  error = $state('');

  readonly #components: WorkerBenchComponents;
  #client: { send(message: PageMessage): void; terminate(): void } | undefined;
  #timer: number | undefined;
  #configuredAtMs = 0;
  #readyAtMs: number | undefined;
  #highestRound = 0;
  #virtualMs = 0;
  #snapshot: SimSnapshot | undefined;

  constructor(args: WorkerBenchArgs, components: WorkerBenchComponents) {
    this.args = args;
    this.#components = components;
  }

  start(): void {
    if (this.state !== 'idle') throw new Error('WorkerBench.start: a bench runs once');
    this.state = 'warming';
    const client = this.#components.connect(this.#onMessage);
    this.#client = client;
    this.#configuredAtMs = this.#components.nowMs();
    client.send({ type: 'speed', virtualMsPerSecond: SPEED_LIMITS.max });
    client.send({ type: 'configure', config: { ...DEFAULT_RUN_CONFIG, validators: this.args.validators }, script: [], untilMs: undefined });
    this.#timer = this.#components.setTimer(() => this.#fail(`the worker was not ready after ${SETUP_TIMEOUT_MS / 1000} s`), SETUP_TIMEOUT_MS);
  }

  dispose(): void {
    if (this.#timer !== undefined) this.#components.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#client?.terminate();
    this.#client = undefined;
  }

  readonly #onMessage = (message: WorkerMessage): void => {
    if (this.state === 'done' || this.state === 'failed') return;
    switch (message.type) {
      case 'ready':
        this.#readyAtMs = this.#components.nowMs();
        this.state = 'running';
        if (this.#timer !== undefined) this.#components.clearTimer(this.#timer);
        this.#timer = this.#components.setTimer(() => this.#finish(), this.args.seconds * 1000);
        return;
      case 'events':
        for (const event of message.events) if (event.type === 'vertexProposed' && event.round > this.#highestRound) this.#highestRound = event.round;
        return;
      case 'status':
        this.#virtualMs = message.status.nowMs;
        this.progress = { rounds: this.#highestRound, virtualMs: this.#virtualMs };
        return;
      case 'metrics':
        this.#snapshot = message.snapshot;
        return;
      case 'error':
        return this.#fail(`${message.error.code}: ${message.error.message}`);
      case 'explanations':
        return;
    }
  };

  #finish(): void {
    this.#timer = undefined;
    const wallSeconds = (this.#components.nowMs() - (this.#readyAtMs as number)) / 1000;
    const virtualMsPerSecond = this.#virtualMs / wallSeconds;
    this.result = Object.freeze({
      validators: this.args.validators,
      wallSeconds,
      setupMs: (this.#readyAtMs as number) - this.#configuredAtMs,
      rounds: this.#highestRound,
      roundsPerSecond: this.#highestRound / wallSeconds,
      virtualMs: this.#virtualMs,
      virtualMsPerSecond,
      cappedBySpeedLimit: virtualMsPerSecond >= CAPPED_FRACTION * SPEED_LIMITS.max,
      speedLimitVirtualMsPerSecond: SPEED_LIMITS.max,
      events: this.#snapshot?.events ?? 0,
      commits: this.#snapshot?.commits ?? 0,
    });
    this.state = 'done';
    this.dispose();
  }

  #fail(message: string): void {
    this.error = message;
    this.state = 'failed';
    this.dispose();
  }
}
