/**
 * Regenerates `core/consensus/vectors/checkpoints.json`. Deterministic: running it twice gives
 * an identical file.
 *
 *   npx tsx core/consensus/vectors/test/generate.ts
 *
 * It lives under `test/` because it writes a file (node:fs), which core/'s purity rules allow
 * only in test tooling; the content comes from the pure builder `../checkpointVectors.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNobleBackend } from '../../../crypto/index.ts';
import { buildCheckpointVectors, checkpointVectorsText } from '../checkpointVectors.ts';

const path = fileURLToPath(new URL('../checkpoints.json', import.meta.url));
writeFileSync(path, checkpointVectorsText(await buildCheckpointVectors(createNobleBackend())));
console.log(`wrote ${path}`);
