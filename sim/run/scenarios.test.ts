// Every scenario in sim/scenario/scenarios/ runs, and every `expect` line in it holds.
// Reading the folder uses node:fs: this is a test, run by Node; the runner itself is pure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario } from '../scenario/index.ts';
import { runScenario, type ScenarioReport } from './scenario.ts';

const folder = join(import.meta.dirname, '..', 'scenario', 'scenarios');
const files = readdirSync(folder).filter((f) => f.endsWith('.scen')).sort();
const reports = new Map<string, ScenarioReport>();

async function run(file: string): Promise<ScenarioReport> {
  const parsed = parseScenario(readFileSync(join(folder, file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file}:\n${parsed.error.map(formatScenarioError).join('\n')}`);
  const report = await runScenario(parsed.value);
  reports.set(file, report);
  return report;
}

describe('example scenarios: every expectation holds', () => {
  for (const file of files) {
    // A generous bound: a shared 2-core machine under load runs these several times slower.
    it(file, { timeout: 300_000 }, async () => {
      const report = await run(file);
      const failed = report.expectations.filter((e) => !e.pass).map((e) => `expect ${e.text}: ${e.actual}`);
      expect(failed, `${file} seed=${report.seed}`).toEqual([]);
    });
  }

  it('beyond f: the split brain names the first divergence and the offenders', () => {
    const report = reports.get('beyond-f-split-brain.scen');
    if (report === undefined) return;
    const first = report.snapshot.violations[0];
    expect(first?.kind).toBe('commit-divergence');
    if (first?.kind === 'commit-divergence') {
      expect(first.first.commitDigest).not.toBe(first.second.commitDigest);
      expect([first.first.by, first.second.by].every((by) => by < 4)).toBe(true);
    }
    expect(report.snapshot.evidence.offenders).toEqual([4, 5, 6]);
    // The same split with f equivocators stays safe.
    expect(reports.get('split-brain-f.scen')?.snapshot.violations).toEqual([]);
  });
});
