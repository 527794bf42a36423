/**
 * Timing script for the DAG view (not a test: speed belongs in benchmarks). Builds a model of
 * 100 validators × 60 rounds (6,000 vertices, ~600,000 parent edges) from synthetic events and
 * times ingest, the renderer's queries and the layout of the visible window, plus one whole
 * frame painted on a context that discards the calls (the CPU side of a frame).
 *
 *   npx tsx web/dag/perf.ts
 *
 * Numbers depend on the machine and its load; compare runs on one machine only.
 */
import { performance } from 'node:perf_hooks';
import { computeLeaderPhases } from './_phases.ts';
import { drawDag, type DrawingContext } from './draw.ts';
import { createGeometry, createViewport, followHead, hitTest, vertexCenter, visibleLanes, visibleRounds, zoomAt } from './layout.ts';
import { createDagModel } from './model.ts';
import { LIGHT_PALETTE } from './palette.ts';
import { committed, roundRobinLeader, syntheticDag, syntheticRef } from './test/syntheticDag.ts';

const VALIDATORS = 100;
const ROUNDS = 60;
/** Repetitions of each timed query, so one measurement is well above the timer's resolution. */
const REPEATS = 50;

function timeMs(label: string, repeats: number, run: () => unknown): number {
  run();
  const start = performance.now();
  for (let i = 0; i < repeats; i++) run();
  const perRunMs = (performance.now() - start) / repeats;
  console.log(`${label.padEnd(58)} ${perRunMs.toFixed(3).padStart(9)} ms`);
  return perRunMs;
}

const noop = (): void => {};
const discardingContext: DrawingContext = {
  save: noop, restore: noop, setTransform: noop, fillRect: noop, beginPath: noop, moveTo: noop, lineTo: noop, arc: noop,
  rect: noop, fill: noop, stroke: noop, fillText: noop,
  fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textAlign: 'left', textBaseline: 'alphabetic',
};

const stakes = Array.from({ length: VALIDATORS }, () => 1);
const events = syntheticDag({ validators: VALIDATORS, rounds: ROUNDS });
const leaderOf = roundRobinLeader(VALIDATORS);
let model = createDagModel({ stakes, leaderOf });
console.log(`${VALIDATORS} validators × ${ROUNDS} rounds = ${events.length} vertices, ${events.reduce((n, e) => n + e.parents.length, 0)} parent refs`);
timeMs('ingest all vertices (fresh model)', 3, () => {
  model = createDagModel({ stakes, leaderOf });
  model.ingestAll(events);
});
for (let round = 1; round <= ROUNDS - 3; round++) model.ingest(committed(0, round, syntheticRef(round, leaderOf(round))));

const g = createGeometry(VALIDATORS);
const fitted = followHead(g, createViewport(g, 1280, 720), ROUNDS);
const zoomed = zoomAt(g, fitted, 3, { x: 1200, y: 360 });
for (const [name, vp] of [['all 6,000 vertices in view', fitted], ['zoomed 3× about the head', zoomed]] as const) {
  const rounds = visibleRounds(g, vp);
  const lanes = visibleLanes(g, vp);
  console.log(`-- ${name}: rounds ${rounds.first}..${rounds.last}, lanes ${lanes.first}..${lanes.last}`);
  timeMs('  query: vertices in the round window', REPEATS, () => model.verticesInRounds(rounds.first, rounds.last));
  const source = { stake: model.stake, slot: model.slot, roundVertices: (r: number) => model.verticesInRounds(r, r) };
  timeMs('  query: phases of every leader in view (uncached)', 5, () => {
    for (let r = rounds.first; r <= Math.min(rounds.last, ROUNDS); r++) computeLeaderPhases(source, r, leaderOf(r));
  });
  timeMs('  query: phases of every leader in view (cached)', REPEATS, () => {
    for (let r = rounds.first; r <= rounds.last; r++) model.phases(r);
  });
  timeMs('  layout: centres of the visible vertices', REPEATS, () => {
    let sum = 0;
    model.forEachVertexInRounds(rounds.first, rounds.last, (v, i, n) => { sum += vertexCenter(g, vp, v.round, v.author, i, n).x; });
    return sum;
  });
  timeMs('  hit test (1,000 points)', 5, () => {
    for (let i = 0; i < 1000; i++) hitTest(g, vp, { x: 44 + (i * 37) % 1200, y: 24 + (i * 53) % 690 }, model.slot);
  });
  timeMs('  whole frame, CPU side (discarding context)', REPEATS, () => drawDag(discardingContext, { model, geometry: g, viewport: vp, palette: LIGHT_PALETTE, laneStates: [], selectedKey: undefined, hoveredKey: undefined, pixelRatio: 1 }));
}
