import { describe, expect, it } from 'vitest';
import { measure, median } from './_harness.ts';
import { formatValue, registerSuite, registeredSuites, runSuites } from './_registry.ts';

describe('bench harness', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('runs an operation at least minIterations times per run, sync or async', async () => {
    let calls = 0;
    const m = await measure(() => void calls++, { runMs: 0, runs: 3, warmupMs: 0, minIterations: 5, itemsPerCall: 2 });
    expect(m.iterations).toBe(15);
    expect(calls).toBe(16); // one warm-up call, then 3 runs of 5
    expect(m.runs).toHaveLength(3);
    let asyncCalls = 0;
    await measure(async () => void asyncCalls++, { runMs: 0, runs: 1, warmupMs: 0, minIterations: 3 });
    expect(asyncCalls).toBe(4);
  });

  it('formats values to three significant digits with grouping', () => {
    expect(formatValue(123456.7)).toBe('123,457');
    expect(formatValue(56.78)).toBe('56.8');
    expect(formatValue(0.8912)).toBe('0.891');
  });
});

describe('bench registry', () => {
  it('runs registered suites, applies the filter and records figures and checks', async () => {
    const before = registeredSuites().length;
    registerSuite({
      name: 'registry-test',
      description: 'test suite',
      async run(ctx) {
        for (const name of ['alpha', 'beta']) {
          if (!ctx.enabled(name)) continue;
          ctx.figure({ name, value: 2, unit: 'x' });
        }
        ctx.check({ name: 'alpha present', status: ctx.find('registry-test', 'alpha') ? 'PASS' : 'SKIP', detail: '' });
      },
    });
    expect(registeredSuites()).toHaveLength(before + 1);
    expect(() => registerSuite({ name: 'registry-test', description: '', run: async () => undefined })).toThrow(/twice/);
    const lines: string[] = [];
    const { figures, checks } = await runSuites({ quick: true, filter: 'registry-test/BETA', log: (l) => lines.push(l) });
    expect(figures.map((f) => f.name)).toEqual(['beta']);
    expect(checks).toEqual([{ suite: 'registry-test', name: 'alpha present', status: 'SKIP', detail: '' }]);
    expect(lines.some((l) => l.includes('beta'))).toBe(true);
  });
});
