/**
 * Where the DAG view draws things: x = round, y = validator lane (Kaspa Graph Inspector's and
 * our ANCHORS.md lesson: a grid, not a Sugiyama layout, which takes seconds at ~1k nodes), and
 * the viewport a person pans, zooms and lets follow the head.
 *
 * World coordinates: round r sits at `r · roundSpacingPx`, lane v's centre at
 * `(v + 0.5) · laneSpacingPx`; equivocating vertices of one slot are spread vertically within
 * the lane. The viewport is a uniform zoom transform (k, x, y) from world to plot pixels —
 * d3-zoom's ZoomTransform maths (screen = k · world + t; zooming about a point keeps that point
 * fixed) — plus the plot's offset inside the canvas (lane labels left, round axis on top).
 * d3-scale maps rounds to pixels for the axis ticks. Everything here is pure; viewports are
 * frozen values.
 *
 * Hit testing is O(1): a point is inverted to its nearest round and lane, and only the
 * vertices of that slot (and its neighbour lanes) are checked; a lane (its label in the gutter
 * or its band in the plot) is found by the same inversion, with no per-lane or per-vertex DOM.
 */
import { scaleLinear, type ScaleLinear } from 'd3';

export type LayoutGeometry = {
  readonly validators: number;
  /** World distance between rounds. */
  readonly roundSpacingPx: number;
  /** World height of a validator lane. */
  readonly laneSpacingPx: number;
  /** Canvas space left of the plot for lane labels. */
  readonly gutterLeftPx: number;
  /** Canvas space above the plot for the round axis. */
  readonly axisHeightPx: number;
  /** Vertex radius at zoom 1. */
  readonly vertexRadiusPx: number;
  readonly minZoom: number;
  readonly maxZoom: number;
};

export type Viewport = {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly k: number;
  readonly x: number;
  readonly y: number;
  /** When true, the view keeps the newest round at the right edge as rounds arrive. */
  readonly followHead: boolean;
};

export type Point = { readonly x: number; readonly y: number };

/** Space kept right of the head round when following it, in screen pixels. */
export const HEAD_MARGIN_PX = 36;
/** Smallest radius a vertex is drawn with: below this a vertex is not visible as a dot. */
const MIN_RADIUS_PX = 1.5;
/** Largest radius: beyond this zooming in only adds space between vertices. */
const MAX_RADIUS_PX = 14;
/** Pointer tolerance around small vertices, so a zoomed-out vertex can still be clicked. */
const MIN_HIT_RADIUS_PX = 5;
/** Equivocating vertices of a slot spread over this fraction of the lane height. */
const EQUIVOCATION_SPREAD = 0.6;

export function createGeometry(validators: number, overrides: Partial<Omit<LayoutGeometry, 'validators'>> = {}): LayoutGeometry {
  if (!Number.isSafeInteger(validators) || validators < 1) throw new RangeError(`validators: a positive integer is needed, got ${validators}`);
  const geometry = {
    validators,
    roundSpacingPx: 48,
    laneSpacingPx: 28,
    gutterLeftPx: 44,
    axisHeightPx: 24,
    vertexRadiusPx: 7,
    minZoom: 0.05,
    maxZoom: 8,
    ...overrides,
  };
  if (!(geometry.minZoom > 0 && geometry.minZoom <= geometry.maxZoom)) throw new RangeError('minZoom and maxZoom: 0 < minZoom ≤ maxZoom is needed');
  return Object.freeze(geometry);
}

const clamp = (value: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, value));
const plotWidthPx = (g: LayoutGeometry, vp: Viewport): number => Math.max(1, vp.widthPx - g.gutterLeftPx);
const plotHeightPx = (g: LayoutGeometry, vp: Viewport): number => Math.max(1, vp.heightPx - g.axisHeightPx);

/** A viewport of the given size with every lane fitting the height, following the head. */
export function createViewport(g: LayoutGeometry, widthPx: number, heightPx: number): Viewport {
  const base: Viewport = { widthPx, heightPx, k: 1, x: 0, y: 0, followHead: true };
  const k = clamp(plotHeightPx(g, base) / (g.validators * g.laneSpacingPx), g.minZoom, g.maxZoom);
  return Object.freeze({ ...base, k });
}

