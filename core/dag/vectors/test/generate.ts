// Writes core/dag/vectors/vertices.json from the pure builder vertexVectors.ts.
// Run only when an encoding change is intended (a new protocol version):
//   npx tsx core/dag/vectors/test/generate.ts
import { writeFileSync } from 'node:fs';
import { createNobleBackend } from '../../../crypto/index.ts';
import { buildVertexVectors } from '../vertexVectors.ts';

const file = await buildVertexVectors(createNobleBackend());
writeFileSync(new URL('../vertices.json', import.meta.url), `${JSON.stringify(file, null, 2)}\n`);
console.log(`wrote ${file.vectors.length} vertex vectors`);
