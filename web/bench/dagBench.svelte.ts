/**
 * The DAG view's frame-rate bench (DESIGN.md §4: "the live DAG view holds 30+ frames per
 * second with 5,000 vertices on screen"). It builds a view model holding exactly the rounds
 * that make the requested vertex count, shows it in the real DagCanvas, changes it every
 * animation frame (a new round arriving while the view follows the head, or an arrow-key pan)
 * and records each frame's timestamp after a warm-up.
 *
 * Each change is made in a task after the frame (as a worker's message or a key press arrives),
 * never inside an animation-frame callback: DagCanvas paints in its own frame callback and
 * cancels a pending paint when `version` moves, so a change made in a frame callback that runs
 * before the canvas's would cancel every paint and the bench would time nothing but the model.
 *
 * Caveats: a frame is counted when requestAnimationFrame calls back, so the figure is the rate
 * the browser managed to present while the view redrew every frame; in `follow` mode rounds
 * arrive once per frame (~60 per second), far faster than a real network makes them, so that
 * figure includes the model's ingest work as a worst case.
 */
import { createGeometry, createViewport, followHead, roundX, visibleLanes, visibleRounds, type LayoutGeometry, type Viewport } from '../dag/layout.ts';
import { createDagModel, type DagModel } from '../dag/model.ts';
import type { BenchState, DagBenchArgs } from './args.ts';
import { summarizeFrames, type FrameSummary } from './frameStats.ts';
import { benchLeaderOf, benchRoundEvents } from './_rounds.ts';

/** Untimed frames first: JIT, the canvas's first allocation, the phases cache filling. */
const WARMUP_MS = 1_000;
/** Frames timed at least (two intervals), however slow the frames: one interval is no rate. */
const MIN_TIMED_FRAMES = 3;
/** How far past its end a run may go to collect MIN_TIMED_FRAMES before it gives up. */
const MAX_OVERRUN_MS = 60_000;
/** Arrow-key presses per pan sweep before turning back; DagCanvas pans 60 px per press. */
const PAN_SWEEP_PRESSES = 8;
/** DagCanvas's pan per arrow key (its PAN_STEP_PX), to know how far a sweep moves the view. */
const PAN_STEP_PX = 60;

export type DagBenchComponents = {
  readonly requestFrame: (callback: (timeMs: number) => void) => number;
  readonly cancelFrame: (handle: number) => void;
  /** Runs `callback` in a task of its own after the current one (setTimeout 0). */
  readonly afterFrame: (callback: () => void) => void;
  readonly nowMs: () => number;
};

/** The canvas the bench draws into, as mounted. */
export type DagBenchStage = {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Sends a key press to the view, as a person's keyboard would. */
  pressKey(key: 'ArrowLeft' | 'ArrowRight'): void;
};

export type DagBenchResult = FrameSummary & {
  readonly mode: DagBenchArgs['mode'];
  readonly validators: number;
  readonly roundsHeld: number;
  /** Fewest vertices on screen at any point of the run (both ends of a pan sweep). */
  readonly verticesOnScreen: number;
  readonly canvasWidthPx: number;
  readonly canvasHeightPx: number;
  /** Mean model ingest time per timed frame (follow mode; 0 when panning). */
  readonly meanIngestMs: number;
};

export class DagBench {
  readonly args: DagBenchArgs;
  readonly model: DagModel;
  readonly roundsHeld: number;
  version = $state(0);
  state = $state<BenchState>('idle');
  result = $state.raw<DagBenchResult | undefined>(undefined);
  error = $state('');

  readonly #components: DagBenchComponents;
  #stage: DagBenchStage | undefined;
  #frameHandle: number | undefined;
  #timestampsMs: number[] = [];
  #nextRound: number;
  #ingestMs = 0;
  #timedFrames = 0;
  #presses = 0;
  #warmupEndMs = 0;
  #endMs = 0;

  constructor(args: DagBenchArgs, components: DagBenchComponents) {
    this.args = args;
    this.#components = components;
    this.roundsHeld = Math.ceil(args.vertices / args.validators);
    this.model = createDagModel({ stakes: Array.from({ length: args.validators }, () => 1), leaderOf: benchLeaderOf(args.validators), maxRounds: this.roundsHeld });
    for (let round = 1; round <= this.roundsHeld; round++) this.model.ingestAll(benchRoundEvents(args.validators, round));
    this.#nextRound = this.roundsHeld + 1;
    this.version = this.model.version();
  }

