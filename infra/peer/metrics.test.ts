import { describe, expect, it } from 'vitest';
import { PUBLISHED_METRICS } from '../cdk/cloudwatchAgentConfig.ts';
import { createPeerMetrics, PEER_METRIC_NAMES } from './metrics.ts';

/** `name value` of an unlabelled sample line, or undefined. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('createPeerMetrics', () => {
  it('exports exactly the kaldrix_* series the deployment reads, plus default process metrics', async () => {
    const text = await createPeerMetrics().render();
    const families = new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`));
    const kaldrix = [...families].filter((f) => f.startsWith('kaldrix_')).sort();
    expect(kaldrix).toEqual([
      'kaldrix_bytes_received_total counter', 'kaldrix_bytes_sent_total counter', 'kaldrix_commits_total counter',
      'kaldrix_committed_transactions_total counter',
      'kaldrix_finality_latency_seconds histogram', 'kaldrix_mempool_transactions gauge', 'kaldrix_peers gauge',
      'kaldrix_round gauge', 'kaldrix_verify_total counter', 'kaldrix_view_changes_total counter',
    ]);
    expect(kaldrix.map((f) => f.split(' ')[0]).sort()).toEqual([...PEER_METRIC_NAMES].sort());
    for (const name of PUBLISHED_METRICS) expect(PEER_METRIC_NAMES).toContain(name);
    expect(families.has('process_cpu_seconds_total counter')).toBe(true);
  });

  it('counts what the runtime reports', async () => {
    const m = createPeerMetrics();
    m.onCommitted(3, [0.12, 0.4]);
    m.onCommitted(0, []);
    m.onViewChange();
    m.onViewChange(2);
    m.setPeers(5);
    m.setMempool(42);
    m.addBytes(100, 250);
    m.addBytes(1, 0);
    m.addVerified(7);
    m.setRound(19);
    m.setPeers(4);
    const text = await m.render();
    expect(sample(text, 'kaldrix_commits_total')).toBe(2);
    expect(sample(text, 'kaldrix_committed_transactions_total')).toBe(3);
    expect(sample(text, 'kaldrix_view_changes_total')).toBe(3);
    expect(sample(text, 'kaldrix_peers')).toBe(4);
    expect(sample(text, 'kaldrix_mempool_transactions')).toBe(42);
    expect(sample(text, 'kaldrix_bytes_sent_total')).toBe(101);
    expect(sample(text, 'kaldrix_bytes_received_total')).toBe(250);
    expect(sample(text, 'kaldrix_verify_total')).toBe(7);
    expect(sample(text, 'kaldrix_round')).toBe(19);
    expect(sample(text, 'kaldrix_finality_latency_seconds_count')).toBe(2);
    expect(sample(text, 'kaldrix_finality_latency_seconds_sum')).toBeCloseTo(0.52);
    expect(text).toContain('kaldrix_finality_latency_seconds_bucket{le="0.15"} 1');
    expect(text).toContain('kaldrix_finality_latency_seconds_bucket{le="0.5"} 2');
  });

  it('keeps registries apart: two nodes in one process do not share counts', async () => {
    const a = createPeerMetrics();
    const b = createPeerMetrics();
    a.onCommitted(1, []);
    expect(sample(await b.render(), 'kaldrix_commits_total')).toBe(0);
  });

  it('throws on caller bugs: negative or fractional counts, more finality samples than transactions', () => {
    const m = createPeerMetrics();
    expect(() => m.setPeers(-1)).toThrow(RangeError);
    expect(() => m.addBytes(1.5, 0)).toThrow(RangeError);
    expect(() => m.onCommitted(1, [0.1, 0.2])).toThrow(RangeError);
    expect(() => m.onCommitted(1, [Number.NaN])).toThrow(RangeError);
  });
});
