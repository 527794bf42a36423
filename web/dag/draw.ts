/**
 * Paints one frame of the DAG view on a 2D canvas context: the finalized region, lanes, parent
 * edges, vertices coloured by PBFT phase for the focused leader, committed (ring) and skipped
 * (cross) leader marks, equivocations, the selection, lane labels and the round axis.
 *
 * Only the visible window is touched: the loops run over the rounds and lanes in view and
 * fetch each slot from the model, so a frame costs O(vertices on screen), whatever the model
 * holds (DESIGN.md §4: 30+ fps with 5,000 vertices on screen). Parent edges have a budget: a
 * zoomed-out view of 100 validators has ~100 parents per vertex, half a million lines a frame,
 * which no canvas draws at 30 fps — beyond the budget only the focused leader's phase edges (its
 * commit edges sampled down to THINNED_COMMIT_EDGES) and the selection's parents are drawn, and
 * the frame says so.
 *
 * d3 is not used here: layout.ts computes, this file draws (HOUSE-RULES 17).
 */
import { laneY, roundTicks, roundX, vertexCenter, vertexRadiusPx, visibleLanes, visibleRounds, type LayoutGeometry, type Viewport } from './layout.ts';
import type { DagModel, LeaderPhases } from './model.ts';
import type { DagPalette } from './palette.ts';
import type { DagRef, LaneState } from './types.ts';
import { refKey, type VertexKey, type ViewVertex } from './vertex.ts';

/** The part of CanvasRenderingContext2D a frame uses (a test can record it). */
export type DrawingContext = Pick<
  CanvasRenderingContext2D,
  'save' | 'restore' | 'setTransform' | 'fillRect' | 'beginPath' | 'moveTo' | 'lineTo' | 'arc' | 'rect' | 'fill' | 'stroke' | 'fillText'
> & {
  fillStyle: CanvasRenderingContext2D['fillStyle'];
  strokeStyle: CanvasRenderingContext2D['strokeStyle'];
  lineWidth: number;
  font: string;
  textAlign: CanvasTextAlign;
  textBaseline: CanvasTextBaseline;
};

export type DagScene = {
  readonly model: DagModel;
  readonly geometry: LayoutGeometry;
  readonly viewport: Viewport;
  readonly palette: DagPalette;
  readonly laneStates: readonly LaneState[];
  readonly selectedKey: VertexKey | undefined;
  readonly hoveredKey: VertexKey | undefined;
  /** The validator chosen for faults: its lane is banded, outlined and its label marked. */
  readonly selectedLane?: number | undefined;
  /** Device pixels per CSS pixel. */
  readonly pixelRatio: number;
};

export type FrameStats = {
  readonly firstRound: number;
  readonly lastRound: number;
  readonly verticesDrawn: number;
  readonly edgesDrawn: number;
  /** True when the edge budget was exceeded and only highlighted edges were drawn. */
  readonly edgesThinned: boolean;
  readonly focusLeaderRound: number | undefined;
  readonly committedInView: number;
  readonly skippedInView: number;
};

/** Most parent edges drawn in one frame: about what a 2D canvas strokes in a few ms. */
export const EDGE_BUDGET_PER_FRAME = 12_000;
/** Below this zoomed vertex radius, squares replace circles (cheaper, and look the same). */
const SQUARE_BELOW_RADIUS_PX = 2.5;
const LABEL_FONT = '11px system-ui, sans-serif';
const SELECTED_LABEL_FONT = 'bold 11px system-ui, sans-serif';

/**
 * The leader whose phases are coloured: the one the hovered (else selected) vertex plays a part
 * for, else the newest leader with its commit round present.
 */
export function focusLeaderRound(model: DagModel, keys: readonly (VertexKey | undefined)[]): number | undefined {
  for (const key of keys) {
    if (key === undefined) continue;
    const role = model.details(key)?.roles[0];
    if (role !== undefined) return role.leaderRound;
  }
  return model.latestLeaderRound();
}

/** Centres of the vertices of one style, flat, so a frame allocates no object per vertex. */
type DotBatch = { readonly xs: number[]; readonly ys: number[] };
const newBatch = (): DotBatch => ({ xs: [], ys: [] });

