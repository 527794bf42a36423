#!/usr/bin/env node
// The `kaldrix` command (DESIGN.md §3). The CLI is TypeScript, run through tsx's loader; the
// Node 20 polyfill loads before anything else. All behaviour lives in infra/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../infra/node/polyfill.ts');
const { main } = await import('../infra/cli/main.ts');
await main();
