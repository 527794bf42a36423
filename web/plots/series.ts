/**
 * Pure helpers behind the run plots: bin raw run data (commits, latencies, skipped leaders,
 * bytes) into the series the plots draw, and say in words what each plot shows (the text a
 * screen reader gets instead of the picture). d3 computes the bins and quantiles; nothing here
 * touches the DOM (HOUSE-RULES 17).
 *
 * Inputs are plain arrays in virtual milliseconds since genesis, so a simulator snapshot, a
 * live peer's metrics or a test can feed them alike.
 */
import { bin, max, quantileSorted } from 'd3';

export type CommitSample = { readonly timeMs: number; readonly transactions: number };
export type TpsPoint = { readonly startMs: number; readonly endMs: number; readonly tps: number };
export type HistogramBin = { readonly x0: number; readonly x1: number; readonly count: number };
export type LatencyHistogram = {
  readonly bins: readonly HistogramBin[];
  readonly samples: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
};
export type StepPoint = { readonly timeMs: number; readonly count: number };

/** Default width of a TPS bin: one second, the unit the rate is stated in. */
export const DEFAULT_TPS_BIN_MS = 1_000;
/** Default number of histogram bins: enough to show shape, few enough to read on a phone. */
export const DEFAULT_LATENCY_BINS = 20;

function checkBinMs(binMs: number): void {
  if (!(binMs > 0) || !Number.isFinite(binMs)) throw new RangeError(`binMs: a positive number is needed, got ${binMs}`);
}

/**
 * Committed transactions per second in consecutive bins of `binMs`, from time 0 to the bin
 * holding the last commit (or `untilMs`). Empty bins are zeros, so stalls show as drops.
 */
export function tpsSeries(commits: readonly CommitSample[], binMs = DEFAULT_TPS_BIN_MS, untilMs?: number): TpsPoint[] {
  checkBinMs(binMs);
  const endMs = Math.max(untilMs ?? 0, max(commits, (c) => c.timeMs) ?? 0);
  if (commits.length === 0 && untilMs === undefined) return [];
  const binCount = Math.max(1, Math.ceil(endMs / binMs) || 1);
  const totals = new Float64Array(binCount);
  for (const commit of commits) {
    if (commit.timeMs < 0) continue;
    const index = Math.min(binCount - 1, Math.floor(commit.timeMs / binMs));
    totals[index] = (totals[index] as number) + commit.transactions;
  }
  return Array.from(totals, (total, i) => ({ startMs: i * binMs, endMs: (i + 1) * binMs, tps: (total * 1_000) / binMs }));
}

/** Histogram of finality latencies with the 50th, 90th and 99th percentiles (NaN when empty). */
export function latencyHistogram(latenciesMs: readonly number[], binCount = DEFAULT_LATENCY_BINS): LatencyHistogram {
  if (!Number.isSafeInteger(binCount) || binCount < 1) throw new RangeError(`binCount: a positive integer is needed, got ${binCount}`);
  const sorted = latenciesMs.filter((v) => Number.isFinite(v) && v >= 0).sort((a, b) => a - b);
  const bins = bin().thresholds(binCount)(sorted).map((b) => ({ x0: b.x0 ?? 0, x1: b.x1 ?? 0, count: b.length }));
  return {
    bins,
    samples: sorted.length,
    p50: quantileSorted(sorted, 0.5) ?? Number.NaN,
    p90: quantileSorted(sorted, 0.9) ?? Number.NaN,
    p99: quantileSorted(sorted, 0.99) ?? Number.NaN,
  };
}

/** Cumulative count of events (skipped leaders = view changes) as a step series starting at 0. */
export function cumulativeSteps(timesMs: readonly number[], untilMs?: number): StepPoint[] {
  const sorted = [...timesMs].sort((a, b) => a - b);
  const points: StepPoint[] = [{ timeMs: 0, count: 0 }];
  sorted.forEach((timeMs, i) => points.push({ timeMs, count: i + 1 }));
  const last = points[points.length - 1] as StepPoint;
  if (untilMs !== undefined && untilMs > last.timeMs) points.push({ timeMs: untilMs, count: last.count });
  return points;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1_000 && unit < units.length - 1) {
    value /= 1_000;
    unit++;
  }
  return `${unit === 0 ? integer.format(value) : oneDecimal.format(value)} ${units[unit]}`;
}

export function formatSeconds(ms: number): string {
  return `${oneDecimal.format(ms / 1_000)} s`;
}

export function tpsSummary(series: readonly TpsPoint[]): string {
  if (series.length === 0) return 'No commits yet.';
  const peak = series.reduce((best, p) => (p.tps > best.tps ? p : best));
  const total = series.reduce((sum, p) => sum + (p.tps * (p.endMs - p.startMs)) / 1_000, 0);
  const last = series[series.length - 1] as TpsPoint;
  const spanMs = last.endMs;
  return `${integer.format(total)} transactions committed over ${formatSeconds(spanMs)}: ${oneDecimal.format((total * 1_000) / spanMs)} per second on average, peak ${oneDecimal.format(peak.tps)} per second at ${formatSeconds(peak.startMs)}, last second ${oneDecimal.format(last.tps)} per second.`;
}

export function latencySummary(histogram: LatencyHistogram): string {
  if (histogram.samples === 0) return 'No finality latencies measured yet.';
  const ms = (v: number): string => `${integer.format(v)} ms`;
  return `${integer.format(histogram.samples)} finality latencies: median ${ms(histogram.p50)}, 90th percentile ${ms(histogram.p90)}, 99th percentile ${ms(histogram.p99)}.`;
}

export function viewChangeSummary(steps: readonly StepPoint[]): string {
  const last = steps[steps.length - 1];
  const count = last?.count ?? 0;
  if (count === 0) return 'No view changes: every leader slot so far was committed or is pending.';
  // The first point that reaches the final count is the last view change.
  const lastChange = steps.find((p) => p.count === count);
  return `${integer.format(count)} view change${count === 1 ? '' : 's'} (skipped leaders), the last at ${formatSeconds(lastChange?.timeMs ?? 0)}.`;
}

export function bytesSummary(bytesPerValidator: readonly number[]): string {
  if (bytesPerValidator.length === 0) return 'No validators.';
  const total = bytesPerValidator.reduce((a, b) => a + b, 0);
  let most = 0;
  let least = 0;
  bytesPerValidator.forEach((b, i) => {
    if (b > (bytesPerValidator[most] as number)) most = i;
    if (b < (bytesPerValidator[least] as number)) least = i;
  });
  return `${formatBytes(total)} sent by ${bytesPerValidator.length} validators; most by v${most} (${formatBytes(bytesPerValidator[most] as number)}), least by v${least} (${formatBytes(bytesPerValidator[least] as number)}).`;
}
