/**
 * `kaldrix sim`: the headless simulator (sim/cli.ts, the same program as `npm run sim --`), as
 * an entry of the command list and of `kaldrix help sim`.
 *
 * infra/ may not import sim/ (the layering lint), so the simulator is not run from here:
 * bin/kaldrix.mjs hands `kaldrix sim …` to sim/cli.ts before this CLI parses anything, and the
 * simulator parses its own flags and prints its own --help. This entry documents the flags of
 * DESIGN.md §3; `run` is reached only when the CLI is driven in-process, and says where the
 * simulator lives. A test runs `kaldrix sim --help` and checks every flag listed here is real.
 */
import type { Result } from '../../core/result.ts';
import type { CommandSpec } from './command.ts';
import { EXIT, failure, type CliFailure, type ExitCode } from './failure.ts';

const flag = (valueName: string, description: string) => ({ type: 'string', valueName, description }) as const;

export const simCommand: CommandSpec = Object.freeze<CommandSpec>({
  name: 'sim',
  summary: 'run a headless simulation (as npm run sim --); kaldrix sim --help lists its flags',
  usage: ['sim [--validators N] [--byzantine K] [--crashed K] [--duration SECONDS] [--seed S] [--crypto real|modeled] [--json] [flags]'],
  options: {
    validators: flag('N', 'committee size'),
    byzantine: flag('K', 'the last K validators equivocate from the start'),
    crashed: flag('K', 'the K validators before them are down from the start'),
    faults: flag('FILE', 'apply the timed actions of a scenario file'),
    'latency-ms': flag('MEAN[:JITTER]', 'one-way network latency'),
    loss: flag('P', 'message loss probability 0..1'),
    partition: flag('SPEC', 'partition from the start, e.g. "0-3 | 4-9"'),
    tps: flag('RATE', 'offered transfers per second'),
    duration: flag('SECONDS', 'virtual seconds to run'),
    seed: flag('S', 'root seed: one seed decides the whole run'),
    crypto: flag('real|modeled', 'real ML-DSA-44 signatures or modeled ones'),
    scenario: flag('FILE', 'run a scenario file and check its expectations'),
    runs: flag('N', 'a sweep of N seeded random-fault runs'),
    json: { type: 'boolean', description: 'print one JSON object: inputs, safety, commits, finality, view changes' },
  },
  notes: [
    'The simulator runs the real consensus code on a simulated network and clock: the same seed gives the same run. ' +
      'kaldrix sim --help prints its own page with every default.',
  ],
  examples: ['kaldrix sim --validators 4 --duration 10 --crypto modeled', 'kaldrix sim --validators 7 --byzantine 2 --seed 42 --json'],
  exitCodes: [
    [EXIT.ok, 'no safety violation'],
    [EXIT.rejected, 'a safety violation was found (the seed is printed)'],
    [EXIT.usage, 'bad flag or input'],
    [3, 'internal error of the simulator (a bug)'],
  ],
  run: (): Promise<Result<ExitCode, CliFailure>> =>
    Promise.resolve(failure('the simulator runs as its own program, not inside this process', 'run it through the kaldrix executable: npx kaldrix sim …')),
});
