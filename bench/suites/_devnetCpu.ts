/**
 * What the devnet's nodes spend per transfer: the CPU seconds of every node process (all its
 * threads: the event loop, the verify workers, LevelDB's) across a load window and its drain,
 * from each node's own `process_cpu_seconds_total`, over the transfers committed meanwhile.
 *
 * Why this figure: on a machine the nodes saturate, committed tx/s and finality say only that
 * the cores ran out; CPU per transfer says how far each node is from what the machine could
 * carry (the verify ceiling's cost per signature is the floor of it) and it shows whether a
 * change made a node cheaper, whatever else the machine was doing.
 */
import { getText, metricValue, type ApiClient } from './_devnetHttp.ts';

const METRICS_TIMEOUT_MS = 5_000;

/** CPU seconds per node, in the order of `clients`; undefined where a node gave no reading. */
export async function readNodeCpuSeconds(clients: readonly ApiClient[]): Promise<readonly (number | undefined)[]> {
  const texts = await Promise.all(clients.map((c) => getText(c.apiUrl, '/metrics', METRICS_TIMEOUT_MS)));
  return texts.map((t) => (t === undefined ? undefined : metricValue(t, 'process_cpu_seconds_total')));
}

export type NodeCpuSpent = {
  /** Mean CPU milliseconds one node spent per committed transfer. */
  readonly msPerTransfer: number;
  /** CPU seconds of all nodes together over the interval. */
  readonly totalSeconds: number;
  readonly nodes: number;
};

/** Mean CPU per transfer per node between two readings; undefined without both readings of every node or without transfers. */
export function cpuPerTransfer(before: readonly (number | undefined)[], after: readonly (number | undefined)[], transfers: number): NodeCpuSpent | undefined {
  if (transfers <= 0 || before.length === 0 || before.length !== after.length) return undefined;
  let totalSeconds = 0;
  for (let i = 0; i < before.length; i++) {
    const b = before[i];
    const a = after[i];
    if (a === undefined || b === undefined || a < b) return undefined;
    totalSeconds += a - b;
  }
  return Object.freeze({ msPerTransfer: (totalSeconds * 1000) / transfers / before.length, totalSeconds, nodes: before.length });
}
