// Every example scenario in scenarios/ parses, and prints back to a text that parses to the
// same scenario. Reading the folder uses node:fs: this is a test, run by Node; the parser
// itself stays pure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse.ts';
import { formatScenarioError, printScenario } from './print.ts';

const folder = join(import.meta.dirname, 'scenarios');
const files = readdirSync(folder).filter((f) => f.endsWith('.scen')).sort();

describe('example scenarios', () => {
  it('are there: six to eight readable examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    expect(files).toContain('normal-4.scen');
  });

  for (const file of files) {
    it(`${file} parses and round-trips through the printer`, () => {
      const result = parseScenario(readFileSync(join(folder, file), 'utf8'));
      if (!result.ok) throw new Error(`${file}:\n${result.error.map(formatScenarioError).join('\n')}`);
      expect(result.value.expectations.length).toBeGreaterThan(0);
      expect(result.value.seed).toBeDefined();
      expect(parseScenario(printScenario(result.value))).toEqual(result);
    });
  }
});