  start(stage: DagBenchStage): void {
    if (this.state !== 'idle') throw new Error('DagBench.start: a bench runs once');
    this.#stage = stage;
    this.state = 'warming';
    this.#warmupEndMs = this.#components.nowMs() + WARMUP_MS;
    this.#endMs = this.#warmupEndMs + this.args.seconds * 1000;
    this.#frameHandle = this.#components.requestFrame(this.#onFrame);
  }

  dispose(): void {
    if (this.#frameHandle !== undefined) this.#components.cancelFrame(this.#frameHandle);
    this.#frameHandle = undefined;
  }

  readonly #onFrame = (timeMs: number): void => {
    this.#frameHandle = undefined;
    if (timeMs >= this.#warmupEndMs) {
      if (this.state === 'warming') this.state = 'running';
      this.#timestampsMs.push(timeMs);
    }
    if (timeMs >= this.#endMs && this.#timestampsMs.length >= MIN_TIMED_FRAMES) return this.#guarded(() => this.#finish());
    if (timeMs >= this.#endMs + MAX_OVERRUN_MS) {
      return this.#guarded(() => {
        throw new Error(`only ${this.#timestampsMs.length} frames in ${((timeMs - this.#warmupEndMs) / 1000).toFixed(0)} s: the view did not present frames`);
      });
    }
    const timed = this.state === 'running';
    this.#components.afterFrame(() => this.#guarded(() => this.#change(timed)));
    this.#frameHandle = this.#components.requestFrame(this.#onFrame);
  };

  #guarded(work: () => void): void {
    if (this.state === 'failed' || this.state === 'done') return;
    try {
      work();
    } catch (error) {
      this.dispose();
      this.state = 'failed';
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** One frame's change: the next round arrives, or the view pans one step. */
  #change(timed: boolean): void {
    if (this.args.mode === 'follow') {
      const startMs = this.#components.nowMs();
      this.model.ingestAll(benchRoundEvents(this.args.validators, this.#nextRound++));
      if (timed) {
        this.#ingestMs += this.#components.nowMs() - startMs;
        this.#timedFrames++;
      }
      this.version = this.model.version();
      return;
    }
    // Sweeps of PAN_SWEEP_PRESSES presses: right first (the DAG moves left, into the free space
    // before its oldest round), then back.
    const outward = Math.floor(this.#presses / PAN_SWEEP_PRESSES) % 2 === 0;
    this.#presses++;
    (this.#stage as DagBenchStage).pressKey(outward ? 'ArrowRight' : 'ArrowLeft');
  }

  #finish(): void {
    const stage = this.#stage as DagBenchStage;
    const frames = summarizeFrames(this.#timestampsMs);
    this.result = Object.freeze({
      ...frames,
      mode: this.args.mode,
      validators: this.args.validators,
      roundsHeld: this.roundsHeld,
      verticesOnScreen: this.#fewestVerticesOnScreen(stage),
      canvasWidthPx: stage.widthPx,
      canvasHeightPx: stage.heightPx,
      meanIngestMs: this.#timedFrames === 0 ? 0 : this.#ingestMs / this.#timedFrames,
    });
    this.state = 'done';
  }

  /** Vertices inside the canvas at the view's extreme positions (the view as DagCanvas lays it out). */
  #fewestVerticesOnScreen(stage: DagBenchStage): number {
    const g = createGeometry(this.args.validators);
    const head = this.model.roundRange()?.highest ?? 1;
    const atHead = followHead(g, createViewport(g, stage.widthPx, stage.heightPx), head);
    if (this.args.mode === 'follow') return verticesOnScreen(this.model, g, atHead);
    const sweptPx = Math.min(this.#presses, PAN_SWEEP_PRESSES) * PAN_STEP_PX;
    return Math.min(verticesOnScreen(this.model, g, atHead), verticesOnScreen(this.model, g, Object.freeze({ ...atHead, x: atHead.x - sweptPx })));
  }
}

/** Vertices whose centre lies inside the plot area of `vp`. */
export function verticesOnScreen(model: DagModel, g: LayoutGeometry, vp: Viewport): number {
  const rounds = visibleRounds(g, vp);
  const lanes = visibleLanes(g, vp);
  let count = 0;
  model.forEachVertexInRounds(rounds.first, rounds.last, (v) => {
    const x = roundX(g, vp, v.round);
    if (x >= g.gutterLeftPx && x <= vp.widthPx && v.author >= lanes.first && v.author <= lanes.last) count++;
  });
  return count;
}
