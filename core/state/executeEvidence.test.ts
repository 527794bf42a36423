// Vertex-carried evidence at execution: slashes the offender once per slot, refuses the rest
// with typed reasons, and leaves the ledger untouched when nothing applies.
import { describe, expect, it } from 'vitest';
import { contextBytes, CONTEXTS } from '../crypto/index.ts';
import { EMPTY_ACCOUNT } from './account.ts';
import { evidenceCodec } from './evidence.ts';
import { applyEvidence } from './executeEvidence.ts';
import { verifyItemWith } from './execute.ts';
import { commitLedger, getAccount, ledgerFromTree, stateRoot } from './ledger.ts';
import { emptyTree } from './smt/index.ts';
import { ALICE, alice, BOB, backend, equivocation, params, tagged } from './test/fixtures.ts';

const VERTEX = contextBytes(CONTEXTS.vertex);
const STAKE = 1_000_000n;
const ctx = { params, verifyItem: verifyItemWith(backend) };

/** Alice: a validator with stake and her key on record. */
function startLedger() {
  return commitLedger(ledgerFromTree(emptyTree()), {
    accounts: [{ address: ALICE, account: { ...EMPTY_ACCOUNT, stake: STAKE, key: tagged(alice) } }],
    slashedSlots: [],
    epoch: 0n,
    feePool: 0n,
    burned: 0n,
  });
}

describe('applyEvidence', () => {
  it('slashes once per slot; a second report of the slot is ALREADY_SLASHED', async () => {
    const slot5 = evidenceCodec.encode(await equivocation(alice, [0n, 5n], VERTEX));
    const slot6 = evidenceCodec.encode(await equivocation(alice, [0n, 6n], VERTEX));
    const result = applyEvidence(startLedger(), [slot5, slot5, slot6], ctx);
    const cut = (STAKE * BigInt(params.slashFractionBps)) / 10_000n;
    const second = ((STAKE - cut) * BigInt(params.slashFractionBps)) / 10_000n;
    expect(result.outcomes.map((o) => (o.ok ? o.value.slashed : o.error.code))).toEqual([cut, 'ALREADY_SLASHED', second]);
    expect(getAccount(result.ledger, ALICE)?.stake).toBe(STAKE - cut - second);
    expect(result.ledger.burned).toBe(cut + second);
    expect(result.burned).toBe(cut + second);
    // Across calls too: the slot id is in the ledger.
    const again = applyEvidence(result.ledger, [slot5], ctx);
    expect(again.outcomes[0]).toMatchObject({ ok: false, error: { code: 'ALREADY_SLASHED' } });
  });

  it('typed rejects: MALFORMED, BAD_EVIDENCE, UNKNOWN_OFFENDER, EVIDENCE_FROM_FUTURE; nothing changes', async () => {
    const ledger = startLedger();
    const good = await equivocation(alice, [0n, 5n], VERTEX);
    const forged = { ...good, second: { ...good.second, signature: good.first.signature } };
    const future = await equivocation(alice, [3n, 5n], VERTEX);
    const result = applyEvidence(ledger, [Uint8Array.of(9, 9), evidenceCodec.encode(forged), evidenceCodec.encode({ ...good, offender: BOB }), evidenceCodec.encode(future)], ctx);
    expect(result.outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['MALFORMED', 'BAD_EVIDENCE', 'UNKNOWN_OFFENDER', 'EVIDENCE_FROM_FUTURE']);
    expect(result.stateRoot).toEqual(stateRoot(ledger));
    expect(applyEvidence(ledger, [], ctx).ledger).toBe(ledger);
  });
});
