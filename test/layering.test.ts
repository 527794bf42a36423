/**
 * The layering rule of DESIGN.md §1 is enforced by lint; these tests prove the rule itself
 * still bites, so a config change cannot silently switch it off.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('core/ purity', () => {
  const cases: Array<[string, string, string]> = [
    ['Date.now', 'export const t = Date.now();', 'no-restricted-properties'],
    ['Math.random', 'export const r = Math.random();', 'no-restricted-properties'],
    ['performance.now', 'export const t = performance.now();', 'no-restricted-properties'],
    ['crypto.getRandomValues', 'export const b = crypto.getRandomValues(new Uint8Array(4));', 'no-restricted-properties'],
    ['setTimeout', 'setTimeout(() => 1, 5);', 'no-restricted-globals'],
    ['console', 'console.log(1);', 'no-restricted-globals'],
    ['DOM document', 'export const d = document.title;', 'no-restricted-globals'],
    ['node:fs import', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;", 'no-restricted-imports'],
    ['bare fs import', "import { readFileSync } from 'fs';\nexport const f = readFileSync;", 'no-restricted-imports'],
    ['import from sim', "import { x } from '../../sim/engine.ts';\nexport const y = x;", 'no-restricted-imports'],
    ['import from web', "import { x } from '../../web/App.ts';\nexport const y = x;", 'no-restricted-imports'],
    ['import from infra', "import { x } from '../../infra/peer/node.ts';\nexport const y = x;", 'no-restricted-imports'],
  ];
  for (const [what, code, rule] of cases) {
    it(`rejects ${what} in core/`, async () => {
      expect(await ruleIds(code, 'core/dag/probe.ts')).toContain(rule);
    });
  }

  it('accepts pure code in core/', async () => {
    expect(await ruleIds('export const add = (a: number, b: number): number => a + b;', 'core/dag/probe.ts')).toEqual([]);
  });

  it('allows Node built-ins in core tests (tests run on Node)', async () => {
    const code = "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;";
    expect(await ruleIds(code, 'core/dag/probe.test.ts')).toEqual([]);
  });
});

describe('one-way imports between folders', () => {
  it('rejects sim/ importing web/', async () => {
    expect(await ruleIds("import { x } from '../web/App.ts';\nexport const y = x;", 'sim/probe.ts')).toContain('no-restricted-imports');
  });
  it('rejects infra/ importing sim/', async () => {
    expect(await ruleIds("import { x } from '../../sim/engine.ts';\nexport const y = x;", 'infra/peer/probe.ts')).toContain('no-restricted-imports');
  });
  it('rejects e2e/ importing core/', async () => {
    expect(await ruleIds("import { x } from '../core/result.ts';\nexport const y = x;", 'e2e/probe.ts')).toContain('no-restricted-imports');
  });
  it('accepts infra/ importing core/', async () => {
    expect(await ruleIds("import { ok } from '../../core/result.ts';\nexport const y = ok;", 'infra/peer/probe.ts')).toEqual([]);
  });
});

describe('no enums anywhere', () => {
  it('rejects a TypeScript enum', async () => {
    expect(await ruleIds('export enum Phase { A, B }', 'sim/probe.ts')).toContain('no-restricted-syntax');
  });
});

describe('core/ may import its own folders', () => {
  it('accepts a core folder whose name is also a Node module name', async () => {
    const code = "import { hash } from '../crypto/hash.ts';\nexport const h = hash;";
    expect(await ruleIds(code, 'core/state/probe.ts')).toEqual([]);
  });
});
