/**
 * The bench suite registry: each file in bench/suites/ calls `registerSuite` once; `run.ts`
 * imports them all and runs the registered suites in order of registration. A later part
 * (codec, ledger, consensus) adds a file there and nothing else.
 *
 * A suite records figures (a value with a unit, optionally a ratio to a named reference
 * figure of the same run) and checks (a target from DESIGN.md §4 with PASS/FAIL/SKIP).
 */
import { FULL, QUICK, measure, measureInterleaved, type Measurement, type MeasureOptions } from './_harness.ts';

export type Figure = {
  readonly suite: string;
  /** Unique within its suite, e.g. "ml-dsa-44 verify (liboqs)". */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** value / reference value, where a reference exists in the same run. */
  readonly ratio?: { readonly value: number; readonly to: string };
  readonly note?: string;
};

export type Check = {
  readonly suite: string;
  readonly name: string;
  readonly status: 'PASS' | 'FAIL' | 'SKIP';
  readonly detail: string;
};

export type SuiteContext = {
  readonly quick: boolean;
  readonly options: MeasureOptions;
  /** True when `name` (within this suite) passes the `--filter`; skip its work otherwise. */
  enabled(name: string): boolean;
  measure(op: () => unknown, overrides?: Partial<MeasureOptions>): Promise<Measurement>;
  /** Alternating runs of several operations, for figures whose ratio is reported. */
  measureInterleaved(ops: ReadonlyArray<() => unknown>, overrides?: Partial<MeasureOptions>): Promise<Measurement[]>;
  figure(figure: Omit<Figure, 'suite'>): Figure;
  check(check: Omit<Check, 'suite'>): void;
  /** A figure recorded earlier in this run by any suite, for ratios across suites. */
  find(suite: string, name: string): Figure | undefined;
  log(line: string): void;
};

export type BenchSuite = {
  readonly name: string;
  readonly description: string;
  run(ctx: SuiteContext): Promise<void>;
};

const suites: BenchSuite[] = [];

export function registerSuite(suite: BenchSuite): void {
  if (suites.some((s) => s.name === suite.name)) throw new Error(`bench suite ${suite.name} registered twice`);
  suites.push(suite);
}

export function registeredSuites(): readonly BenchSuite[] {
  return suites;
}

export type RunSettings = { readonly quick: boolean; readonly filter: string | undefined; readonly log: (line: string) => void };

/** Runs every registered suite; returns what they recorded. */
export async function runSuites(settings: RunSettings): Promise<{ figures: Figure[]; checks: Check[] }> {
  const figures: Figure[] = [];
  const checks: Check[] = [];
  const needle = settings.filter?.toLowerCase();
  for (const suite of suites) {
    const ctx: SuiteContext = {
      quick: settings.quick,
      options: settings.quick ? QUICK : FULL,
      enabled: (name) => needle === undefined || `${suite.name}/${name}`.toLowerCase().includes(needle),
      measure: (op, overrides = {}) => measure(op, { ...(settings.quick ? QUICK : FULL), ...overrides }),
      measureInterleaved: (ops, overrides = {}) => measureInterleaved(ops, { ...(settings.quick ? QUICK : FULL), ...overrides }),
      figure: (f) => {
        const recorded = { suite: suite.name, ...f };
        figures.push(recorded);
        settings.log(`  ${f.name.padEnd(48)} ${formatValue(f.value).padStart(12)} ${f.unit}${f.ratio ? `  (${f.ratio.value.toFixed(2)}× ${f.ratio.to})` : ''}`);
        return recorded;
      },
      check: (c) => void checks.push({ suite: suite.name, ...c }),
      find: (s, name) => figures.find((f) => f.suite === s && f.name === name),
      log: settings.log,
    };
    settings.log(`${suite.name}: ${suite.description}`);
    await suite.run(ctx);
  }
  return { figures, checks };
}

/** Three significant digits, thousands grouped: 1,234 / 56.7 / 0.891. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}
