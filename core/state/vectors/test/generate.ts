/**
 * Regenerates the ledger's generated files: `core/state/vectors/transactions.json`,
 * `core/state/vectors/stateRoots.json` and `core/state/genesis.example.json`. Deterministic: running it twice gives identical files.
 *
 *   npx tsx core/state/vectors/test/generate.ts
 *
 * It lives under `test/` because it writes files (node:fs), which core/'s purity rules allow
 * only in test tooling; the content comes from the pure builders it imports.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNobleBackend } from '../../../crypto/index.ts';
import { buildExampleGenesisText } from '../../genesisExample.ts';
import { buildStateRootVectors, stateRootVectorsText } from '../stateRootVectors.ts';
import { buildTxVectors, txVectorsText } from '../txVectors.ts';

const backend = createNobleBackend();
const vectorsPath = fileURLToPath(new URL('../transactions.json', import.meta.url));
const genesisPath = fileURLToPath(new URL('../../genesis.example.json', import.meta.url));
const stateRootsPath = fileURLToPath(new URL('../stateRoots.json', import.meta.url));

writeFileSync(vectorsPath, txVectorsText(await buildTxVectors(backend)));
writeFileSync(genesisPath, buildExampleGenesisText(backend));
writeFileSync(stateRootsPath, stateRootVectorsText((await buildStateRootVectors(backend)).file));
console.log(`wrote ${vectorsPath}\nwrote ${genesisPath}\nwrote ${stateRootsPath}`);
