// Execution rules, one scenario each: fees and nonces, first valid wins, dropped vs charged,
// every kind's body rules, evidence and slashing. Most run 'pre-verified' with placeholder
// signatures; the signature tests sign for real and run in 'verify' mode.
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalSigner, toHex, type KeyPair } from '../crypto/index.ts';
import { applyEpochBoundary } from './epoch.ts';
import { executeBlock } from './execute.ts';
import type { ExecReject, Receipt } from './executeTypes.ts';
import { getAccount, isSlotSlashed, ledgerFromGenesis, type Ledger } from './ledger.ts';
import { slotId } from './evidence.ts';
import { supplyOf } from './supply.ts';
import { signKeyPossession, signTx } from './txSign.ts';
import { txId } from './txCodec.ts';
import type { Account, Address, Evidence, SignedTx, TxBody } from './types.ts';
import { backend, tagged } from './test/fixtures.ts';
import { execParams, fakeSigned, genesis, makeTx, outsider, pool, poolAddress, preVerified, realEvidence, verifying } from './test/executeFixtures.ts';

const start = ledgerFromGenesis(genesis);
const A = poolAddress[0] as Address;
const B = poolAddress[1] as Address;
const C = poolAddress[2] as Address;
const K = poolAddress[4] as Address; // funded, no key on record
const acct = (l: Ledger, a: Address): Account => getAccount(l, a) ?? { balance: 0n, nonce: 0n, stake: 0n, unbonding: [] };
const run = (txs: readonly SignedTx[], ledger = start) => executeBlock(ledger, txs, preVerified);
const code = (r: Receipt | undefined): ExecReject['code'] | 'applied' => r?.reason?.code ?? 'applied';
const transfer = (to: Address, amount: bigint): TxBody => ({ kind: 'transfer', value: { to, amount } });

describe('fees, nonces and the first valid transaction', () => {
  it('applies a transfer: balances, nonce, fee pool, receipt', () => {
    const t = fakeSigned(makeTx(0, 0n, transfer(B, 1_000n), 25n));
    const r = run([t]);
    expect(r.receipts).toEqual([{ id: txId(t.tx), status: 'applied', feeCharged: 25n }]);
    expect(acct(r.ledger, A).balance).toBe(acct(start, A).balance - 1_025n);
    expect(acct(r.ledger, A).nonce).toBe(1n);
    expect(acct(r.ledger, B).balance).toBe(acct(start, B).balance + 1_000n);
    expect(r.ledger.feePool).toBe(25n);
    expect(supplyOf(r.ledger).total).toBe(supplyOf(start).total);
  });

  it('creates the recipient account on first credit', () => {
    const r = run([fakeSigned(makeTx(0, 0n, transfer(outsider, 7n)))]);
    expect(getAccount(start, outsider)).toBeNull();
    expect(acct(r.ledger, outsider)).toMatchObject({ balance: 7n, nonce: 0n, key: undefined });
  });

  it('two transactions with one nonce: the first valid wins; a verbatim replay is DUPLICATE', () => {
    const first = fakeSigned(makeTx(0, 0n, transfer(B, 5n)));
    const rival = fakeSigned(makeTx(0, 0n, transfer(C, 5n)));
    const r = run([first, rival, first, fakeSigned(makeTx(0, 5n, transfer(C, 1n)))]);
    expect(r.receipts.map(code)).toEqual(['applied', 'NONCE_MISMATCH', 'DUPLICATE', 'NONCE_MISMATCH']);
    expect(r.receipts[1]?.reason).toEqual({ code: 'NONCE_MISMATCH', expected: 1n, actual: 0n });
    expect(r.receipts.slice(1).every((x) => x.feeCharged === 0n)).toBe(true);
    expect(acct(r.ledger, C).balance).toBe(acct(start, C).balance);
  });

  it('a replay in a later block is a nonce mismatch', () => {
    const t = fakeSigned(makeTx(0, 0n, transfer(B, 5n)));
    const once = run([t]);
    expect(run([t], once.ledger).receipts.map(code)).toEqual(['NONCE_MISMATCH']);
  });

  it('drops what breaks a stateless rule, the key rules or cannot pay its fee — no effect at all', () => {
    const wrongChain = fakeSigned({ ...makeTx(0, 0n, transfer(B, 5n)), chainId: 'other' });
    const keyNeeded = fakeSigned(makeTx(4, 0n, transfer(B, 5n))); // no key on record, none carried
    const keyUnexpected = fakeSigned(makeTx(1, 0n, transfer(C, 5n)), 1);
    const poor = fakeSigned(makeTx(2, 0n, transfer(B, 1n), acct(start, C).balance + 1n));
    const r = run([wrongChain, keyNeeded, keyUnexpected, poor]);
    expect(r.receipts.map(code)).toEqual(['INVALID', 'SENDER_KEY', 'SENDER_KEY', 'CANNOT_PAY_FEE']);
    expect(r.receipts.map((x) => x.feeCharged)).toEqual([0n, 0n, 0n, 0n]);
    expect(toHex(r.stateRoot)).toBe(toHex(start.tree.root()));
  });

  it('charges the fee and uses the nonce when the body fails (insufficient balance)', () => {
    const balance = acct(start, A).balance;
    const r = run([fakeSigned(makeTx(0, 0n, transfer(B, balance), 10n)), fakeSigned(makeTx(0, 1n, transfer(B, 1n), 10n))]);
    expect(r.receipts[0]).toMatchObject({ status: 'rejected', feeCharged: 10n, reason: { code: 'INSUFFICIENT_BALANCE', needed: balance, available: balance - 10n } });
    expect(r.receipts[1]?.status).toBe('applied');
    expect(acct(r.ledger, A)).toMatchObject({ nonce: 2n, balance: balance - 21n });
  });

  it('records the key carried by an account\'s first transaction, even when its body fails', () => {
    const r = run([fakeSigned(makeTx(4, 0n, { kind: 'unbond', value: { amount: 1n } }), 4)]);
    expect(code(r.receipts[0])).toBe('INSUFFICIENT_STAKE');
    expect(acct(r.ledger, K).key).toEqual(tagged(pool[4] as KeyPair));
    expect(code(run([fakeSigned(makeTx(4, 1n, transfer(A, 1n)))], r.ledger).receipts[0])).toBe('applied');
  });
});

