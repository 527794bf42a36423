/**
 * The bench page's arguments, read from the URL fragment after `?` (route.svelte.ts):
 *
 *   #bench?vertices=5000[&validators=100][&mode=follow|pan][&seconds=5]   the DAG view's frame rate
 *   #bench?worker=16[&seconds=5]                                          the simulator worker's speed
 *
 * `bench/suites/webapp.ts` opens these pages in headless Chromium (DESIGN.md §4 targets).
 * Bad arguments are a value (HOUSE-RULES 8): the page shows what was wrong and how to ask.
 */
import { err, ok, type Result } from '../../core/result.ts';
import { DEFAULT_MAX_ROUNDS } from '../dag/model.ts';
import { RUN_LIMITS } from '../sim/config.ts';

/**
 * How the DAG view changes every frame: `follow` ingests one new round per frame while the view
 * follows the head (the live view, with rounds arriving faster than any real network sends
 * them); `pan` pans a fixed DAG left and right with the arrow keys (drawing only).
 */
export const DAG_BENCH_MODES = ['follow', 'pan'] as const;
export type DagBenchMode = (typeof DAG_BENCH_MODES)[number];

export type DagBenchArgs = {
  readonly kind: 'dag';
  /** Vertices on screen: the model keeps ⌈vertices / validators⌉ rounds, all of them in view. */
  readonly vertices: number;
  readonly validators: number;
  readonly mode: DagBenchMode;
  readonly seconds: number;
};

export type WorkerBenchArgs = { readonly kind: 'worker'; readonly validators: number; readonly seconds: number };

export type BenchArgs = DagBenchArgs | WorkerBenchArgs;

/** Where a bench is: the DOM shows it as `data-state`, which the bench runner waits on. */
export type BenchState = 'idle' | 'warming' | 'running' | 'done' | 'failed';

export type BenchArgsError = { readonly code: 'BAD_BENCH_ARGS'; readonly message: string };

/** DESIGN.md §4's reference network has 100 validators; 5,000 vertices is then 50 rounds. */
export const DEFAULT_DAG_VALIDATORS = 100;
export const DEFAULT_BENCH_SECONDS = 5;
export const BENCH_LIMITS = Object.freeze({
  minVertices: 1,
  /** Twenty times DESIGN.md §4's 5,000: beyond that the page measures the machine's patience. */
  maxVertices: 100_000,
  maxDagValidators: 1_000,
  /** A bench longer than a minute only tells how patient its reader is. */
  maxSeconds: 60,
});

export const BENCH_USAGE = '#bench?vertices=5000[&validators=100][&mode=follow|pan][&seconds=5] or #bench?worker=16[&seconds=5]';

const bad = (message: string): Result<never, BenchArgsError> => err({ code: 'BAD_BENCH_ARGS', message: `${message}; usage: ${BENCH_USAGE}` });

function integerIn(params: URLSearchParams, name: string, min: number, max: number, fallback: number | undefined): Result<number, BenchArgsError> {
  const text = params.get(name);
  if (text === null) return fallback === undefined ? bad(`${name} is missing`) : ok(fallback);
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) return bad(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(text.slice(0, 20))}`);
  return ok(value);
}

/** The arguments of a `#bench?…` fragment (the part before `?` is not looked at). */
export function parseBenchArgs(fragment: string): Result<BenchArgs, BenchArgsError> {
  const question = fragment.indexOf('?');
  const params = new URLSearchParams(question < 0 ? '' : fragment.slice(question + 1));
  const seconds = integerIn(params, 'seconds', 1, BENCH_LIMITS.maxSeconds, DEFAULT_BENCH_SECONDS);
  if (!seconds.ok) return seconds;
  if (params.has('vertices') === params.has('worker')) return bad('give either vertices or worker');
  if (params.has('worker')) {
    const validators = integerIn(params, 'worker', RUN_LIMITS.minValidators, RUN_LIMITS.maxValidators, undefined);
    return validators.ok ? ok(Object.freeze({ kind: 'worker', validators: validators.value, seconds: seconds.value })) : validators;
  }
  const vertices = integerIn(params, 'vertices', BENCH_LIMITS.minVertices, BENCH_LIMITS.maxVertices, undefined);
  if (!vertices.ok) return vertices;
  const validators = integerIn(params, 'validators', 1, BENCH_LIMITS.maxDagValidators, DEFAULT_DAG_VALIDATORS);
  if (!validators.ok) return validators;
  if (Math.ceil(vertices.value / validators.value) > DEFAULT_MAX_ROUNDS) return bad(`vertices / validators must be at most ${DEFAULT_MAX_ROUNDS} rounds, the most the view holds`);
  const mode = params.get('mode') ?? 'follow';
  if (!(DAG_BENCH_MODES as readonly string[]).includes(mode)) return bad(`mode must be one of ${DAG_BENCH_MODES.join(', ')}`);
  return ok(Object.freeze({ kind: 'dag', vertices: vertices.value, validators: validators.value, mode: mode as DagBenchMode, seconds: seconds.value }));
}
