import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  HEAD_MARGIN_PX, centerOn, createGeometry, createViewport, followHead, hitTest, laneAtY, laneBand, laneHitTest, laneY, panBy, roundAtX,
  roundTicks, roundX, setFollowHead, vertexCenter, vertexRadiusPx, visibleLanes, visibleRounds, zoomAt,
} from './layout.ts';
import { createDagModel } from './model.ts';
import { roundRobinLeader, syntheticDag, syntheticRef } from './test/syntheticDag.ts';

const g = createGeometry(4);

describe('viewport', () => {
  it('fits every lane into the height at first, and follows the head', () => {
    const vp = createViewport(g, 800, 24 + 4 * 28 * 2);
    expect(vp.k).toBeCloseTo(2);
    expect(vp.followHead).toBe(true);
    expect(laneAtY(g, vp, vp.heightPx)).toBeCloseTo(4);
  });

  it('follow-head keeps the newest round in view, at the right edge', () => {
    for (const head of [1, 7, 250, 10_000]) {
      const vp = followHead(g, createViewport(g, 900, 300), head);
      const x = roundX(g, vp, head);
      expect(x).toBeCloseTo(900 - HEAD_MARGIN_PX);
      const { first, last } = visibleRounds(g, vp);
      expect(first).toBeLessThanOrEqual(head);
      expect(last).toBeGreaterThanOrEqual(head);
      expect(roundAtX(g, vp, x)).toBeCloseTo(head);
    }
  });

  it('a horizontal drag stops following the head; a vertical one does not', () => {
    const vp = createViewport(g, 800, 300);
    expect(panBy(g, vp, 0, 10).followHead).toBe(true);
    const dragged = panBy(g, vp, -120, 0);
    expect(dragged.followHead).toBe(false);
    expect(roundX(g, dragged, 5)).toBeCloseTo(roundX(g, vp, 5) - 120);
    expect(setFollowHead(dragged, true).followHead).toBe(true);
  });

  it('zooming keeps the point under the pointer fixed and clamps the zoom', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 5, noNaN: true }), fc.double({ min: 50, max: 800, noNaN: true }), fc.double({ min: 30, max: 280, noNaN: true }), (factor, px, py) => {
        const vp = createViewport(g, 800, 300);
        const before = { round: roundAtX(g, vp, px), lane: laneAtY(g, vp, py) };
        const zoomed = zoomAt(g, vp, factor, { x: px, y: py });
        expect(zoomed.k).toBeCloseTo(Math.min(g.maxZoom, Math.max(g.minZoom, vp.k * factor)));
        expect(roundAtX(g, zoomed, px)).toBeCloseTo(before.round, 6);
        // Vertically the same holds unless the clamp kept the lanes from leaving the view.
        const ay = py - g.axisHeightPx;
        const unclampedY = ay - (ay - vp.y) * (zoomed.k / vp.k);
        if (Math.abs(zoomed.y - unclampedY) < 1e-9) expect(laneAtY(g, zoomed, py)).toBeCloseTo(before.lane, 6);
        else {
          expect(laneAtY(g, zoomed, zoomed.heightPx)).toBeGreaterThanOrEqual(1 - 1e-9);
          expect(laneAtY(g, zoomed, g.axisHeightPx)).toBeLessThanOrEqual(g.validators - 1 + 1e-9);
        }
      }),
      { numRuns: 50 },
    );
    const vp = createViewport(g, 800, 300);
    expect(zoomAt(g, vp, 1e6, { x: 100, y: 100 }).k).toBe(g.maxZoom);
    expect(zoomAt(g, vp, 1e-6, { x: 100, y: 100 }).k).toBe(g.minZoom);
    expect(() => zoomAt(g, vp, 0, { x: 0, y: 0 })).toThrow(RangeError);
  });

  it('never lets the lanes be panned entirely out of view', () => {
    const vp = createViewport(g, 800, 300);
    for (const dy of [-1e6, 1e6]) {
      const moved = panBy(g, vp, 0, dy);
      const lanes = visibleLanes(g, moved);
      const topLane = laneAtY(g, moved, g.axisHeightPx);
      const bottomLane = laneAtY(g, moved, moved.heightPx);
      expect(bottomLane).toBeGreaterThanOrEqual(1 - 1e-9);
      expect(topLane).toBeLessThanOrEqual(g.validators - 1 + 1e-9);
      expect(lanes.first).toBeLessThanOrEqual(lanes.last);
    }
  });

  it('visible rounds cover the screen and no more than one extra round on the right', () => {
    const vp = followHead(g, createViewport(g, 1000, 300), 500);
    const { first, last } = visibleRounds(g, vp);
    expect(roundX(g, vp, first)).toBeLessThanOrEqual(g.gutterLeftPx);
    expect(roundX(g, vp, first + 1)).toBeGreaterThan(g.gutterLeftPx);
    expect(roundX(g, vp, last - 1)).toBeGreaterThanOrEqual(vp.widthPx);
    expect(roundX(g, vp, last - 2)).toBeLessThan(vp.widthPx);
    const ticks = roundTicks(g, vp);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.every((t) => t >= first && t <= last && Number.isInteger(t))).toBe(true);
  });
});

