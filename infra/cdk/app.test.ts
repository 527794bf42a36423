import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize, unacknowledged, type Synthesized } from './_testSynth.ts';

describe('the whole app with the default context (the reference deployment)', () => {
  let built: Synthesized;
  beforeAll(() => {
    built = synthesize({});
  });
  afterAll(() => built.cleanup());

  it('synthesizes hosting plus one peers stack per region, offline, with the default validator counts', () => {
    expect(built.assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'Kaldrix-Hosting', 'Kaldrix-Peers-eu-west-1', 'Kaldrix-Peers-us-east-1', 'Kaldrix-Peers-us-west-2',
    ]);
    expect(built.peers.map((p) => [p.region, p.validators.length])).toEqual([['us-east-1', 2], ['us-west-2', 1], ['eu-west-1', 1]]);
    // Account-agnostic: nothing was looked up, so no context was reported missing.
    expect(built.assembly.manifest.missing ?? []).toEqual([]);
  });

  it('leaves no cdk-nag error or warning unacknowledged, and every acknowledgement has a real reason', () => {
    expect(unacknowledged(built.report)).toEqual([]);
    const acknowledged = built.report.pluginReports.filter((p) => p.pluginName === 'AwsSolutions').flatMap((p) => p.suppressedViolations ?? []);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const a of acknowledged) expect(a.reason?.length ?? 0).toBeGreaterThan(30);
  });

  it('has no CDK error or warning annotations on any stack', () => {
    for (const stack of [built.hosting, ...built.peers]) {
      expect(Annotations.fromStack(stack).findError('*', '*' as any)).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', '*' as any)).toEqual([]);
    }
  });
});

describe('app.ts as a program', () => {
  it('synthesizes every stack into $CDK_OUTDIR and exits 0', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'kaldrix-cdk-cli-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cdk/app.ts'], {
      encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ deployDist: false }) },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort();
    expect(templates).toEqual(['Kaldrix-Hosting.template.json', 'Kaldrix-Peers-eu-west-1.template.json', 'Kaldrix-Peers-us-east-1.template.json', 'Kaldrix-Peers-us-west-2.template.json']);
    expect(JSON.parse(readFileSync(join(outdir, 'Kaldrix-Hosting.template.json'), 'utf8')).Resources).toBeDefined();
    rmSync(outdir, { recursive: true, force: true });
  });

  it('rejects a bad context value with one line and exit status 2', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'kaldrix-cdk-cli-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cdk/app.ts'], {
      encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: '{"minPeers":"many"}' },
    });
    rmSync(outdir, { recursive: true, force: true });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('kaldrix infra: bad context value for "minPeers": expected an integer from 1 to 1000\n');
  });
});