type VertexBatches = {
  readonly plain: DotBatch;
  readonly prePrepare: DotBatch;
  readonly prepare: DotBatch;
  readonly commit: DotBatch;
  readonly equivocating: DotBatch;
};

type Window = { readonly firstRound: number; readonly lastRound: number; readonly lanes: { readonly first: number; readonly last: number } };

type Point = { readonly x: number; readonly y: number };

export function drawDag(ctx: DrawingContext, scene: DagScene): FrameStats {
  const { model, geometry: g, viewport: vp, palette } = scene;
  ctx.setTransform(scene.pixelRatio, 0, 0, scene.pixelRatio, 0, 0);
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, vp.widthPx, vp.heightPx);

  const range = model.roundRange();
  const visible = visibleRounds(g, vp);
  const view: Window = {
    firstRound: Math.max(visible.first, range?.lowest ?? 1),
    lastRound: Math.min(visible.last, range?.highest ?? 0),
    lanes: visibleLanes(g, vp),
  };
  drawBackground(ctx, scene, view.lanes);
  const focusRound = focusLeaderRound(model, [scene.hoveredKey, scene.selectedKey]);
  const focus = focusRound === undefined ? undefined : model.phases(focusRound);
  const batches = batchVertices(scene, view, focus);
  const edges = drawEdges(ctx, scene, view, batches.parentEdges, focus);
  drawVertices(ctx, scene, batches);
  const marks = drawLeaderMarks(ctx, scene, view);
  drawSelection(ctx, scene);
  drawLaneLabels(ctx, scene, view.lanes);
  drawRoundAxis(ctx, scene);
  if (edges.thinned) {
    ctx.fillStyle = palette.inkSoft;
    ctx.font = LABEL_FONT;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    ctx.fillText('zoom in to see every parent edge', g.gutterLeftPx + 6, vp.heightPx - 4);
  }
  return Object.freeze({
    firstRound: view.firstRound, lastRound: view.lastRound, verticesDrawn: batches.count, edgesDrawn: edges.drawn,
    edgesThinned: edges.thinned, focusLeaderRound: focusRound, ...marks,
  });
}

function drawBackground(ctx: DrawingContext, scene: DagScene, lanes: { readonly first: number; readonly last: number }): void {
  const { model, geometry: g, viewport: vp, palette } = scene;
  const bandHeight = vp.k * g.laneSpacingPx;
  for (let lane = lanes.first; lane <= lanes.last; lane++) {
    const top = laneY(g, vp, lane) - bandHeight / 2;
    const state = scene.laneStates[lane] ?? 'up';
    const fill = state === 'crashed' ? palette.crashedLane : state === 'byzantine' ? palette.byzantineLane : lane % 2 === 0 ? palette.laneBand : undefined;
    if (fill === undefined) continue;
    ctx.fillStyle = fill;
    ctx.fillRect(g.gutterLeftPx, top, vp.widthPx - g.gutterLeftPx, bandHeight);
  }
  drawSelectedLane(ctx, scene, lanes);
  const finalized = model.finalizedRound();
  const lowest = model.roundRange()?.lowest ?? 1;
  if (finalized >= lowest) {
    const left = Math.max(g.gutterLeftPx, roundX(g, vp, lowest - 0.5));
    const right = Math.min(vp.widthPx, roundX(g, vp, finalized + 0.5));
    if (right > left) {
      ctx.fillStyle = palette.finalized;
      ctx.fillRect(left, g.axisHeightPx, right - left, vp.heightPx - g.axisHeightPx);
    }
  }
}

/** Visits each vertex in the window (rounds × lanes in view), with its centre. */
function forEachVisible(scene: DagScene, view: Window, visit: (vertex: ViewVertex, x: number, y: number, slotSize: number) => void): void {
  const { model, geometry: g, viewport: vp } = scene;
  for (let round = view.firstRound; round <= view.lastRound; round++) {
    for (let author = view.lanes.first; author <= view.lanes.last; author++) {
      const slot = model.slot(round, author);
      for (let index = 0; index < slot.length; index++) {
        const c = vertexCenter(g, vp, round, author, index, slot.length);
        visit(slot[index] as ViewVertex, c.x, c.y, slot.length);
      }
    }
  }
}

