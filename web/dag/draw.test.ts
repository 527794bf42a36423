import { describe, expect, it } from 'vitest';
import { EDGE_BUDGET_PER_FRAME, drawDag, focusLeaderRound, type DagScene, type DrawingContext } from './draw.ts';
import { createGeometry, createViewport, followHead, visibleLanes, visibleRounds, zoomAt } from './layout.ts';
import { createDagModel, type DagModel } from './model.ts';
import { LIGHT_PALETTE } from './palette.ts';
import { committed, roundRobinLeader, skipped, syntheticDag, syntheticRef } from './test/syntheticDag.ts';

/** A context that records calls: enough to count what a frame touched. */
function recordingContext(): DrawingContext & { calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const count = (name: string) => () => void calls.set(name, (calls.get(name) ?? 0) + 1);
  return {
    calls,
    save: count('save'), restore: count('restore'), setTransform: count('setTransform'), fillRect: count('fillRect'),
    beginPath: count('beginPath'), moveTo: count('moveTo'), lineTo: count('lineTo'), arc: count('arc'), rect: count('rect'),
    fill: count('fill'), stroke: count('stroke'), fillText: count('fillText'),
    fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textAlign: 'left', textBaseline: 'alphabetic',
  };
}

function sceneOf(model: DagModel, widthPx: number, heightPx: number, extra: Partial<DagScene> = {}): DagScene {
  const geometry = createGeometry(model.validators);
  const head = model.roundRange()?.highest ?? 1;
  return { model, geometry, viewport: followHead(geometry, createViewport(geometry, widthPx, heightPx), head), palette: LIGHT_PALETTE, laneStates: [], selectedKey: undefined, hoveredKey: undefined, pixelRatio: 2, ...extra };
}

describe('drawDag', () => {
  it('touches only the vertices in the visible window of a large model', () => {
    const model = createDagModel({ stakes: Array.from({ length: 100 }, () => 1), leaderOf: roundRobinLeader(100) });
    model.ingestAll(syntheticDag({ validators: 100, rounds: 60 }));
    const fitted = sceneOf(model, 800, 600);
    // Zoomed in about the head: 60 rounds no longer fit, and lanes leave the view too.
    const scene = { ...fitted, viewport: zoomAt(fitted.geometry, fitted.viewport, 3, { x: 780, y: 300 }) };
    const { first, last } = visibleRounds(scene.geometry, scene.viewport);
    const lanes = visibleLanes(scene.geometry, scene.viewport);
    const ctx = recordingContext();
    const stats = drawDag(ctx, scene);
    const roundsShown = Math.min(last, 60) - first + 1;
    expect(stats.verticesDrawn).toBe(roundsShown * (lanes.last - lanes.first + 1));
    expect(lanes.last - lanes.first + 1).toBeLessThan(100);
    expect(stats.verticesDrawn).toBeLessThan(6_000);
    // ~100 parents per vertex: far over budget, so only highlighted edges are stroked.
    expect(stats.edgesThinned).toBe(true);
    expect(stats.edgesDrawn).toBeLessThan(EDGE_BUDGET_PER_FRAME);
    expect(ctx.calls.get('setTransform')).toBe(1);
  });

  it('draws every parent edge of a small view and marks committed and skipped leaders', () => {
    const model = createDagModel({ stakes: [1, 1, 1, 1], leaderOf: roundRobinLeader(4) });
    model.ingestAll(syntheticDag({ validators: 4, rounds: 6 }));
    model.ingest(committed(0, 1, syntheticRef(1, 1)));
    model.ingest(skipped(0, 2, 2));
    model.ingest(skipped(1, 3, 3));
    const scene = sceneOf(model, 1200, 300);
    const stats = drawDag(recordingContext(), scene);
    expect(stats.verticesDrawn).toBe(24);
    expect(stats.edgesThinned).toBe(false);
    // 5 rounds × 4 vertices × 4 parents, plus the highlighted ones of the focused leader.
    expect(stats.edgesDrawn).toBeGreaterThanOrEqual(80);
    expect(stats.committedInView).toBe(1);
    expect(stats.skippedInView).toBe(1);
    expect(stats.focusLeaderRound).toBe(4);
  });

  it('focuses the leader the hovered or selected vertex works for', () => {
    const model = createDagModel({ stakes: [1, 1, 1, 1], leaderOf: roundRobinLeader(4) });
    model.ingestAll(syntheticDag({ validators: 4, rounds: 8 }));
    expect(focusLeaderRound(model, [undefined, syntheticRef(3, 0).round + '/0/' + syntheticRef(3, 0).digest])).toBe(2);
    expect(focusLeaderRound(model, [`5/1/${syntheticRef(5, 1).digest}`, undefined])).toBe(5);
    expect(focusLeaderRound(model, [undefined, undefined])).toBe(6);
  });

  it('draws nothing but the frame when zoomed far away from the rounds held', () => {
    const model = createDagModel({ stakes: [1, 1, 1, 1] });
    model.ingestAll(syntheticDag({ validators: 4, rounds: 3 }));
    const base = sceneOf(model, 600, 200);
    const away = { ...base, viewport: zoomAt(base.geometry, followHead(base.geometry, base.viewport, 5_000), 1, { x: 0, y: 0 }) };
    expect(drawDag(recordingContext(), away).verticesDrawn).toBe(0);
  });
});

describe('the selected lane', () => {
  /** Records the labels written and the colours of the rectangles filled. */
  function textContext(): DrawingContext & { texts: string[]; fills: string[] } {
    const base = recordingContext();
    const texts: string[] = [];
    const fills: string[] = [];
    const ctx = {
      ...base, texts, fills,
      fillText: (text: string) => void texts.push(text),
      fillRect: () => void fills.push(String(ctx.fillStyle)),
    };
    return ctx;
  }
  const model = createDagModel({ stakes: [1, 1, 1, 1], leaderOf: roundRobinLeader(4) });
  model.ingestAll(syntheticDag({ validators: 4, rounds: 10 }));

  it('is banded in its own colour and its label is marked', () => {
    const ctx = textContext();
    drawDag(ctx, sceneOf(model, 800, 300, { selectedLane: 2, laneStates: ['up', 'up', 'crashed', 'up'] }));
    expect(ctx.texts).toContain('▸v2 ✕');
    expect(ctx.texts).toContain('v1');
    expect(ctx.fills).toContain(LIGHT_PALETTE.selectedLane);
  });

  it('leaves every lane plain when none is selected', () => {
    const ctx = textContext();
    drawDag(ctx, sceneOf(model, 800, 300));
    expect(ctx.texts.filter((t) => t.startsWith('▸'))).toEqual([]);
    expect(ctx.fills).not.toContain(LIGHT_PALETTE.selectedLane);
  });
});
