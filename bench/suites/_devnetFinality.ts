/**
 * Finality of a bounded sample of the devnet load: a few accepted transfers per second are
 * looked up on the node that accepted them (GET /v1/transactions/:id) until the API reports them
 * `committed`, and the certified checkpoints of one node are watched (GET /v1/checkpoints), so
 * each sampled transfer gets two latencies from its submission:
 *
 *   committed  the API's `committed` status: the leader whose history holds the transfer is
 *              committed by the PBFT rule on the DAG (DESIGN.md §2) — final, never reverted;
 *   certified  the first certified checkpoint whose `lastCommitIndex` reaches that commit (the
 *              finality certificate light clients verify; one every 500 ms on the devnet).
 *
 * The moment of a change is the midpoint between the last lookup that still saw `pending` (its
 * sending) and the first that saw `committed` (its answer): ±POLL_FAST_MS / 2 plus a lookup's
 * round trip. Checkpoints are first seen within CHECKPOINT_POLL_MS.
 *
 * Bounds: at most MAX_OUTSTANDING samples awaited at once (a sample that finds the pool full is
 * skipped), lookups every POLL_FAST_MS for a sample's first POLL_FAST_FOR_MS then every
 * POLL_SLOW_MS, so lookups stay a small fraction of the offered load; checkpoints remembered
 * for one run only.
 */
import type { ApiClient } from './_devnetHttp.ts';

/** Samples awaited at once: 20 per second × a few seconds of finality. */
const MAX_OUTSTANDING = 128;
const POLL_FAST_MS = 40;
const POLL_FAST_FOR_MS = 3_000;
const POLL_SLOW_MS = 250;
const CHECKPOINT_POLL_MS = 100;
/** Certified checkpoints read per poll: more than are certified between two polls. */
const CHECKPOINT_PAGE = 5;
/** The poll loop's period. */
const TICK_MS = 10;

type Sample = {
  readonly idHex: string;
  readonly client: ApiClient;
  readonly submittedAt: number;
  lastPendingSentAt: number;
  nextPollAt: number;
  polling: boolean;
  commitIndex?: bigint;
  committedAt?: number;
};

export type FinalityReport = {
  readonly samples: number;
  readonly skipped: number;
  /** ms from submission to `committed`, for every sample that got there. */
  readonly committedMs: readonly number[];
  /** ms from submission to a certificate covering its commit, where one was seen. */
  readonly certifiedMs: readonly number[];
  readonly unresolved: number;
  readonly lookups: number;
};

export type FinalitySampler = {
  /** Offers an accepted transfer as a sample; taken when its turn has come and the pool has room. */
  offer(idHex: string, client: ApiClient, submittedAt: number): void;
  /** Samples still waiting for `committed`. */
  outstanding(): number;
  /** Stops polling and reports. */
  finish(): FinalityReport;
};

type TxAnswer = { status?: string; commitIndex?: string };
type CheckpointsAnswer = { checkpoints?: { sequence?: string; lastCommitIndex?: string }[] };

export function createFinalitySampler(checkpointClient: ApiClient, samplesPerSecond: number): FinalitySampler {
  if (!(samplesPerSecond > 0)) throw new RangeError('samplesPerSecond must be positive');
  const samples: Sample[] = [];
  /** The samples still waiting for `committed` (at most MAX_OUTSTANDING). */
  const waiting = new Set<Sample>();
  /** Certified sequence → [lastCommitIndex, first seen]. */
  const certified = new Map<string, { lastCommitIndex: bigint; seenAt: number }>();
  let nextSampleAt = 0;
  let skipped = 0;
  let lookups = 0;
  let stopped = false;
  let watchingCheckpoints = false;

  const poll = async (sample: Sample): Promise<void> => {
    sample.polling = true;
    const sentAt = performance.now();
    lookups++;
    const answer = (await sample.client.getJson(`/v1/transactions/${sample.idHex}`)) as TxAnswer | undefined;
    const answeredAt = performance.now();
    sample.polling = false;
    if (answer?.status === 'committed' && answer.commitIndex !== undefined) {
      sample.commitIndex = BigInt(answer.commitIndex);
      sample.committedAt = (sample.lastPendingSentAt + answeredAt) / 2;
      waiting.delete(sample);
      return;
    }
    if (answer !== undefined) sample.lastPendingSentAt = sentAt;
    sample.nextPollAt = answeredAt + (answeredAt - sample.submittedAt < POLL_FAST_FOR_MS ? POLL_FAST_MS : POLL_SLOW_MS);
  };

  const watchCheckpoints = async (): Promise<void> => {
    watchingCheckpoints = true;
    const answer = (await checkpointClient.getJson(`/v1/checkpoints?limit=${CHECKPOINT_PAGE}`)) as CheckpointsAnswer | undefined;
    const seenAt = performance.now();
    for (const c of answer?.checkpoints ?? []) {
      if (c.sequence === undefined || c.lastCommitIndex === undefined || certified.has(c.sequence)) continue;
      certified.set(c.sequence, { lastCommitIndex: BigInt(c.lastCommitIndex), seenAt });
    }
    watchingCheckpoints = false;
  };

  let lastCheckpointPoll = 0;
  const tick = (): void => {
    if (stopped) return;
    const now = performance.now();
    for (const sample of waiting) if (!sample.polling && sample.nextPollAt <= now) void poll(sample);
    if (!watchingCheckpoints && now - lastCheckpointPoll >= CHECKPOINT_POLL_MS) {
      lastCheckpointPoll = now;
      void watchCheckpoints();
    }
    setTimeout(tick, TICK_MS);
  };
  setTimeout(tick, 0);

  /** When the first certificate covering `commitIndex` was seen (undefined: none seen). */
  const certifiedAt = (commitIndex: bigint): number | undefined => {
    let first: number | undefined;
    for (const c of certified.values()) if (c.lastCommitIndex >= commitIndex && (first === undefined || c.seenAt < first)) first = c.seenAt;
    return first;
  };

  return Object.freeze({
    offer(idHex: string, client: ApiClient, submittedAt: number): void {
      if (stopped || submittedAt < nextSampleAt) return;
      nextSampleAt = submittedAt + 1000 / samplesPerSecond;
      if (waiting.size >= MAX_OUTSTANDING) {
        skipped++;
        return;
      }
      const sample: Sample = { idHex, client, submittedAt, lastPendingSentAt: submittedAt, nextPollAt: performance.now(), polling: false };
      samples.push(sample);
      waiting.add(sample);
    },
    outstanding: () => waiting.size,
    finish(): FinalityReport {
      stopped = true;
      const committedMs: number[] = [];
      const certifiedMs: number[] = [];
      for (const s of samples) {
        if (s.committedAt === undefined || s.commitIndex === undefined) continue;
        committedMs.push(s.committedAt - s.submittedAt);
        const at = certifiedAt(s.commitIndex);
        if (at !== undefined) certifiedMs.push(Math.max(at, s.committedAt) - s.submittedAt);
      }
      return Object.freeze({ samples: samples.length, skipped, committedMs, certifiedMs, unresolved: waiting.size, lookups });
    },
  });
}
