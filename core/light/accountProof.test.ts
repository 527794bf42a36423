// Account proofs against the certified state root of the head: a real ledger from the run
// (test/fixture.ts) proves accounts, and the light client checks them — including proofs that
// are tampered with, for another address, or against another root.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../consensus/index.ts';
import { bytesEqual, toHex, type KeyPair } from '../crypto/index.ts';
import { EMPTY_ACCOUNT, getAccount, ledgerFromGenesis, proveAccount, stateRoot, type Address } from '../state/index.ts';
import { addressOf, keysOf } from '../validator/test/harness.ts';
import { acceptCheckpoint } from './acceptCheckpoint.ts';
import { encodeAccountProofMessage, verifyAccount } from './accountProof.ts';
import { syncEpochs } from './advanceEpoch.ts';
import { runFixture, type Fixture } from './test/fixture.ts';
import { trustGenesis } from './trustRoot.ts';
import type { LightState } from './types.ts';

let f: Fixture;
let state: LightState;
beforeAll(async () => {
  f = await runFixture();
  // The head must certify the root the ledger has: the newest certificate with that root.
  const root = stateRoot(f.ledger);
  const target = [...f.certificates].reverse().find((c) => bytesEqual(c.checkpoint.stateRoot, root)) as Certificate;
  const synced = await syncEpochs(trustGenesis(f.chain.genesis), f.endOfEpoch.filter((c) => c.checkpoint.sequence <= target.checkpoint.sequence), f.pool);
  const accepted = await acceptCheckpoint(synced.state, target, f.pool);
  state = accepted.ok ? accepted.value.state : synced.state;
}, 60_000);

const user = (): Address => addressOf(f.chain.users[0] as KeyPair);
const answer = (address: Address, ledger = f.ledger): Uint8Array => encodeAccountProofMessage(stateRoot(ledger), address, proveAccount(ledger, address));

describe('account proofs against the certified root', () => {
  it('the head certifies the ledger the proofs come from', () => {
    expect(toHex(state.head?.checkpoint.stateRoot ?? new Uint8Array())).toBe(toHex(stateRoot(f.ledger)));
  });

  it('an existing account: proven, with a receipt naming the checkpoint and the peer', () => {
    const r = verifyAccount(state, user(), answer(user()), ['peer-a']);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.exists).toBe(true);
    expect(r.value.account.balance).toBe(getAccount(f.ledger, user())?.balance);
    expect(r.value.receipt).toMatchObject({ sequence: state.head?.checkpoint.sequence, proofChecked: 'account-inclusion', servedBy: ['peer-a'] });
    expect(toHex(r.value.receipt.checkpointHash)).toBe(toHex(state.head?.hash ?? new Uint8Array()));
  });

  it('an absent account: proven absent, read as the empty account', () => {
    const nobody = addressOf(keysOf('light-nobody'));
    const r = verifyAccount(state, nobody, answer(nobody));
    expect(r.ok && r.value.exists).toBe(false);
    expect(r.ok && r.value.account).toEqual(EMPTY_ACCOUNT);
    expect(r.ok && r.value.receipt.proofChecked).toBe('account-exclusion');
  });

  it('a tampered proof: BAD_PROOF (a sibling flipped, or a balance raised)', () => {
    const proved = proveAccount(f.ledger, user());
    const siblings = proved.proof.siblings.map((s, i) => (i === 0 ? s.map((b, j) => (j === 0 ? b ^ 1 : b)) : s));
    const flipped = encodeAccountProofMessage(stateRoot(f.ledger), user(), { ...proved, proof: { ...proved.proof, siblings } });
    expect(verifyAccount(state, user(), flipped)).toMatchObject({ ok: false, error: { code: 'BAD_PROOF' } });
    const account = proved.account ?? EMPTY_ACCOUNT;
    const richer = encodeAccountProofMessage(stateRoot(f.ledger), user(), { ...proved, account: { ...account, balance: account.balance + 1n } });
    expect(verifyAccount(state, user(), richer)).toMatchObject({ ok: false, error: { code: 'BAD_PROOF' } });
    const hidden = encodeAccountProofMessage(stateRoot(f.ledger), user(), { ...proved, account: null });
    expect(verifyAccount(state, user(), hidden)).toMatchObject({ ok: false, error: { code: 'BAD_PROOF' } });
  });

  it('a proof for another root: WRONG_ROOT when it says so, BAD_PROOF when it claims the certified one', () => {
    const genesisLedger = ledgerFromGenesis(f.chain.genesis);
    expect(verifyAccount(state, user(), answer(user(), genesisLedger))).toMatchObject({ ok: false, error: { code: 'WRONG_ROOT' } });
    const lying = encodeAccountProofMessage(stateRoot(f.ledger), user(), proveAccount(genesisLedger, user()));
    expect(verifyAccount(state, user(), lying)).toMatchObject({ ok: false, error: { code: 'BAD_PROOF' } });
  });

  it('malformed bytes, another address, no certified root: each its own reason', () => {
    const bytes = answer(user());
    expect(verifyAccount(state, user(), bytes.subarray(0, bytes.length - 1))).toMatchObject({ ok: false, error: { code: 'MALFORMED_PROOF' } });
    expect(verifyAccount(state, user(), Uint8Array.of(...bytes, 0))).toMatchObject({ ok: false, error: { code: 'MALFORMED_PROOF' } });
    const other = addressOf(keysOf('light-nobody'));
    expect(verifyAccount(state, other, bytes)).toMatchObject({ ok: false, error: { code: 'WRONG_ADDRESS' } });
    expect(verifyAccount(trustGenesis(f.chain.genesis), user(), bytes)).toMatchObject({ ok: false, error: { code: 'NO_CERTIFIED_ROOT' } });
  });
});
