#!/usr/bin/env node
// The `kaldrix` command (DESIGN.md §3). The CLI is TypeScript, run through tsx's loader; the
// Node 20 polyfill loads before anything else. All behaviour lives in infra/cli/main.ts, except
// `kaldrix sim …`: infra/ may not import sim/ (the layering lint), so the simulator's own entry,
// sim/cli.ts, runs here in this process, with process.argv shaped as `tsx sim/cli.ts …` gives
// it (it reads process.argv.slice(2) and sets process.exitCode itself).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
await import('../infra/node/polyfill.ts');
if (process.argv[2] === 'sim') {
  const simCli = new URL('../sim/cli.ts', import.meta.url);
  process.argv = [process.argv[0] ?? process.execPath, fileURLToPath(simCli), ...process.argv.slice(3)];
  await import(simCli.href);
} else {
  const { main } = await import('../infra/cli/main.ts');
  await main();
}
