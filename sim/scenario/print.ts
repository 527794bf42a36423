/**
 * The scenario printer: `Scenario` to canonical text. Every field is written (defaults
 * included) in a fixed order, so equal scenarios print identically and
 * `parseScenario(printScenario(s))` gives back `s` (a property test holds it to that): a
 * scenario shared as a replay link or a file is exactly the one that ran.
 */
import { formatLatency } from '../network/latency.ts';
import type { PartitionSpec } from '../network/partition.ts';
import { formatBandwidth, formatDurationMs, formatNumber } from '../network/units.ts';
import { formatNodeSet, formatPpm, formatSignedDurationMs } from './_values.ts';
import type { ByzantineBehaviour, Expectation, Scenario, ScenarioAction, ScenarioError, StakeSpec } from './types.ts';

function stakeText(stake: StakeSpec): string {
  switch (stake.kind) {
    case 'equal':
      return 'equal';
    case 'zipf':
      return `zipf ${formatNumber(stake.exponent)}`;
    case 'list':
      return `list ${stake.stakes.join(',')}`;
  }
}

function behaviourText(b: ByzantineBehaviour): string {
  switch (b.kind) {
    case 'withhold':
      return `withhold ${formatNodeSet(b.from)}`;
    case 'delay':
      return `delay ${formatDurationMs(b.delayMs)}`;
    default:
      return b.kind;
  }
}

function partitionText(spec: PartitionSpec): string {
  switch (spec.kind) {
    case 'groups':
      return spec.groups.map(formatNodeSet).join(' | ');
    case 'oneWay':
      return `${formatNodeSet(spec.from)} -> ${formatNodeSet(spec.to)}`;
    case 'between':
      return `${formatNodeSet(spec.a)} <-> ${formatNodeSet(spec.b)}`;
  }
}

function actionText(a: ScenarioAction): string {
  switch (a.kind) {
    case 'partition':
      return `partition ${partitionText(a.spec)}`;
    case 'heal':
      return 'heal';
    case 'crash':
      return `crash ${a.node}`;
    case 'restart':
      return `restart ${a.node} ${a.store}`;
    case 'byzantine':
      return `byzantine ${a.node} ${behaviourText(a.behaviour)}`;
    case 'loss':
      return `loss ${formatNumber(a.probability)}`;
  }
}

function expectationText(e: Expectation): string {
  switch (e.kind) {
    case 'safety':
    case 'liveness':
      return e.kind;
    case 'verdict':
      return `verdict ${e.verdict}`;
    case 'evidence':
      return `evidence ${e.op} ${e.count}`;
    case 'commits':
      return `commits ${e.op} ${e.count} by ${formatDurationMs(e.byMs)}`;
  }
}

export function printScenario(s: Scenario): string {
  const lines = [`validators ${s.validators}`];
  if (s.seed !== undefined) lines.push(`seed ${s.seed}`);
  lines.push(`stake ${stakeText(s.stake)}`);
  lines.push(`latency ${s.latency.kind === 'preset' ? `preset ${s.latency.preset}` : formatLatency(s.latency.distribution)}`);
  if (s.bandwidthBitsPerSecond !== undefined) lines.push(`bandwidth ${formatBandwidth(s.bandwidthBitsPerSecond)}`);
  lines.push(`loss ${formatNumber(s.loss)}`, `duplicate ${formatNumber(s.duplicate)}`);
  if (s.reorder !== undefined) lines.push(`reorder ${formatNumber(s.reorder.probability)} ${formatDurationMs(s.reorder.maxExtraMs)}`);
  for (const d of s.drifts) lines.push(`drift ${d.node} ${formatSignedDurationMs(d.offsetMs)}${d.ratePpm === 0 ? '' : ` ${formatPpm(d.ratePpm)}`}`);
  lines.push(`crypto ${s.crypto}`, `tps ${formatNumber(s.tps)}`, `duration ${formatDurationMs(s.durationMs)}`);
  for (const { atMs, action } of s.actions) lines.push(`at ${formatDurationMs(atMs)} ${actionText(action)}`);
  for (const e of s.expectations) lines.push(`expect ${expectationText(e)}`);
  return `${lines.join('\n')}\n`;
}

/** One line for a person: `line 3, column 12: expected a duration such as 50ms or 2s, got "5x" (BAD_DURATION)`. */
export function formatScenarioError(e: ScenarioError): string {
  const got = e.token === '' ? 'the end of the line' : `"${e.token}"`;
  return `line ${e.line}, column ${e.column}: expected ${e.expected}, got ${got} (${e.code})`;
}