describe('placement and hit testing', () => {
  const model = createDagModel({ stakes: [1, 1, 1, 1], leaderOf: roundRobinLeader(4) });
  model.ingestAll(syntheticDag({ validators: 4, rounds: 12, equivocations: [{ round: 6, author: 2 }] }));
  const vp = followHead(g, createViewport(g, 900, 300), 12);

  it('spreads equivocating vertices within their lane', () => {
    const [a, b] = [vertexCenter(g, vp, 6, 2, 0, 2), vertexCenter(g, vp, 6, 2, 1, 2)];
    expect(a.x).toBe(b.x);
    expect(b.y - a.y).toBeGreaterThan(2 * vertexRadiusPx(g, vp, 2) - 1e-9);
    expect(Math.floor(laneAtY(g, vp, a.y))).toBe(2);
    expect(Math.floor(laneAtY(g, vp, b.y))).toBe(2);
  });

  it('finds every visible vertex at its own centre and nothing between lanes and rounds', () => {
    let checked = 0;
    model.forEachVertexInRounds(1, 12, (v, slotIndex, slotSize) => {
      const center = vertexCenter(g, vp, v.round, v.author, slotIndex, slotSize);
      expect(hitTest(g, vp, center, model.slot)?.key).toBe(v.key);
      checked++;
    });
    expect(checked).toBe(49);
    const gap = { x: (roundX(g, vp, 4) + roundX(g, vp, 5)) / 2, y: vertexCenter(g, vp, 4, 1, 0, 1).y };
    expect(hitTest(g, vp, gap, model.slot)).toBeUndefined();
    expect(hitTest(g, vp, { x: roundX(g, vp, 40), y: 100 }, model.slot)).toBeUndefined();
  });

  it('accepts a point within the radius and picks the nearer of two twins', () => {
    const radius = vertexRadiusPx(g, vp, 2);
    const lower = vertexCenter(g, vp, 6, 2, 1, 2);
    expect(hitTest(g, vp, { x: lower.x + radius * 0.5, y: lower.y + radius * 0.5 }, model.slot)?.ref).toEqual(syntheticRef(6, 2, 1));
  });
});

describe('lane hit testing and revealing a vertex', () => {
  const g8 = createGeometry(8);

  it('finds the lane under its label and anywhere in its band, after any pan and zoom', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 6, noNaN: true }), fc.double({ min: -400, max: 400, noNaN: true }), fc.integer({ min: 0, max: 7 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (factor, dy, lane, within) => {
          const vp = panBy(g8, zoomAt(g8, createViewport(g8, 900, 360), factor, { x: 450, y: 180 }), 0, dy);
          const band = laneBand(g8, vp, lane);
          const y = band.topPx + within * band.heightPx;
          if (y < g8.axisHeightPx || y > vp.heightPx) return; // scrolled out of the plot
          expect(laneHitTest(g8, vp, { x: g8.gutterLeftPx / 2, y })).toBe(lane);
          expect(laneHitTest(g8, vp, { x: vp.widthPx - 1, y })).toBe(lane);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds no lane above the round axis, below the last lane or outside the canvas', () => {
    const vp = createViewport(g8, 900, 24 + 8 * 28 * 2);
    expect(laneHitTest(g8, vp, { x: 10, y: g8.axisHeightPx - 1 })).toBeUndefined();
    expect(laneHitTest(g8, vp, { x: 10, y: laneY(g8, vp, 0) })).toBe(0);
    expect(laneHitTest(g8, vp, { x: -1, y: laneY(g8, vp, 3) })).toBeUndefined();
    const shortView = panBy(g8, vp, 0, -vp.k * 28 * 6);
    expect(laneHitTest(g8, shortView, { x: 10, y: laneY(g8, shortView, 7) + vp.k * 28 })).toBeUndefined();
  });

  it('centres a revealed vertex in the plot and stops following the head', () => {
    const vp = followHead(g8, createViewport(g8, 900, 360), 300);
    const revealed = centerOn(g8, vp, 40, 5);
    expect(revealed.followHead).toBe(false);
    expect(roundX(g8, revealed, 40)).toBeCloseTo(g8.gutterLeftPx + (900 - g8.gutterLeftPx) / 2);
    expect(laneY(g8, revealed, 5)).toBeCloseTo(g8.axisHeightPx + (360 - g8.axisHeightPx) / 2);
    expect(visibleRounds(g8, revealed).first).toBeLessThanOrEqual(40);
    expect(visibleRounds(g8, revealed).last).toBeGreaterThanOrEqual(40);
  });
});
