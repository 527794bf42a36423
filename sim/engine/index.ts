/**
 * sim/engine — the simulator's deterministic core: the discrete-event scheduler (virtual
 * clock, events by (time, sequence)), named random streams derived from one root seed, and the
 * determinism digest that lets two runs of one seed compare by one string.
 */
export {
  DEFAULT_MAX_EVENTS_PER_RUN,
  createScheduler,
  type EventHandle,
  type RunOptions,
  type RunOutcome,
  type RunStop,
  type RunUntil,
  type ScheduledEvent,
  type Scheduler,
  type SchedulerInit,
} from './scheduler.ts';
export { createSeeds, type Seeds, type SeedsInit } from './seeds.ts';
export { createDigest, fmix32, recordingPrng, type DeterminismDigest } from './digest.ts';
