import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

// The components need a DOM to mount; here each one must at least compile for the browser and
// the server in runes mode with no warning (svelte-check covers their types).
const here = dirname(fileURLToPath(import.meta.url));
const folders = [here, join(here, '..', 'dag')];
const components = folders.flatMap((folder) => readdirSync(folder).filter((f) => f.endsWith('.svelte')).map((f) => join(folder, f)));

describe('DAG view and plot components', () => {
  it('finds the components', () => {
    expect(components.map((c) => c.split('/').pop()).sort()).toEqual([
      'BytesPerValidatorPlot.svelte', 'DagCanvas.svelte', 'LatencyHistogram.svelte', 'Legend.svelte', 'TpsPlot.svelte',
      'VertexDetails.svelte', 'ViewChangesPlot.svelte', '_Axis.svelte', '_PlotFrame.svelte',
    ]);
  });

  for (const file of components) {
    it(`${file.split('/').slice(-2).join('/')} compiles without warnings`, () => {
      const source = readFileSync(file, 'utf8');
      for (const generate of ['client', 'server'] as const) {
        const result = compile(source, { filename: file, generate, runes: true });
        expect(result.warnings.map((w) => w.message)).toEqual([]);
        expect(result.js.code.length).toBeGreaterThan(0);
      }
    });
  }
});