describe('signatures (verify mode, real ML-DSA)', () => {
  it('accepts real signatures, drops a forged one and a bad possession proof', async () => {
    const signer = createLocalSigner(backend, pool[0] as KeyPair);
    const good = await signTx(signer, makeTx(0, 0n, transfer(B, 3n)), { includePublicKey: false });
    const forged = { ...(await signTx(signer, makeTx(0, 1n, transfer(B, 4n)), { includePublicKey: false })), tx: makeTx(0, 1n, transfer(B, 400n)) };
    const newKeys = pool[5] as KeyPair;
    const fields = { chainId: execParams.chainId, sender: A, nonce: 1n };
    const wrongPossession = await signKeyPossession(createLocalSigner(backend, newKeys), { ...fields, nonce: 9n });
    const rotate = await signTx(signer, makeTx(0, 1n, { kind: 'rotate-key', value: { newKey: tagged(newKeys), possession: wrongPossession } }), { includePublicKey: false });
    const r = executeBlock(start, [good, forged, rotate], verifying);
    expect(r.receipts.map(code)).toEqual(['applied', 'BAD_SIGNATURE', 'BAD_SIGNATURE']);
    expect(acct(r.ledger, A).nonce).toBe(1n);
  });
});

describe('staking and key rotation', () => {
  const bond = (amount: bigint): TxBody => ({ kind: 'bond', value: { amount } });
  const unbond = (amount: bigint): TxBody => ({ kind: 'unbond', value: { amount } });

  it('bond moves balance to stake; unbond merges entries of one release epoch', () => {
    const r = run([fakeSigned(makeTx(2, 0n, bond(5_000n))), fakeSigned(makeTx(2, 1n, unbond(1_000n))), fakeSigned(makeTx(2, 2n, unbond(500n)))]);
    expect(r.receipts.map(code)).toEqual(['applied', 'applied', 'applied']);
    expect(acct(r.ledger, C)).toMatchObject({ stake: 3_500n, unbonding: [{ amount: 1_500n, releaseEpoch: 2n }] });
    expect(supplyOf(r.ledger).total).toBe(supplyOf(start).total);
  });

  it('refuses a release epoch beyond max_unbonding_entries, and unbonding more than the stake', () => {
    const params = { ...execParams, unbondingEpochs: 5 };
    const ctx = { ...preVerified, params };
    let ledger = start;
    for (let n = 0n; n < 3n; n++) {
      ledger = executeBlock(ledger, [fakeSigned(makeTx(0, n, unbond(10n)))], ctx).ledger;
      ledger = applyEpochBoundary(ledger, ledger.epoch + 1n, params).ledger;
    }
    expect(acct(ledger, A).unbonding.map((e) => e.releaseEpoch)).toEqual([5n, 6n, 7n]);
    const full = executeBlock(ledger, [fakeSigned(makeTx(0, 3n, unbond(10n)))], ctx);
    expect(full.receipts[0]).toMatchObject({ feeCharged: 10n, reason: { code: 'TOO_MANY_UNBONDING_ENTRIES', max: 3 } });
    // Two boundaries later the first entry is released: room again, and the balance got it back.
    ledger = applyEpochBoundary(applyEpochBoundary(ledger, 4n, params).ledger, 5n, params).ledger;
    expect(acct(ledger, A).unbonding.map((e) => e.releaseEpoch)).toEqual([6n, 7n]);
    expect(code(executeBlock(ledger, [fakeSigned(makeTx(0, 3n, unbond(10n)))], ctx).receipts[0])).toBe('applied');
    const tooMuch = run([fakeSigned(makeTx(0, 0n, unbond(acct(start, A).stake + 1n)))]);
    expect(code(tooMuch.receipts[0])).toBe('INSUFFICIENT_STAKE');
  });

  it('rotate-key waits for the next epoch; rotating to the key in force is refused', () => {
    const newKey = tagged(pool[5] as KeyPair);
    const rotate = (nonce: bigint, key = newKey): SignedTx =>
      fakeSigned(makeTx(1, nonce, { kind: 'rotate-key', value: { newKey: key, possession: { scheme: key.scheme, bytes: new Uint8Array(2420) } } }));
    const r = run([rotate(0n), rotate(1n, tagged(pool[1] as KeyPair))]);
    expect(r.receipts.map(code)).toEqual(['applied', 'KEY_UNCHANGED']);
    expect(acct(r.ledger, B).key).toEqual(tagged(pool[1] as KeyPair));
    expect(acct(r.ledger, B).pendingKey).toEqual(newKey);
    const next = applyEpochBoundary(r.ledger, 1n, execParams);
    expect(acct(next.ledger, B).key).toEqual(newKey);
    expect(acct(next.ledger, B).pendingKey).toBeUndefined();
    expect(next.validators.find((v) => toHex(v.address) === toHex(B))?.key).toEqual(newKey);
  });
});