export function resizeViewport(vp: Viewport, widthPx: number, heightPx: number): Viewport {
  return Object.freeze({ ...vp, widthPx, heightPx });
}

/** Moves the view by a drag of (dx, dy) screen pixels; a horizontal drag stops following the head. */
export function panBy(g: LayoutGeometry, vp: Viewport, dxPx: number, dyPx: number): Viewport {
  return Object.freeze({ ...vp, x: vp.x + dxPx, y: clampY(g, vp, vp.y + dyPx), followHead: vp.followHead && dxPx === 0 });
}

/** Zooms by `factor` about a screen point, which stays under the pointer (d3-zoom's scaleTo maths). */
export function zoomAt(g: LayoutGeometry, vp: Viewport, factor: number, anchor: Point): Viewport {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new RangeError(`factor: a positive number is needed, got ${factor}`);
  const k = clamp(vp.k * factor, g.minZoom, g.maxZoom);
  const ratio = k / vp.k;
  const ax = anchor.x - g.gutterLeftPx;
  const ay = anchor.y - g.axisHeightPx;
  const zoomed: Viewport = { ...vp, k, x: ax - (ax - vp.x) * ratio, y: ay - (ay - vp.y) * ratio };
  return Object.freeze({ ...zoomed, y: clampY(g, zoomed, zoomed.y) });
}

/** Places `headRound` HEAD_MARGIN_PX left of the right edge (keeps the `followHead` flag). */
export function followHead(g: LayoutGeometry, vp: Viewport, headRound: number): Viewport {
  const x = plotWidthPx(g, vp) - HEAD_MARGIN_PX - vp.k * headRound * g.roundSpacingPx;
  return Object.freeze({ ...vp, x });
}

/** Centres the view on a round and lane (a vertex to reveal); the view stops following the head. */
export function centerOn(g: LayoutGeometry, vp: Viewport, round: number, lane: number): Viewport {
  const x = plotWidthPx(g, vp) / 2 - vp.k * round * g.roundSpacingPx;
  const centred: Viewport = { ...vp, x, y: plotHeightPx(g, vp) / 2 - vp.k * (lane + 0.5) * g.laneSpacingPx, followHead: false };
  return Object.freeze({ ...centred, y: clampY(g, centred, centred.y) });
}

export function setFollowHead(vp: Viewport, follow: boolean): Viewport {
  return vp.followHead === follow ? vp : Object.freeze({ ...vp, followHead: follow });
}

/** Keeps at least one lane in view vertically, so the DAG cannot be panned out of sight. */
function clampY(g: LayoutGeometry, vp: Viewport, y: number): number {
  const lanesHeight = vp.k * g.validators * g.laneSpacingPx;
  const minLaneHeight = vp.k * g.laneSpacingPx;
  return clamp(y, minLaneHeight - lanesHeight, plotHeightPx(g, vp) - minLaneHeight);
}

/** Round (fractional) under a screen x. */
export function roundAtX(g: LayoutGeometry, vp: Viewport, xPx: number): number {
  return (xPx - g.gutterLeftPx - vp.x) / (vp.k * g.roundSpacingPx);
}

/** Lane position (fractional; lane v spans [v, v+1)) under a screen y. */
export function laneAtY(g: LayoutGeometry, vp: Viewport, yPx: number): number {
  return (yPx - g.axisHeightPx - vp.y) / (vp.k * g.laneSpacingPx);
}

export function roundX(g: LayoutGeometry, vp: Viewport, round: number): number {
  return g.gutterLeftPx + vp.x + vp.k * round * g.roundSpacingPx;
}

export function laneY(g: LayoutGeometry, vp: Viewport, lane: number): number {
  return g.axisHeightPx + vp.y + vp.k * (lane + 0.5) * g.laneSpacingPx;
}

/** Centre of a vertex: its round's x, its lane's y shifted by its place among its slot's vertices. */
export function vertexCenter(g: LayoutGeometry, vp: Viewport, round: number, author: number, slotIndex: number, slotSize: number): Point {
  const offset = slotSize <= 1 ? 0 : (slotIndex / (slotSize - 1) - 0.5) * EQUIVOCATION_SPREAD;
  return { x: roundX(g, vp, round), y: laneY(g, vp, author + offset) };
}

