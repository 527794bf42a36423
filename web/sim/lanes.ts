/**
 * What each validator lane shows at a moment of the run, from the fault script alone: crashed
 * after a crash until a restart, Byzantine from its first Byzantine action on (the engine never
 * makes a Byzantine validator honest again).
 */
import type { TimedAction } from '../../sim/scenario/index.ts';
import type { LaneState } from '../dag/types.ts';

/** Lane states at `nowMs` from the fault script: crash, restart and Byzantine actions so far. */
export function laneStatesAt(validators: number, script: readonly TimedAction[], nowMs: number): LaneState[] {
  const lanes: LaneState[] = Array.from({ length: validators }, () => 'up');
  for (const { atMs, action } of script) {
    if (atMs > nowMs) break;
    if (action.kind === 'crash' && lanes[action.node] !== undefined) lanes[action.node] = 'crashed';
    else if (action.kind === 'restart' && lanes[action.node] === 'crashed') lanes[action.node] = 'up';
    else if (action.kind === 'byzantine') lanes[action.node] = 'byzantine';
  }
  return lanes;
}