describe('evidence and slashing', () => {
  let ev: Evidence;
  let forged: Evidence;
  beforeAll(async () => {
    ev = await realEvidence(1, 9n);
    const other = await realEvidence(0, 10n); // signed by validator 0, presented against validator 1
    forged = { ...other, offender: B };
  });
  const report = (nonce: bigint, evidence: Evidence, sender = 2): SignedTx => fakeSigned(makeTx(sender, nonce, { kind: 'evidence', value: { evidence } }));

  it('slashes slash_fraction of stake and unbonding once per slot, burning it', () => {
    const withUnbond = run([fakeSigned(makeTx(1, 0n, { kind: 'unbond', value: { amount: 1_001n } }))]).ledger;
    const before = acct(withUnbond, B);
    const r = run([report(0n, ev), report(1n, ev), report(0n, forged, 3)], withUnbond);
    expect(r.receipts.map(code)).toEqual(['applied', 'ALREADY_SLASHED', 'BAD_EVIDENCE']);
    const stakeCut = (before.stake * 500n) / 10_000n;
    const entryCut = (1_001n * 500n) / 10_000n;
    expect(r.receipts[0]?.slashed).toBe(stakeCut + entryCut);
    expect(acct(r.ledger, B)).toMatchObject({ stake: before.stake - stakeCut, unbonding: [{ amount: 1_001n - entryCut, releaseEpoch: 2n }] });
    expect(r.burned).toBe(stakeCut + entryCut);
    expect(r.ledger.burned).toBe(stakeCut + entryCut);
    expect(supplyOf(r.ledger).total).toBe(supplyOf(withUnbond).total - r.burned);
    expect(isSlotSlashed(r.ledger, slotId(ev))).toBe(true);
    expect(code(run([report(2n, ev)], r.ledger).receipts[0])).toBe('ALREADY_SLASHED');
    // The rejected reports still paid their fee.
    expect(r.receipts.map((x) => x.feeCharged)).toEqual([10n, 10n, 10n]);
  });

  it('refuses evidence from the future, expired evidence and unknown offenders', async () => {
    const future = await (async () => {
      const { equivocation } = await import('./test/fixtures.ts');
      const { contextBytes, CONTEXTS } = await import('../crypto/index.ts');
      return equivocation(pool[1] as KeyPair, [1n, 1n], contextBytes(CONTEXTS.vertex));
    })();
    expect(code(run([report(0n, future)]).receipts[0])).toBe('EVIDENCE_FROM_FUTURE');
    let ledger = start;
    for (let e = 1n; e <= 3n; e++) ledger = applyEpochBoundary(ledger, e, execParams).ledger;
    expect(run([report(0n, ev)], ledger).receipts[0]?.reason).toEqual({ code: 'EVIDENCE_EXPIRED', slotEpoch: 0n, epoch: 3n });
    const unknown = { ...ev, offender: outsider };
    expect(code(run([report(0n, unknown)]).receipts[0])).toBe('UNKNOWN_OFFENDER');
  });

  it('a validator may report itself: charged and slashed in one transaction', () => {
    const r = run([report(0n, ev, 1)]);
    expect(code(r.receipts[0])).toBe('applied');
    const before = acct(start, B);
    expect(acct(r.ledger, B)).toMatchObject({ nonce: 1n, balance: before.balance - 10n, stake: before.stake - (before.stake * 500n) / 10_000n });
  });
});
