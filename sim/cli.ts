/**
 * `npm run sim -- [flags]`: a headless simulation run (DESIGN.md §3). The only Node entry point
 * of sim/: it reads files, measures wall time and prints; everything else is the pure engine.
 *
 * Flags: --validators N --byzantine K --crashed K --faults FILE --latency-ms MEAN[:JITTER]
 * --loss P --partition SPEC --tps RATE --duration SECONDS --seed S --crypto real|modeled --json,
 * and --scenario FILE (run a scenario file and check its expectations), --runs N (a seeded
 * random-fault sweep of N runs: run/sweep.ts), --help.
 * Byzantine validators are the last K (Twins equivocators from the start); crashed ones the K
 * before them. Exit status: 0 no safety violation, 1 a violation, 2 bad input (3: an internal
 * error, a bug of the simulator itself).
 */
import { readFileSync } from 'node:fs';
import { parseScenario, formatScenarioError, SCENARIO_DEFAULTS, SCENARIO_LIMITS, type Scenario, type TimedAction } from './scenario/index.ts';
import { runScenario, type ScenarioReport } from './run/scenario.ts';
import type { Simulation } from './run/simulation.ts';
import { faultToleranceOf, runSweep, type SweepReport } from './run/sweep.ts';

const USAGE = `Usage: npm run sim -- [flags]

  --validators N         committee size (default 4)
  --byzantine K          the last K validators equivocate from the start (Twins; default 0)
  --crashed K            the K validators before them are down from the start (default 0)
  --faults FILE          apply the timed actions ("at 2s partition 0-3 | 4-9") of a scenario file
  --latency-ms MEAN[:JITTER]  one-way latency: constant MEAN, or lognormal MEAN with stddev JITTER (default 50)
  --loss P               message loss probability 0..1 (default 0)
  --partition SPEC       partition from the start: "0-3 | 4-9", "0,1 -> 2", "0,1 <-> 2,3"
  --tps RATE             offered transfers per second (default 10)
  --duration SECONDS     virtual seconds to run (default 10)
  --seed S               root seed, 0..4294967295 (default 1)
  --crypto real|modeled  real ML-DSA-44 or modeled signatures (default real)
  --scenario FILE        run a scenario file and check its expectations (--seed, --crypto override)
  --runs N               a sweep: N seeded random-fault runs (crashes, partitions, loss, up to f
                         Byzantine; uses --seed --validators --duration --crypto --tps --latency-ms;
                         defaults 4 validators, 2 s, modeled); prints every safety violation's scenario
  --json                 print one JSON object instead of the summary table
  --help                 this text

Exit status: 0 no safety violation, 1 a safety violation, 2 bad input.`;

class BadInput extends Error {}

type Options = {
  validators: number; byzantine: number; crashed: number; faults: string | undefined; latencyMeanMs: number; latencyJitterMs: number;
  loss: number; partition: string | undefined; tps: number; durationS: number; seed: number; crypto: 'real' | 'modeled' | undefined;
  scenario: string | undefined; json: boolean; runs: number | undefined;
};

const FLAGS = ['--validators', '--byzantine', '--crashed', '--faults', '--latency-ms', '--loss', '--partition', '--tps', '--duration', '--seed', '--crypto', '--scenario', '--runs', '--json', '--help'];

function number(flag: string, text: string, min: number, max: number, integer: boolean): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new BadInput(`${flag}: expected ${integer ? 'an integer' : 'a number'} in ${min}..${max}, got "${text}"`);
  }
  return value;
}

