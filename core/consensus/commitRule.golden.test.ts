/**
 * Golden transcripts: readable scenarios in testdata/*.txt with the expected decisions beside
 * them. A mismatch shows as a diff of the transcript. KALDRIX_UPDATE_GOLDEN=1 rewrites the
 * expected blocks from the actual outputs (then review the diff before keeping it).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runGolden } from './test/golden.ts';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'testdata');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
const update = process.env['KALDRIX_UPDATE_GOLDEN'] === '1';

describe('commit rule golden transcripts', () => {
  it('has scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of files) {
    it(file, () => {
      const path = join(dir, file);
      const expected = readFileSync(path, 'utf8');
      const actual = runGolden(expected);
      if (update) writeFileSync(path, actual);
      else expect(actual).toBe(expected);
    });
  }
});
