/**
 * The peer's Prometheus metrics (prom-client): one registry per node with exactly the series
 * the deployment alarms and dashboards read, plus prom-client's default process metrics.
 *
 * Names are a contract with infra/cdk (cloudwatchAgentConfig.ts PUBLISHED_METRICS, peerAlarms.ts)
 * and infra/observability (grafana-kaldrix.json): renaming one silently blinds an alarm.
 *   kaldrix_commits_total                 counter   committed leaders (one per commit index)
 *   kaldrix_finality_latency_seconds      histogram submission → commit, per transaction this node received
 *   kaldrix_view_changes_total            counter   skipped leader slots (DESIGN.md §2: the view change)
 *   kaldrix_peers                         gauge     connected peers
 *   kaldrix_mempool_transactions          gauge     transactions pooled
 *   kaldrix_bytes_sent_total / _received_total  counters  network bytes
 *   kaldrix_verify_total                  counter   signatures verified
 *   kaldrix_round                         gauge     the own DAG round
 * HOUSE-RULES 15: prom-client lives here only; core reports through its optional interfaces.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Finality buckets in seconds: dense around the devnet target (p50 under 300 ms, DESIGN.md §4)
 * and wide enough to show a stalled network (a leader timeout backs off to 1.6 s; 30 s is a stall).
 */
export const FINALITY_BUCKETS_SECONDS = Object.freeze([0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30]);

export const PEER_METRIC_NAMES = Object.freeze([
  'kaldrix_commits_total',
  'kaldrix_committed_transactions_total',
  'kaldrix_peers',
  'kaldrix_finality_latency_seconds',
  'kaldrix_view_changes_total',
  'kaldrix_mempool_transactions',
  'kaldrix_bytes_sent_total',
  'kaldrix_bytes_received_total',
  'kaldrix_verify_total',
  'kaldrix_round',
] as const);

export type PeerMetrics = {
  readonly registry: Registry;
  /** The Content-Type of `render()`'s text (Prometheus text exposition format). */
  readonly contentType: string;
  /** One leader committed with `txCount` transactions; `finalitySeconds` for those this node saw submitted. */
  onCommitted(txCount: number, finalitySeconds: readonly number[]): void;
  /** Finality of transactions this node saw submitted, measured when a certificate covers their commit. */
  observeFinality(finalitySeconds: readonly number[]): void;
  /** Skipped leader slots (view changes); default one. */
  onViewChange(count?: number): void;
  setPeers(count: number): void;
  setMempool(transactions: number): void;
  /** Bytes sent and received since the last call (deltas, not totals). */
  addBytes(sentBytes: number, receivedBytes: number): void;
  addVerified(signatures: number): void;
  setRound(round: number): void;
  render(): Promise<string>;
};

function count(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

export function createPeerMetrics(): PeerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const commits = new Counter({ name: 'kaldrix_commits_total', help: 'Committed leaders (commit indices)', registers });
  const committedTxs = new Counter({ name: 'kaldrix_committed_transactions_total', help: 'Transactions executed in commits (applied or refused)', registers });
  const finality = new Histogram({
    name: 'kaldrix_finality_latency_seconds', help: 'Seconds from a transaction reaching this node to the certificate of its commit', buckets: [...FINALITY_BUCKETS_SECONDS], registers,
  });
  const viewChanges = new Counter({ name: 'kaldrix_view_changes_total', help: 'Skipped leader slots (view changes)', registers });
  const peers = new Gauge({ name: 'kaldrix_peers', help: 'Connected peers', registers });
  const mempool = new Gauge({ name: 'kaldrix_mempool_transactions', help: 'Transactions in the mempool', registers });
  const sent = new Counter({ name: 'kaldrix_bytes_sent_total', help: 'Network bytes sent', registers });
  const received = new Counter({ name: 'kaldrix_bytes_received_total', help: 'Network bytes received', registers });
  const verified = new Counter({ name: 'kaldrix_verify_total', help: 'Signatures verified', registers });
  const round = new Gauge({ name: 'kaldrix_round', help: 'The own DAG round in the current epoch', registers });

  return Object.freeze({
    registry,
    contentType: registry.contentType,
    onCommitted(txCount: number, finalitySeconds: readonly number[]) {
      count('onCommitted: txCount', txCount);
      // Only transactions of this commit can have a finality; more samples than transactions is a caller bug.
      if (finalitySeconds.length > txCount) throw new RangeError(`onCommitted: ${finalitySeconds.length} finality samples for ${txCount} transactions`);
      for (const s of finalitySeconds) if (!Number.isFinite(s) || s < 0) throw new RangeError(`onCommitted: finality ${s} s is not a non-negative number`);
      commits.inc();
      committedTxs.inc(txCount);
      for (const s of finalitySeconds) finality.observe(s);
    },
    observeFinality(finalitySeconds: readonly number[]) {
      for (const s of finalitySeconds) if (!Number.isFinite(s) || s < 0) throw new RangeError(`observeFinality: ${s} s is not a non-negative number`);
      for (const s of finalitySeconds) finality.observe(s);
    },
    onViewChange(n = 1) {
      viewChanges.inc(count('onViewChange: count', n));
    },
    setPeers(n: number) {
      peers.set(count('setPeers: count', n));
    },
    setMempool(n: number) {
      mempool.set(count('setMempool: transactions', n));
    },
    addBytes(sentBytes: number, receivedBytes: number) {
      sent.inc(count('addBytes: sentBytes', sentBytes));
      received.inc(count('addBytes: receivedBytes', receivedBytes));
    },
    addVerified(n: number) {
      verified.inc(count('addVerified: signatures', n));
    },
    setRound(r: number) {
      round.set(count('setRound: round', r));
    },
    render: () => registry.metrics(),
  });
}