function parseArgs(argv: readonly string[]): Options | 'help' {
  const o: Options = { validators: 4, byzantine: 0, crashed: 0, faults: undefined, latencyMeanMs: 50, latencyJitterMs: 0, loss: 0, partition: undefined, tps: 10, durationS: 10, seed: 1, crypto: undefined, scenario: undefined, json: false, runs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--json') {
      o.json = true;
      continue;
    }
    if (!FLAGS.includes(flag)) throw new BadInput(`unknown flag "${arg}"; allowed: ${FLAGS.join(' ')}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new BadInput(`${flag}: missing value`);
    switch (flag) {
      case '--validators': o.validators = number(flag, value, 1, SCENARIO_LIMITS.maxValidators, true); break;
      case '--byzantine': o.byzantine = number(flag, value, 0, SCENARIO_LIMITS.maxValidators, true); break;
      case '--crashed': o.crashed = number(flag, value, 0, SCENARIO_LIMITS.maxValidators, true); break;
      case '--faults': o.faults = value; break;
      case '--latency-ms': {
        const [mean = '', jitter] = value.split(':');
        o.latencyMeanMs = number(flag, mean, 0, 60_000, false);
        o.latencyJitterMs = jitter === undefined ? 0 : number(flag, jitter, 0, 60_000, false);
        break;
      }
      case '--loss': o.loss = number(flag, value, 0, 1, false); break;
      case '--runs': o.runs = number(flag, value, 1, 10_000_000, true); break;
      case '--partition': o.partition = value; break;
      case '--tps': o.tps = number(flag, value, 0, SCENARIO_LIMITS.maxTps, false); break;
      case '--duration': o.durationS = number(flag, value, 0.001, SCENARIO_LIMITS.maxDurationMs / 1000, false); break;
      case '--seed': o.seed = number(flag, value, 0, 0xffff_ffff, true); break;
      case '--crypto':
        if (value !== 'real' && value !== 'modeled') throw new BadInput(`--crypto: expected real or modeled, got "${value}"`);
        o.crypto = value;
        break;
      case '--scenario': o.scenario = value; break;
    }
  }
  if (o.byzantine + o.crashed > o.validators) throw new BadInput(`--byzantine ${o.byzantine} + --crashed ${o.crashed} exceed --validators ${o.validators}`);
  if (o.runs !== undefined && o.scenario !== undefined) throw new BadInput('--runs and --scenario: a sweep draws its own fault plans; give one or the other');
  return o;
}

function readScenario(flag: string, file: string, extra = ''): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new BadInput(`${flag}: cannot read ${file}: ${(cause as Error).message}`);
  }
  const parsed = parseScenario(extra + text);
  if (!parsed.ok) throw new BadInput(`${flag} ${file}:\n${parsed.error.map(formatScenarioError).join('\n')}`);
  return parsed.value;
}

/** The partition text through the scenario parser, so the CLI and scenario files share one syntax. */
function partitionAction(validators: number, spec: string): TimedAction {
  const parsed = parseScenario(`validators ${validators}\nat 0ms partition ${spec}\n`);
  const action = parsed.ok ? parsed.value.actions[0] : undefined;
  if (!parsed.ok || action === undefined) throw new BadInput(`--partition: "${spec}" is not a partition of 0..${validators - 1} (e.g. "0-3 | 4-9", "0,1 -> 2", "0,1 <-> 2,3")${parsed.ok ? '' : `: ${parsed.error.map(formatScenarioError).join('; ')}`}`);
  return action;
}

function scenarioFromFlags(o: Options): Scenario {
  const n = o.validators;
  const actions: TimedAction[] = [];
  for (let i = n - o.byzantine; i < n; i++) actions.push({ atMs: 0, action: { kind: 'byzantine', node: i, behaviour: { kind: 'equivocate' } } });
  for (let i = n - o.byzantine - o.crashed; i < n - o.byzantine; i++) actions.push({ atMs: 0, action: { kind: 'crash', node: i } });
  if (o.partition !== undefined) actions.push(partitionAction(n, o.partition));
  if (o.faults !== undefined) {
    const faults = readScenario('--faults', o.faults);
    for (const a of faults.actions) {
      const nodes = a.action.kind === 'crash' || a.action.kind === 'restart' || a.action.kind === 'byzantine' ? [a.action.node] : [];
      if (nodes.some((x) => x >= n)) throw new BadInput(`--faults ${o.faults}: an action names validator ${nodes.join(',')}, beyond --validators ${n}`);
      actions.push(a);
    }
  }
  const latency = o.latencyJitterMs > 0 ? ({ kind: 'lognormal', meanMs: o.latencyMeanMs, stddevMs: o.latencyJitterMs } as const) : ({ kind: 'constant', valueMs: o.latencyMeanMs } as const);
  return {
    validators: n, seed: o.seed, stake: SCENARIO_DEFAULTS.stake, latency: { kind: 'distribution', distribution: latency }, loss: o.loss, duplicate: 0, drifts: [],
    crypto: o.crypto ?? SCENARIO_DEFAULTS.crypto, tps: o.tps, durationMs: Math.round(o.durationS * 1000), actions: actions.sort((a, b) => a.atMs - b.atMs), expectations: [],
  };
}

function jsonOf(inputs: Record<string, unknown>, report: ScenarioReport): Record<string, unknown> {
  const s = report.snapshot;
  return {
    inputs, seed: report.seed, verdict: report.verdict, safety: { violations: s.violations }, stall: s.stall ?? null,
    committedHeights: s.committedHeights, commits: s.commits, committedTxs: s.committedTxs, committedTxPerSecond: s.committedTxPerSecond, submittedTxs: s.submittedTxs,
    finalityMs: s.finalityMs, commitLatencyMs: s.commitLatencyMs, viewChanges: s.viewChanges, leaderTimeouts: s.leaderTimeouts, certificates: s.certificates,
    evidence: s.evidence, penalties: s.penalties, bytesSent: s.bytesSent, byzantine: s.byzantine,
    expectations: report.expectations.map((e) => ({ expect: e.text, pass: e.pass, actual: e.actual })),
    events: s.events, virtualSeconds: s.virtualMs / 1000, digest: s.digest, commitDigest: s.commitDigest,
    wallSeconds: (s.performance?.wallMs ?? 0) / 1000, eventsPerWallSecond: s.performance?.eventsPerWallSecond ?? 0, virtualPerWall: s.performance?.virtualPerWall ?? 0,
  };
}

function summary(report: ScenarioReport): string {
  const s = report.snapshot;
  const rows: [string, string][] = [
    ['verdict', report.verdict], ['seed', String(report.seed)], ['safety violations', String(s.violations.length)],
    ['commits', `${s.commits} (heights ${Math.min(...s.committedHeights)}..${Math.max(...s.committedHeights)})`],
    ['committed txs', `${s.committedTxs} of ${s.submittedTxs} submitted (${s.committedTxPerSecond} tx/s)`],
    ['finality ms p50/p90/p99', `${s.finalityMs.p50} / ${s.finalityMs.p90} / ${s.finalityMs.p99}`],
    ['commit latency ms p50/p90/p99', `${s.commitLatencyMs.p50} / ${s.commitLatencyMs.p90} / ${s.commitLatencyMs.p99}`],
    ['view changes / leader timeouts', `${s.viewChanges} / ${s.leaderTimeouts}`], ['certificates', String(s.certificates)],
    ['evidence', `${s.evidence.count} equivocation(s), offenders [${s.evidence.offenders.join(', ')}]`],
    ['bytes sent per validator (max)', String(Math.max(...s.bytesSent))],
    ['virtual / wall', `${s.virtualMs / 1000} s / ${((s.performance?.wallMs ?? 0) / 1000).toFixed(2)} s (${s.performance?.virtualPerWall ?? 0}x, ${s.performance?.eventsPerWallSecond ?? 0} events/s)`],
    ['digest / commit digest', `${s.digest} / ${s.commitDigest.slice(0, 16)}`],
  ];
  for (const e of report.expectations) rows.push([`expect ${e.text}`, `${e.pass ? 'ok' : 'FAILED'}: ${e.actual}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

const given = (argv: readonly string[], flag: string): boolean => argv.some((a) => a === flag || a.startsWith(`${flag}=`));

/** Default run length of a sweep run: short runs make a 1,000-run sweep fit in minutes. */
const SWEEP_DEFAULT_DURATION_S = 2;

function sweepJson(report: SweepReport, inputs: Record<string, unknown>, wallMs: number): Record<string, unknown> {
  return {
    inputs, runs: report.runs, passes: report.passes, noProgress: report.noProgressSeeds.length, noProgressSeeds: report.noProgressSeeds,
    violations: report.violations.map((v) => ({ run: v.run, seed: v.seed, verdict: v.verdict, violations: v.violations, scenario: v.scenarioText })), safe: report.safe, wallSeconds: wallMs / 1000,
  };
}

function sweepSummary(report: SweepReport, wallMs: number): string {
  const lines = [
    `runs ${report.runs}  passes ${report.passes}  no-progress ${report.noProgressSeeds.length}  safety violations ${report.violations.length}  (${(wallMs / 1000).toFixed(1)} s wall)`,
  ];
  if (report.noProgressSeeds.length > 0) lines.push(`no-progress seeds: ${report.noProgressSeeds.join(' ')}`);
  for (const v of report.violations) lines.push(`VIOLATION run ${v.run} seed=${v.seed} verdict ${v.verdict}: ${v.violations.map((x) => x.kind).join(', ')}\n--- replay: save as a file, npm run sim -- --scenario FILE\n${v.scenarioText}---`);
  return lines.join('\n');
}

async function sweepMain(o: Options, argv: readonly string[], runs: number): Promise<number> {
  const f = faultToleranceOf(o.validators);
  if (o.byzantine > f) {
    process.stderr.write(`sim: --runs with --byzantine ${o.byzantine}: a sweep allows at most f = ${f} Byzantine of ${o.validators}\n`);
    return 2;
  }
  const durationS = given(argv, '--duration') ? o.durationS : SWEEP_DEFAULT_DURATION_S;
  const options = {
    runs, baseSeed: o.seed, validators: o.validators, maxByzantine: given(argv, '--byzantine') ? o.byzantine : f, durationMs: Math.round(durationS * 1000),
    crypto: o.crypto ?? 'modeled', tps: o.tps, latencyMs: o.latencyMeanMs,
  } as const;
  const tty = process.stderr.isTTY === true;
  const startMs = performance.now();
  const report = await runSweep(options, (p) => {
    const line = `[sweep] ${p.done}/${p.runs} pass=${p.passes} no-progress=${p.noProgress} violations=${p.violations} last seed=${p.lastSeed}`;
    if (tty) process.stderr.write(`\r${line}`);
    else if (p.done % 50 === 0 || p.done === p.runs) process.stderr.write(`${line}\n`);
  });
  if (tty) process.stderr.write('\n');
  const wallMs = performance.now() - startMs;
  process.stdout.write(o.json ? `${JSON.stringify(sweepJson(report, options, wallMs))}\n` : `${sweepSummary(report, wallMs)}\n`);
  for (const v of report.violations) process.stderr.write(`sim: sweep run ${v.run} violated safety (seed=${v.seed})\n`);
  return report.safe ? 0 : 1;
}

async function main(argv: readonly string[]): Promise<number> {
  let options: Options | 'help';
  let scenario: Scenario;
  try {
    options = parseArgs(argv);
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    scenario = options.scenario === undefined ? scenarioFromFlags(options) : readScenario('--scenario', options.scenario);
    if (options.crypto !== undefined) scenario = { ...scenario, crypto: options.crypto };
  } catch (error) {
    if (!(error instanceof BadInput)) throw error;
    process.stderr.write(`sim: ${error.message}\nRun with --help for the flags.\n`);
    return 2;
  }
  const o = options;
  if (o.runs !== undefined && o.scenario === undefined) return sweepMain(o, argv, o.runs);
  const seed = o.scenario !== undefined && !argv.some((a) => a === '--seed' || a.startsWith('--seed=')) ? (scenario.seed ?? o.seed) : o.seed;
  const tty = process.stderr.isTTY === true;
  const progress = (sim: Simulation): void => {
    const line = `[sim] t=${(sim.nowMs / 1000).toFixed(1)}s/${scenario.durationMs / 1000}s commits=${sim.snapshot().commits} events=${sim.events} verdict=${sim.verdict()} seed=${seed}`;
    if (tty) process.stderr.write(`\r${line}`);
    else if (Math.round(sim.nowMs) % 5000 === 0) process.stderr.write(`${line}\n`);
  };
  const report = await runScenario(scenario, { seed, onProgress: progress, progressEveryMs: 1000, wallClockMs: () => performance.now() });
  if (tty) process.stderr.write('\n');
  const inputs = o.scenario !== undefined
    ? { scenario: o.scenario, validators: scenario.validators, crypto: scenario.crypto, tps: scenario.tps, durationSeconds: scenario.durationMs / 1000, seed }
    : { validators: o.validators, byzantine: o.byzantine, crashed: o.crashed, faults: o.faults ?? null, latencyMs: { mean: o.latencyMeanMs, jitter: o.latencyJitterMs }, loss: o.loss, partition: o.partition ?? null, tps: o.tps, durationSeconds: o.durationS, seed, crypto: scenario.crypto };
  process.stdout.write(o.json ? `${JSON.stringify(jsonOf(inputs, report))}\n` : `${summary(report)}\n`);
  const violated = report.snapshot.violations.length > 0;
  if (violated || report.verdict !== 'pass' || !report.pass) {
    const first = report.snapshot.violations[0];
    process.stderr.write(`sim: verdict ${report.verdict}${first === undefined ? '' : `, first violation: ${JSON.stringify(first)}`}${report.pass ? '' : ', an expectation failed'} (seed=${seed})\n`);
  }
  return violated ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 3;
  },
);
