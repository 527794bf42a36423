import { describe, expect, it } from 'vitest';
import { run, spawnKaldrix } from './_cliTest.ts';
import { simCommand } from './simEntry.ts';


const kaldrix = spawnKaldrix;

describe('kaldrix sim', () => {
  it('runs the simulator with npm run sim\'s flags: --json prints one JSON object, exit 0', async () => {
    const r = await kaldrix(['sim', '--validators', '4', '--duration', '1', '--crypto', 'modeled', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { inputs: { validators: number; crypto: string }; safety: { violations: unknown[] }; committedHeights: number[] };
    expect(report.inputs).toMatchObject({ validators: 4, crypto: 'modeled' });
    expect(report.safety.violations).toEqual([]);
    expect(report.committedHeights).toHaveLength(4);
  });

  it('a bad flag exits 2, and --help lists every flag the kaldrix help page documents', async () => {
    const bad = await kaldrix(['sim', '--bogus']);
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/unknown flag "--bogus"/);
    const help = await kaldrix(['sim', '--help']);
    expect(help.code).toBe(0);
    for (const flag of Object.keys(simCommand.options)) expect(help.stdout).toMatch(new RegExp(`^ {2}--${flag} `, 'm'));
  });

  it('is listed by kaldrix --help; in-process it points to the kaldrix executable', async () => {
    expect((await run(['--help'])).out).toMatch(/^ {2}sim +run a headless simulation/m);
    const r = await run(['sim', '--json']);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toMatch(/^kaldrix sim: the simulator runs as its own program/);
  });
});
