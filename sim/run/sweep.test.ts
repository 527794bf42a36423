import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse.ts';
import { printScenario } from '../scenario/print.ts';
import { runScenario } from './scenario.ts';
import { faultToleranceOf, runSweep, sweepScenario, type FaultPlanner, type SweepOptions, type SweepProgress } from './sweep.ts';

const SMALL: SweepOptions = { runs: 12, baseSeed: 20261127, validators: 4, maxByzantine: 1, durationMs: 2_500, crypto: 'modeled' };

/** f + 1 = 2 Twins equivocators of 4 while the honest two are cut from each other: each side can gather a quorum. */
const splitBrain: FaultPlanner = () => [
  { atMs: 500, action: { kind: 'partition', spec: { kind: 'between', a: [0], b: [1] } } },
  { atMs: 500, action: { kind: 'byzantine', node: 2, behaviour: { kind: 'equivocate' } } },
  { atMs: 500, action: { kind: 'byzantine', node: 3, behaviour: { kind: 'equivocate' } } },
];

describe('fault plans', () => {
  it('are drawn from the run seed alone: same index, same scenario; other index, other seed', () => {
    expect(sweepScenario(SMALL, 3)).toEqual(sweepScenario(SMALL, 3));
    expect(sweepScenario(SMALL, 3).seed).not.toBe(sweepScenario(SMALL, 4).seed);
    expect(sweepScenario({ ...SMALL, baseSeed: 1 }, 3).seed).not.toBe(sweepScenario(SMALL, 3).seed);
  });

  it('stay within ≤ f Byzantine, heal every crash, partition and loss burst before the last third, and print as replayable text', () => {
    const options: SweepOptions = { ...SMALL, validators: 10, maxByzantine: 3, durationMs: 9_000 };
    const kinds = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const scenario = sweepScenario(options, i);
      const byzantine = new Set(scenario.actions.flatMap((a) => (a.action.kind === 'byzantine' ? [a.action.node] : [])));
      expect(byzantine.size).toBeLessThanOrEqual(faultToleranceOf(10));
      for (const a of scenario.actions) {
        kinds.add(a.action.kind === 'byzantine' ? a.action.behaviour.kind : a.action.kind === 'restart' ? `restart ${a.action.store}` : a.action.kind);
        expect(a.atMs).toBeLessThan(6_000);
      }
      const down = new Set<number>();
      let partitioned = false;
      let loss = 0;
      for (const { action } of scenario.actions) {
        if (action.kind === 'crash') down.add(action.node);
        if (action.kind === 'restart') down.delete(action.node);
        if (action.kind === 'partition') partitioned = true;
        if (action.kind === 'heal') partitioned = false;
        if (action.kind === 'loss') loss = action.probability;
      }
      expect({ down: [...down], partitioned, loss }).toEqual({ down: [], partitioned: false, loss: 0 });
      const reparsed = parseScenario(printScenario(scenario));
      expect(reparsed.ok && reparsed.value).toEqual(scenario);
    }
    expect([...kinds].sort()).toEqual(['crash', 'delay', 'equivocate', 'forge', 'heal', 'loss', 'partition', 'restart keep', 'restart wipe', 'withhold']);
  });

  it('rejects more than f Byzantine and malformed options', async () => {
    await expect(runSweep({ ...SMALL, maxByzantine: 2 })).rejects.toThrow(RangeError);
    await expect(runSweep({ ...SMALL, runs: 0 })).rejects.toThrow(/runs/);
    await expect(runSweep({ ...SMALL, baseSeed: -1 })).rejects.toThrow(/baseSeed/);
  });
});

describe('runSweep', () => {
  it('finds no safety violation in a small seeded sweep with ≤ f Byzantine', async () => {
    const progress: SweepProgress[] = [];
    const report = await runSweep(SMALL, (p) => progress.push(p));
    expect(report.violations).toEqual([]);
    expect(report.safe).toBe(true);
    expect(report.passes + report.noProgressSeeds.length).toBe(12);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  }, 60_000);

  it('reports a plan with f + 1 equivocators as a safety violation, with its seed and a scenario that replays it', async () => {
    const report = await runSweep({ ...SMALL, runs: 1, durationMs: 3_000 }, undefined, splitBrain);
    expect(report.safe).toBe(false);
    const failure = report.violations[0];
    expect(failure?.seed).toBe(sweepScenario(SMALL, 0).seed);
    expect(failure?.verdict).toBe('diverged');
    expect(failure?.violations.map((v) => v.kind)).toContain('commit-divergence');
    expect(failure?.scenarioText).toContain(`seed ${failure?.seed}`);
    const replay = parseScenario(failure?.scenarioText ?? '');
    if (!replay.ok) throw new Error('the reported scenario does not parse');
    const again = await runScenario(replay.value);
    expect(again.verdict).toBe('diverged');
    expect(again.snapshot.violations).toEqual(failure?.violations);
  }, 60_000);
});
