/**
 * The Grafana dashboard and the Prometheus scrape config: they parse, and every query names
 * only metrics the peer exports (a typo would show an empty panel in production).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** The peer's Prometheus metrics (the histogram's series carry the usual suffixes). */
const PEER_METRICS = new Set([
  'kaldrix_commits_total', 'kaldrix_peers', 'kaldrix_finality_latency_seconds_bucket', 'kaldrix_finality_latency_seconds_sum',
  'kaldrix_finality_latency_seconds_count', 'kaldrix_view_changes_total', 'kaldrix_mempool_transactions', 'kaldrix_bytes_sent_total',
  'kaldrix_bytes_received_total', 'kaldrix_verify_total', 'kaldrix_round',
]);

type Panel = { title: string; type: string; targets?: Array<{ expr: string }> };
const dashboard = JSON.parse(readFileSync(join(here, 'grafana-kaldrix.json'), 'utf8')) as { panels: Panel[]; templating: { list: Array<{ definition?: string }> } };
const metricNames = (expr: string): string[] => expr.match(/\bkaldrix_[a-z_]+/g) ?? [];

describe('grafana-kaldrix.json', () => {
  it('has the panels operators need', () => {
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join('|');
    for (const word of ['commits', 'finality', 'view changes', 'mempool', 'peers', 'bytes', 'verif', 'round']) expect(titles).toContain(word);
  });

  it('queries only metrics the peer exports, in every panel and variable', () => {
    const exprs = [...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...dashboard.templating.list.map((v) => v.definition ?? '')];
    expect(exprs.length).toBeGreaterThan(8);
    for (const expr of exprs) for (const name of metricNames(expr)) expect(PEER_METRICS, `${name} in ${expr}`).toContain(name);
    for (const panel of dashboard.panels) expect((panel.targets ?? []).length, panel.title).toBeGreaterThan(0);
  });

  it('shows finality p50, p90 and p99 from the histogram', () => {
    const finality = dashboard.panels.find((p) => p.title.toLowerCase().includes('finality'));
    const exprs = (finality?.targets ?? []).map((t) => t.expr);
    for (const q of ['0.5', '0.9', '0.99']) {
      expect(exprs.some((e) => e.startsWith(`histogram_quantile(${q},`) && e.includes('kaldrix_finality_latency_seconds_bucket'))).toBe(true);
    }
  });
});

describe('prometheus.yml', () => {
  const text = readFileSync(join(here, 'prometheus.yml'), 'utf8');

  it('scrapes the peers on :8080/metrics with a region label on every target group', () => {
    expect(text).toMatch(/^\s+metrics_path: \/metrics$/m);
    const targets = [...text.matchAll(/targets: \[([^\]]*)\]/g)].map((m) => m[1] ?? '');
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) for (const target of t.split(',')) expect(target.trim()).toMatch(/^'[\d.]+:8080'$/);
    expect((text.match(/^\s+region: [a-z0-9-]+$/gm) ?? []).length).toBe(targets.length);
  });
});
