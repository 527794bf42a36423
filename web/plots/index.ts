/**
 * Run plots: committed TPS, finality latency histogram, view changes, bytes per validator.
 * d3 computes (series.ts and the components' scales), Svelte renders SVG; inputs are plain arrays.
 */
export {
  DEFAULT_LATENCY_BINS, DEFAULT_TPS_BIN_MS, bytesSummary, cumulativeSteps, formatBytes, formatSeconds, latencyHistogram,
  latencySummary, tpsSeries, tpsSummary, viewChangeSummary,
  type CommitSample, type HistogramBin, type LatencyHistogram as LatencyHistogramData, type StepPoint, type TpsPoint,
} from './series.ts';
export { default as TpsPlot } from './TpsPlot.svelte';
export { default as LatencyHistogram } from './LatencyHistogram.svelte';
export { default as ViewChangesPlot } from './ViewChangesPlot.svelte';
export { default as BytesPerValidatorPlot } from './BytesPerValidatorPlot.svelte';