function batchVertices(scene: DagScene, view: Window, focus: LeaderPhases | undefined): VertexBatches & { readonly count: number; readonly parentEdges: number } {
  const role = new Map<VertexKey, 'prePrepare' | 'prepare' | 'commit'>();
  for (const c of focus?.candidates ?? []) {
    for (const v of c.commits) role.set(v.key, 'commit');
    for (const v of c.prepares) role.set(v.key, 'prepare');
    role.set(c.vertex.key, 'prePrepare');
  }
  const batches: VertexBatches = { plain: newBatch(), prePrepare: newBatch(), prepare: newBatch(), commit: newBatch(), equivocating: newBatch() };
  let count = 0;
  let parentEdges = 0;
  forEachVisible(scene, view, (vertex, x, y, slotSize) => {
    const batch = batches[role.get(vertex.key) ?? 'plain'];
    batch.xs.push(x);
    batch.ys.push(y);
    if (slotSize > 1) {
      batches.equivocating.xs.push(x);
      batches.equivocating.ys.push(y);
    }
    count++;
    parentEdges += vertex.parents.length;
  });
  return { ...batches, count, parentEdges };
}

/** Where a vertex is drawn (it may be outside the window), or undefined when it is not held. */
function placeOf(scene: DagScene, ref: DagRef): Point | undefined {
  const slot = scene.model.slot(ref.round, ref.author);
  const index = slot.length === 1 ? (slot[0]?.ref.digest === ref.digest ? 0 : -1) : slot.findIndex((v) => v.ref.digest === ref.digest);
  if (index < 0) return undefined;
  return vertexCenter(scene.geometry, scene.viewport, ref.round, ref.author, index, slot.length);
}

/**
 * Commit → prepare edges drawn when the frame is thinned. At 100 validators a leader has ~100
 * commit vertices each counting ~67 prepares: 6,700 highlighted lines, which alone take seconds
 * per frame on a software-rendered canvas. An even sample of them shows the phase as well.
 */
export const THINNED_COMMIT_EDGES = 400;

type PhaseEdges = { readonly prepares: readonly (readonly [DagRef, DagRef])[]; readonly commits: readonly (readonly [DagRef, DagRef])[] };

/** The focused leader's phase edges (prepare → leader, commit → the prepares it counts), cached per phases value. */
const phaseEdgesCache = new WeakMap<LeaderPhases, PhaseEdges>();
function phaseEdges(focus: LeaderPhases): PhaseEdges {
  const cached = phaseEdgesCache.get(focus);
  if (cached !== undefined) return cached;
  const prepares: (readonly [DagRef, DagRef])[] = [];
  const commits: (readonly [DagRef, DagRef])[] = [];
  for (const candidate of focus.candidates) {
    const prepareKeys = new Set(candidate.prepares.map((v) => v.key));
    for (const prepare of candidate.prepares) prepares.push([prepare.ref, candidate.vertex.ref]);
    for (const commit of candidate.commits) {
      for (const parent of commit.parents) if (prepareKeys.has(refKey(parent))) commits.push([commit.ref, parent]);
    }
  }
  const edges = Object.freeze({ prepares, commits });
  phaseEdgesCache.set(focus, edges);
  return edges;
}

function drawEdges(ctx: DrawingContext, scene: DagScene, view: Window, parentEdges: number, focus: LeaderPhases | undefined): { drawn: number; thinned: boolean } {
  const thinned = parentEdges > EDGE_BUDGET_PER_FRAME;
  let drawn = 0;
  const line = (from: Point | undefined, to: Point | undefined): void => {
    if (from === undefined || to === undefined) return;
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    drawn++;
  };
  if (!thinned) {
    ctx.strokeStyle = scene.palette.edge;
    ctx.lineWidth = 1;
    ctx.beginPath();
    forEachVisible(scene, view, (vertex, x, y) => {
      for (const parent of vertex.parents) line({ x, y }, placeOf(scene, parent));
    });
    ctx.stroke();
  }
  // Highlighted: the focused leader's phases, and the selected vertex's parents.
  ctx.strokeStyle = scene.palette.edgeHighlight;
  ctx.lineWidth = 1.25;
  ctx.beginPath();
  if (focus !== undefined) {
    const { prepares, commits } = phaseEdges(focus);
    for (const [from, to] of prepares) line(placeOf(scene, from), placeOf(scene, to));
    const stride = thinned ? Math.max(1, Math.ceil(commits.length / THINNED_COMMIT_EDGES)) : 1;
    for (let i = 0; i < commits.length; i += stride) {
      const [from, to] = commits[i] as readonly [DagRef, DagRef];
      line(placeOf(scene, from), placeOf(scene, to));
    }
  }
  const selected = scene.selectedKey === undefined ? undefined : scene.model.vertex(scene.selectedKey);
  if (selected !== undefined) {
    const from = placeOf(scene, selected.ref);
    for (const parent of selected.parents) line(from, placeOf(scene, parent));
  }
  ctx.stroke();
  return { drawn, thinned };
}

