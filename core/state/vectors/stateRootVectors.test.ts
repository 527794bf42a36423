// Known-answer state roots. Source: stateRoots.json, written by test/generate.ts from the pure
// builder stateRootVectors.ts. The test rebuilds the whole file (genesis root, every block's
// receipts and root, every epoch boundary) and compares, then re-executes the blocks through
// the parallel plan and checks the same roots come out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/index.ts';
import { applyEpochBoundary } from '../epoch.ts';
import { executeBlockInGroups } from '../parallel.ts';
import { backend } from '../test/fixtures.ts';
import { buildStateRootVectors } from './stateRootVectors.ts';

type Step = { readonly step: string; readonly state_root: string; readonly receipts?: readonly { readonly status: string; readonly reason?: { readonly code: string } }[] };
const file = JSON.parse(readFileSync(new URL('./stateRoots.json', import.meta.url), 'utf8')) as { readonly steps: readonly Step[] };

describe('state-root known-answer vectors', () => {
  it('re-derives to exactly the stored file, and the blocks exercise every kind and reject class', async () => {
    const built = await buildStateRootVectors(backend);
    expect(built.file).toEqual(file);
    const codes = file.steps.flatMap((s) => s.receipts ?? []).map((r) => r.reason?.code ?? r.status);
    for (const c of ['applied', 'DUPLICATE', 'NONCE_MISMATCH', 'INSUFFICIENT_BALANCE', 'ALREADY_SLASHED']) expect(codes).toContain(c);
    expect(new Set(built.blocks.flat().map((t) => t.tx.body.kind))).toEqual(new Set(['transfer', 'bond', 'unbond', 'rotate-key', 'evidence']));
  }, 30_000);

  it('parallel execution of the same blocks reaches the same roots', async () => {
    const built = await buildStateRootVectors(backend);
    let ledger = built.genesisLedger;
    const roots: string[] = [];
    for (const [i, txs] of built.blocks.entries()) {
      if (i === 2) {
        ledger = applyEpochBoundary(ledger, 1n, built.ctx.params).ledger;
        roots.push(toHex(ledger.tree.root()));
      }
      ledger = executeBlockInGroups(ledger, txs, built.ctx).ledger;
      roots.push(toHex(ledger.tree.root()));
    }
    expect(roots).toEqual(file.steps.slice(0, 4).map((s) => s.state_root));
  }, 30_000);
});