export function vertexRadiusPx(g: LayoutGeometry, vp: Viewport, slotSize = 1): number {
  const radius = vp.k * g.vertexRadiusPx * (slotSize > 1 ? 0.7 : 1);
  return clamp(radius, MIN_RADIUS_PX, MAX_RADIUS_PX);
}

/**
 * Rounds to draw: those whose column is on screen, plus one on the right (its edges reach
 * into view). The caller clamps to the rounds it holds.
 */
export function visibleRounds(g: LayoutGeometry, vp: Viewport): { readonly first: number; readonly last: number } {
  const first = Math.max(1, Math.floor(roundAtX(g, vp, g.gutterLeftPx)));
  const last = Math.max(first, Math.ceil(roundAtX(g, vp, vp.widthPx)) + 1);
  return { first, last };
}

export function visibleLanes(g: LayoutGeometry, vp: Viewport): { readonly first: number; readonly last: number } {
  const first = clamp(Math.floor(laneAtY(g, vp, g.axisHeightPx)), 0, g.validators - 1);
  const last = clamp(Math.floor(laneAtY(g, vp, vp.heightPx)), 0, g.validators - 1);
  return { first, last };
}

/** A d3 linear scale from rounds to screen x over the plot area, for the round axis. */
export function roundScale(g: LayoutGeometry, vp: Viewport): ScaleLinear<number, number> {
  return scaleLinear().domain([roundAtX(g, vp, g.gutterLeftPx), roundAtX(g, vp, vp.widthPx)]).range([g.gutterLeftPx, vp.widthPx]);
}

/** Integer rounds for axis ticks in view, about one per `spacingPx` screen pixels. */
export function roundTicks(g: LayoutGeometry, vp: Viewport, spacingPx = 80): number[] {
  const scale = roundScale(g, vp);
  const count = Math.max(2, Math.floor(plotWidthPx(g, vp) / spacingPx));
  return scale.ticks(count).filter((r) => Number.isInteger(r) && r >= 1);
}

/**
 * The vertex under a screen point, or undefined: inverts the point to its nearest round and
 * lane and checks the slots there (equivocating vertices sit up to half a lane off centre, so
 * the neighbour lanes are checked too). `slotOf` returns a slot's vertices in drawing order.
 */
export function hitTest<V>(g: LayoutGeometry, vp: Viewport, point: Point, slotOf: (round: number, author: number) => readonly V[]): V | undefined {
  const round = Math.round(roundAtX(g, vp, point.x));
  const lane = Math.floor(laneAtY(g, vp, point.y));
  let best: V | undefined;
  let bestDistance = Infinity;
  for (let author = Math.max(0, lane - 1); author <= Math.min(g.validators - 1, lane + 1); author++) {
    const slot = slotOf(round, author);
    const reach = Math.max(vertexRadiusPx(g, vp, slot.length), MIN_HIT_RADIUS_PX);
    slot.forEach((vertex, index) => {
      const center = vertexCenter(g, vp, round, author, index, slot.length);
      const distance = Math.hypot(center.x - point.x, center.y - point.y);
      if (distance <= reach && distance < bestDistance) {
        best = vertex;
        bestDistance = distance;
      }
    });
  }
  return best;
}

/**
 * The validator lane under a screen point, label gutter included, or undefined above the round
 * axis, outside the canvas or beyond the last lane. O(1): one inversion of y.
 */
export function laneHitTest(g: LayoutGeometry, vp: Viewport, point: Point): number | undefined {
  if (point.x < 0 || point.x > vp.widthPx || point.y < g.axisHeightPx || point.y > vp.heightPx) return undefined;
  const lane = Math.floor(laneAtY(g, vp, point.y));
  return lane >= 0 && lane < g.validators ? lane : undefined;
}

/** The screen band of a lane (top edge and height), for its label's hit area. */
export function laneBand(g: LayoutGeometry, vp: Viewport, lane: number): { readonly topPx: number; readonly heightPx: number } {
  const heightPx = vp.k * g.laneSpacingPx;
  return { topPx: laneY(g, vp, lane) - heightPx / 2, heightPx };
}
