/**
 * The verify pool's job bookkeeping: one job per distinct verification statement, a FIFO of
 * jobs waiting for a worker, and the listeners waiting for each job's outcome.
 *
 * A job exists once per cache key while queued or in flight, so identical items submitted
 * concurrently are verified once (in-flight de-duplication). A listener can be withdrawn
 * (`verifyUntilQuorum` withdraws the rest once it has enough weight); a queued job left
 * without listeners is cancelled and skipped, an in-flight one finishes and is cached anyway.
 *
 * Bound: `queued` counts live jobs waiting for a worker; the pool refuses submissions that
 * would push it past `maxQueued`. The backing array is compacted once half of it is consumed,
 * so its length stays within twice the live count plus a constant.
 */
import type { VerifyCacheKey } from './verifyCache.ts';
import type { VerifyItem } from './types.ts';

/** How a job ended for one listener: valid or not, or an error (crash, close, …). */
export type JobOutcome = boolean | Error;
export type JobListener = (outcome: JobOutcome) => void;

export type Job = {
  readonly item: VerifyItem;
  /** Undefined when the pool runs without a cache (then there is no de-duplication either). */
  readonly key: VerifyCacheKey | undefined;
  /** Largest batch this job may travel in (small for quorum checks, so they can stop early). */
  readonly batchLimit: number;
  readonly listeners: Set<JobListener>;
  state: 'queued' | 'in-flight' | 'cancelled' | 'done';
};

/** Compact the FIFO's array once this many consumed slots sit at its front. */
const COMPACT_AFTER_CONSUMED = 1024;

export function createJobQueue() {
  let fifo: Job[] = [];
  let head = 0;
  let queued = 0;
  const byKey = new Map<VerifyCacheKey, Job>();

  const enqueue = (item: VerifyItem, key: VerifyCacheKey | undefined, batchLimit: number): Job => {
    const job: Job = { item, key, batchLimit, listeners: new Set(), state: 'queued' };
    fifo.push(job);
    queued++;
    if (key !== undefined) byKey.set(key, job);
    return job;
  };

  /** Attaches a listener; returns the function that withdraws it. */
  const listen = (job: Job, listener: JobListener): (() => void) => {
    job.listeners.add(listener);
    return () => {
      if (!job.listeners.delete(listener)) return;
      if (job.listeners.size === 0 && job.state === 'queued') cancel(job);
    };
  };

  const cancel = (job: Job): void => {
    job.state = 'cancelled';
    queued--;
    forget(job);
  };

  /** Removes up to `limit` live jobs from the front, honouring each job's own batch limit. */
  const takeBatch = (limit: number): Job[] => {
    const batch: Job[] = [];
    let cap = limit;
    while (head < fifo.length && batch.length < cap) {
      const job = fifo[head] as Job;
      if (job.state === 'queued') {
        if (batch.length > 0 && job.batchLimit <= batch.length) break;
        cap = Math.min(cap, job.batchLimit);
        job.state = 'in-flight';
        queued--;
        batch.push(job);
      }
      head++;
    }
    if (head >= COMPACT_AFTER_CONSUMED && head * 2 >= fifo.length) {
      fifo = fifo.slice(head);
      head = 0;
    }
    return batch;
  };

  /** Ends a job: later submissions of the same statement start afresh (or hit the cache). */
  const settle = (job: Job, outcome: JobOutcome): void => {
    if (job.state === 'done' || job.state === 'cancelled') return;
    if (job.state === 'queued') queued--;
    job.state = 'done';
    forget(job);
    for (const listener of [...job.listeners]) listener(outcome);
    job.listeners.clear();
  };

  const forget = (job: Job): void => {
    if (job.key !== undefined && byKey.get(job.key) === job) byKey.delete(job.key);
  };

  /** Every job still waiting for a worker, removed from the FIFO; the caller settles them. */
  const drainQueued = (): Job[] => {
    const waiting = fifo.slice(head).filter((job) => job.state === 'queued');
    fifo = [];
    head = 0;
    return waiting;
  };

  return Object.freeze({
    enqueue,
    listen,
    takeBatch,
    settle,
    drainQueued,
    pending: (key: VerifyCacheKey): Job | undefined => byKey.get(key),
    queued: (): number => queued,
  });
}

export type JobQueue = ReturnType<typeof createJobQueue>;
