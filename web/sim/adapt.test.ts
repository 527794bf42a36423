// Engine events as DAG-view events, and lane states from the fault script.
import { describe, expect, it } from 'vitest';
import { signatureInfoOf, toDagEvent } from './adapt.ts';
import { laneStatesAt } from './lanes.ts';

const signature = signatureInfoOf('modeled');

describe('engine events for the DAG view', () => {
  it('maps proposals, decisions and evidence; drops what the view does not draw', () => {
    const parents = [{ round: 2, author: 0, digest: 'ab' }];
    expect(toDagEvent({ type: 'vertexProposed', time: 5, author: 1, instance: 'twin', round: 3, digest: 'cd', parents, txs: 7, bytes: 4_000 }, signature)).toEqual({
      type: 'vertexProposed', timeMs: 5, epoch: 0, author: 1, round: 3, digest: 'cd', parents, transactions: 7, bytes: 4_000, signature: { scheme: 'ML-DSA-44 (modeled)', bytes: 2_420 },
    });
    expect(toDagEvent({ type: 'committed', time: 9, by: 2, index: 4, leader: parents[0] as (typeof parents)[0], vertices: 3, txs: 1, how: 'indirect' }, signature)).toMatchObject({ how: 'indirect', timeMs: 9 });
    expect(toDagEvent({ type: 'evidence', time: 1, by: 0, offender: 3, slot: 'round 17' }, signature)).toEqual({ type: 'evidence', timeMs: 1, by: 0, offender: 3, round: 17 });
    expect(toDagEvent({ type: 'evidence', time: 1, by: 0, offender: 3, slot: 'checkpoint 2' }, signature)).toBeUndefined();
    expect(toDagEvent({ type: 'verdict', time: 1, verdict: 'pass' }, signature)).toBeUndefined();
  });

  it('lanes follow crashes, restarts and Byzantine turns up to now only', () => {
    const script = [
      { atMs: 100, action: { kind: 'crash', node: 0 } },
      { atMs: 200, action: { kind: 'byzantine', node: 2, behaviour: { kind: 'forge' } } },
      { atMs: 300, action: { kind: 'restart', node: 0, store: 'wipe' } },
    ] as const;
    expect(laneStatesAt(3, script, 250)).toEqual(['crashed', 'up', 'byzantine']);
    expect(laneStatesAt(3, script, 300)).toEqual(['up', 'up', 'byzantine']);
    expect(laneStatesAt(3, script, 50)).toEqual(['up', 'up', 'up']);
  });
});
