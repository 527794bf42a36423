/**
 * The CDK app's entry: `npx tsx infra/cdk/app.ts` (or `cdk synth` with infra/cdk/cdk.json)
 * synthesizes every stack into infra/cdk/cdk.out, or into $CDK_OUTDIR (the CDK CLI sets it).
 *
 * Offline by construction: no lookups, no credentials. Context comes from the CDK CLI (`-c`,
 * cdk.json, passed as $CDK_CONTEXT_JSON) and is validated first; a bad value prints one line
 * and exits 2. cdk-nag runs during synthesis; an unacknowledged error fails it (exit 1).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './buildApp.ts';
import { formatConfigReject } from './config.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

function contextFromEnvironment(): Record<string, unknown> {
  const json = process.env['CDK_CONTEXT_JSON'];
  if (json === undefined || json === '') return {};
  const parsed: unknown = JSON.parse(json);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

const packageVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const built = buildApp({
  outdir: process.env['CDK_OUTDIR'] ?? join(here, 'cdk.out'),
  context: contextFromEnvironment(),
  distDir: join(repoRoot, 'dist'),
  peerImageTag: packageVersion,
  defaultAccount: process.env['CDK_DEFAULT_ACCOUNT'],
});
if (!built.ok) {
  process.stderr.write(`kaldrix infra: ${formatConfigReject(built.error)}\n`);
  process.exit(2);
}
try {
  const assembly = built.value.app.synth();
  process.stdout.write(`synthesized ${assembly.stacks.map((s) => s.stackName).join(', ')} into ${assembly.directory}\n`);
} catch (error) {
  process.stderr.write(`kaldrix infra: synthesis failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