function fillDots(ctx: DrawingContext, fill: string, batch: DotBatch, radius: number): void {
  if (batch.xs.length === 0) return;
  ctx.fillStyle = fill;
  ctx.beginPath();
  for (let i = 0; i < batch.xs.length; i++) {
    const x = batch.xs[i] as number;
    const y = batch.ys[i] as number;
    if (radius < SQUARE_BELOW_RADIUS_PX) ctx.rect(x - radius, y - radius, 2 * radius, 2 * radius);
    else {
      ctx.moveTo(x + radius, y);
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
    }
  }
  ctx.fill();
}

function strokeRings(ctx: DrawingContext, stroke: string, lineWidth: number, batch: DotBatch, radius: number): void {
  if (batch.xs.length === 0) return;
  ctx.strokeStyle = stroke;
  ctx.lineWidth = lineWidth;
  ctx.beginPath();
  for (let i = 0; i < batch.xs.length; i++) {
    const x = batch.xs[i] as number;
    const y = batch.ys[i] as number;
    ctx.moveTo(x + radius, y);
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
  }
  ctx.stroke();
}

function drawVertices(ctx: DrawingContext, scene: DagScene, batches: VertexBatches): void {
  const { palette, geometry: g, viewport: vp } = scene;
  const radius = vertexRadiusPx(g, vp);
  fillDots(ctx, palette.vertex, batches.plain, radius);
  fillDots(ctx, palette.prepare, batches.prepare, radius);
  fillDots(ctx, palette.commit, batches.commit, radius);
  // The focused leader is drawn larger: its phase shows by size as well as by hue.
  fillDots(ctx, palette.prePrepare, batches.prePrepare, radius * 1.35);
  // Equivocations: a reddish-purple outline on every vertex of a slot with two or more.
  strokeRings(ctx, palette.equivocation, 2, batches.equivocating, vertexRadiusPx(g, vp, 2) + 2.5);
}

function drawLeaderMarks(ctx: DrawingContext, scene: DagScene, view: Window): { committedInView: number; skippedInView: number } {
  const { model, geometry: g, viewport: vp, palette } = scene;
  let committedInView = 0;
  let skippedInView = 0;
  const radius = vertexRadiusPx(g, vp);
  const leaders = newBatch();
  const committedRings = newBatch();
  ctx.strokeStyle = palette.ink;
  ctx.lineWidth = Math.max(1.25, radius / 3);
  ctx.beginPath();
  for (let round = view.firstRound; round <= view.lastRound; round++) {
    const leader = model.leaderOf(round);
    if (leader === undefined) continue;
    for (const v of model.slot(round, leader)) {
      const p = placeOf(scene, v.ref) as Point;
      leaders.xs.push(p.x);
      leaders.ys.push(p.y);
    }
    const decision = model.decision(round);
    if (decision?.status === 'committed') {
      committedInView++;
      const p = placeOf(scene, { round, author: leader, digest: decision.digest });
      if (p !== undefined) {
        committedRings.xs.push(p.x);
        committedRings.ys.push(p.y);
      }
    } else if (decision?.status === 'skipped') {
      skippedInView++;
      const c = vertexCenter(g, vp, round, leader, 0, 1);
      const arm = radius + 3;
      ctx.moveTo(c.x - arm, c.y - arm);
      ctx.lineTo(c.x + arm, c.y + arm);
      ctx.moveTo(c.x + arm, c.y - arm);
      ctx.lineTo(c.x - arm, c.y + arm);
    }
  }
  ctx.stroke();
  // Every leader vertex carries a thin vermillion outline, so leaders stand out in any round.
  strokeRings(ctx, palette.prePrepare, 1.5, leaders, radius + 1.5);
  strokeRings(ctx, palette.ink, Math.max(1.25, radius / 3), committedRings, radius + 4);
  return { committedInView, skippedInView };
}

