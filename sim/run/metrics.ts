/**
 * Run metrics (issue "Simulator", metrics): committed transactions, finality latency from
 * submission to the certificate covering the commit that executed the transaction, commit
 * latency (submission to that commit), and the rates a snapshot reports. Wall time is never
 * read here (pure code): the caller passes it in to get events/s and the virtual/wall ratio.
 *
 * Bounds: one entry per submitted transaction until it is committed (the workload is bounded
 * by its rate and the run's duration); latency samples are kept for percentiles. The newest
 * RECENT_FINALITY_SAMPLES finality latencies are also kept apart, in a ring, for the page's
 * histogram: a snapshot crosses the worker boundary every few hundred ms, so what it carries
 * must not grow with the run.
 */
import { toHex, type Hash32 } from '../../core/crypto/index.ts';
import type { Receipt } from '../../core/state/index.ts';
import type { Percentiles } from './types.ts';

/**
 * Finality latencies a snapshot carries for a histogram: 2,000 numbers are 16 KB of a
 * structured clone (a few times a second is nothing for postMessage), and enough for a stable
 * shape and about 20 samples in the slowest percent, so p99 is read off real points.
 */
export const RECENT_FINALITY_SAMPLES = 2_000;

export type MetricsRecorder = {
  onSubmitted(id: Hash32, nowMs: number): void;
  /** The first honest commit at `index` executed these receipts. */
  onReferenceCommit(index: number, receipts: readonly Receipt[], nowMs: number): void;
  /** The first certificate for a checkpoint covering commits up to `lastCommitIndex`. */
  onCertified(lastCommitIndex: number, nowMs: number): void;
  submitted(): number;
  committedTxs(): number;
  finalityMs(): Percentiles;
  commitLatencyMs(): Percentiles;
  /** The newest finality latencies (at most RECENT_FINALITY_SAMPLES), oldest first, ms. */
  recentFinalityMs(): number[];
};

/** A ring of the newest `capacity` samples: O(1) to add, O(capacity) to read. */
export type RecentSamples = {
  readonly capacity: number;
  add(sample: number): void;
  /** Samples seen so far, including those the ring has let go. */
  readonly total: number;
  /** The retained samples, oldest first (a fresh array). */
  values(): number[];
};

export function createRecentSamples(capacity: number): RecentSamples {
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity: a positive integer is needed, got ${capacity}`);
  const ring = new Float64Array(capacity);
  let total = 0;
  return {
    capacity,
    add(sample) {
      ring[total % capacity] = sample;
      total++;
    },
    get total() {
      return total;
    },
    values() {
      if (total <= capacity) return Array.from(ring.subarray(0, total));
      const start = total % capacity;
      return [...ring.subarray(start), ...ring.subarray(0, start)];
    },
  };
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function percentilesOf(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return Object.freeze({ p50: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p99: round(percentile(sorted, 99)), samples: sorted.length });
}

export function createMetricsRecorder(): MetricsRecorder {
  const submittedAt = new Map<string, number>();
  /** Executed, not yet certified: commit index and submission time, in commit order. */
  const awaitingCertificate: { index: number; submittedMs: number }[] = [];
  let head = 0;
  const finality: number[] = [];
  const recentFinality = createRecentSamples(RECENT_FINALITY_SAMPLES);
  const commitLatency: number[] = [];
  let submitted = 0;
  let committed = 0;
  return {
    onSubmitted: (id, nowMs) => {
      submitted++;
      submittedAt.set(toHex(id), nowMs);
    },
    onReferenceCommit: (index, receipts, nowMs) => {
      for (const receipt of receipts) {
        if (receipt.status === 'applied') committed++;
        const key = toHex(receipt.id);
        const at = submittedAt.get(key);
        if (at === undefined) continue;
        submittedAt.delete(key);
        commitLatency.push(nowMs - at);
        awaitingCertificate.push({ index, submittedMs: at });
      }
    },
    onCertified: (lastCommitIndex, nowMs) => {
      while (head < awaitingCertificate.length && (awaitingCertificate[head] as { index: number }).index <= lastCommitIndex) {
        const latencyMs = nowMs - (awaitingCertificate[head] as { submittedMs: number }).submittedMs;
        finality.push(latencyMs);
        recentFinality.add(Math.round(latencyMs * 1000) / 1000);
        head++;
      }
      if (head > 1024 && head * 2 > awaitingCertificate.length) {
        awaitingCertificate.splice(0, head);
        head = 0;
      }
    },
    submitted: () => submitted,
    committedTxs: () => committed,
    finalityMs: () => percentilesOf(finality),
    commitLatencyMs: () => percentilesOf(commitLatency),
    recentFinalityMs: () => recentFinality.values(),
  };
}
