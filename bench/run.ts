/**
 * `npm run bench [-- --quick] [-- --filter TEXT]`: runs every suite in bench/suites/ and writes
 * bench/report.json and bench/report.md (DESIGN.md §3, §4).
 *
 *   --quick        one short run per figure (a smoke pass, numbers are rough)
 *   --filter TEXT  only figures whose "suite/name" contains TEXT (case-insensitive); written
 *                  to bench/report.filtered.{json,md}, so the full report stays whole
 *
 * Suites register themselves (bench/_registry.ts); they are imported in file-name order.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registeredSuites, runSuites } from './_registry.ts';
import { currentLoad, describeMachine, writeReport } from './_report.ts';

type Args = { quick: boolean; filter: string | undefined };

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, filter: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') args.quick = true;
    else if (arg === '--filter' && argv[i + 1] !== undefined) args.filter = argv[++i];
    else if (arg?.startsWith('--filter=')) args.filter = arg.slice('--filter='.length);
    else {
      process.stderr.write(`bench: unknown argument ${String(arg)}\nusage: npm run bench [-- --quick] [-- --filter TEXT]\n`);
      process.exit(2);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const suitesDir = new URL('./suites/', import.meta.url);
  const files = readdirSync(fileURLToPath(suitesDir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('_'))
    .sort();
  for (const file of files) await import(pathToFileURL(fileURLToPath(new URL(file, suitesDir))).href);

  const machine = describeMachine();
  const started = performance.now();
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  log(`KALDRIX bench (${args.quick ? 'quick' : 'full'}${args.filter ? `, filter "${args.filter}"` : ''}): ${registeredSuites().length} suites`);
  const { figures, checks } = await runSuites({ quick: args.quick, filter: args.filter, log });
  const wallSeconds = (performance.now() - started) / 1000;

  log('\nTarget checks:');
  for (const c of checks) log(`  [${c.status}] ${c.name}: ${c.detail}`);
  // A filtered run measures part of the table: it must not replace the full report.
  const base = args.filter === undefined ? './report' : './report.filtered';
  const jsonPath = fileURLToPath(new URL(`${base}.json`, import.meta.url));
  const markdownPath = fileURLToPath(new URL(`${base}.md`, import.meta.url));
  writeReport(
    {
      timestamp: new Date().toISOString(),
      machine,
      mode: args.quick ? 'quick' : 'full',
      filter: args.filter ?? null,
      wallSeconds,
      loadAverageAtEnd: currentLoad(),
      figures,
      checks,
    },
    jsonPath,
    markdownPath,
  );
  log(`\nWrote ${markdownPath} and ${jsonPath} (${wallSeconds.toFixed(0)} s).`);
}

await main();