function drawSelection(ctx: DrawingContext, scene: DagScene): void {
  const radius = vertexRadiusPx(scene.geometry, scene.viewport) + 6;
  const ring = (key: VertexKey | undefined, width: number): void => {
    const vertex = key === undefined ? undefined : scene.model.vertex(key);
    const p = vertex === undefined ? undefined : placeOf(scene, vertex.ref);
    if (p === undefined) return;
    strokeRings(ctx, scene.palette.ink, width, { xs: [p.x], ys: [p.y] }, radius);
  };
  ring(scene.hoveredKey, 1);
  ring(scene.selectedKey, 2.5);
}

/** The selected lane: a tinted band with an outline over its whole width, gutter included (not hue alone). */
function drawSelectedLane(ctx: DrawingContext, scene: DagScene, lanes: { readonly first: number; readonly last: number }): void {
  const lane = scene.selectedLane;
  if (lane === undefined || lane < lanes.first || lane > lanes.last) return;
  const { geometry: g, viewport: vp, palette } = scene;
  const bandHeight = vp.k * g.laneSpacingPx;
  const top = laneY(g, vp, lane) - bandHeight / 2;
  ctx.fillStyle = palette.selectedLane;
  ctx.fillRect(0, top, vp.widthPx, bandHeight);
  ctx.strokeStyle = palette.ink;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0, top + 0.5);
  ctx.lineTo(vp.widthPx, top + 0.5);
  ctx.moveTo(0, top + bandHeight - 0.5);
  ctx.lineTo(vp.widthPx, top + bandHeight - 0.5);
  ctx.stroke();
}

function drawLaneLabels(ctx: DrawingContext, scene: DagScene, lanes: { readonly first: number; readonly last: number }): void {
  const { geometry: g, viewport: vp, palette } = scene;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, g.gutterLeftPx, vp.heightPx);
  ctx.font = LABEL_FONT;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  // Label every lane while they are 12 px apart or more, else every n-th.
  const step = Math.max(1, Math.ceil(12 / (vp.k * g.laneSpacingPx)));
  for (let lane = lanes.first; lane <= lanes.last; lane++) {
    const selected = lane === scene.selectedLane;
    // The selected lane is always labelled, whatever the density.
    if (lane % step !== 0 && !selected) continue;
    const state = scene.laneStates[lane] ?? 'up';
    ctx.fillStyle = state === 'up' && !selected ? palette.inkSoft : palette.ink;
    ctx.font = selected ? SELECTED_LABEL_FONT : LABEL_FONT;
    const mark = state === 'crashed' ? ' ✕' : state === 'byzantine' ? ' ⚠' : '';
    ctx.fillText(`${selected ? '▸' : ''}v${lane}${mark}`, g.gutterLeftPx - 6, laneY(g, vp, lane));
  }
}

function drawRoundAxis(ctx: DrawingContext, scene: DagScene): void {
  const { geometry: g, viewport: vp, palette } = scene;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, vp.widthPx, g.axisHeightPx);
  ctx.fillStyle = palette.inkSoft;
  ctx.font = LABEL_FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.strokeStyle = palette.inkSoft;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const round of roundTicks(g, vp)) {
    const x = roundX(g, vp, round);
    if (x < g.gutterLeftPx) continue;
    ctx.fillText(String(round), x, g.axisHeightPx / 2 - 2);
    ctx.moveTo(x, g.axisHeightPx - 5);
    ctx.lineTo(x, g.axisHeightPx);
  }
  ctx.stroke();
  ctx.textAlign = 'left';
  ctx.fillText('round', 4, g.axisHeightPx / 2 - 2);
}
