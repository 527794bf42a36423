/**
 * Test helper: builds and synthesizes the app in-process, offline, into a temporary folder, and
 * reads cdk-nag's validation report. Each test file calls it once (beforeAll): synthesis is
 * the slow part.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildApp, type BuiltApp } from './buildApp.ts';

export type ReportedViolation = {
  readonly ruleName: string;
  readonly severity: string;
  readonly acknowledgedId?: string;
  readonly reason?: string;
  readonly violatingConstructs: ReadonlyArray<{ readonly constructPath: string }>;
};
export type ValidationReport = {
  readonly pluginReports: ReadonlyArray<{
    readonly pluginName: string;
    readonly violations: readonly ReportedViolation[];
    readonly suppressedViolations?: readonly ReportedViolation[];
  }>;
};

export type Synthesized = BuiltApp & {
  readonly assembly: CloudAssembly;
  readonly report: ValidationReport;
  /** Removes the temporary cloud assembly and fake build (call in afterAll: each holds ~20 MB of assets). */
  readonly cleanup: () => void;
};

/** A fake Vite build: index.html and one hashed asset. */
export function makeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kaldrix-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>KALDRIX</title><script type="module" src="/assets/index-3f9a1c.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-3f9a1c.js'), 'console.log("kaldrix")');
  return dir;
}

export function synthesize(context: Record<string, unknown>, distDir = makeDist()): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'kaldrix-cdk-'));
  const built = buildApp({ outdir, context, distDir, peerImageTag: '0.1.0-test' });
  if (!built.ok) throw new Error(`test context rejected: ${built.error.key}: ${built.error.expected}`);
  const assembly = built.value.app.synth();
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  const cleanup = () => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(distDir, { recursive: true, force: true });
  };
  return { ...built.value, assembly, report, cleanup };
}

/** Every violation no acknowledgement covers (errors and warnings alike). */
export function unacknowledged(report: ValidationReport): ReportedViolation[] {
  return report.pluginReports.flatMap((p) => p.violations);
}
