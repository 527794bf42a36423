// The ledger state: key spaces, genesis state, account proofs a light client checks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../crypto/index.ts';
import { executeBlock } from './execute.ts';
import { getAccount, ledgerFromGenesis, ledgerFromTree, proveAccount, stateRoot } from './ledger.ts';
import { accountKey, BURNED_KEY, decodeAccountLeaf, encodeAccountLeaf, EPOCH_KEY, FEE_POOL_KEY, slashedSlotKey, verifyAccountProof } from './ledgerKeys.ts';
import { decodeStateProof, encodeStateProof } from './smt/index.ts';
import { genesisSupply, supplyOf } from './supply.ts';
import { fakeSigned, genesis, makeTx, outsider, poolAddress, preVerified } from './test/executeFixtures.ts';
import type { Address } from './types.ts';

const start = ledgerFromGenesis(genesis);

describe('ledger key spaces', () => {
  it('never collide: the account, slot and singleton spaces have their own labels', () => {
    const singletons = [FEE_POOL_KEY, BURNED_KEY, EPOCH_KEY].map(toHex);
    expect(new Set(singletons).size).toBe(3);
    const same = new Uint8Array(33);
    expect(toHex(accountKey(same))).not.toBe(toHex(slashedSlotKey(same.subarray(0, 32))));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (d) => {
        const a = toHex(accountKey(Uint8Array.from([0, ...d])));
        const s = toHex(slashedSlotKey(d));
        expect(a).not.toBe(s);
        expect(singletons).not.toContain(a);
        expect(singletons).not.toContain(s);
      }),
      { numRuns: 50 },
    );
  });

  it('account leaves carry their address and round-trip', () => {
    const address = poolAddress[0] as Address;
    const account = getAccount(start, address);
    if (account === null) throw new Error('funded');
    const leaf = encodeAccountLeaf(address, account);
    const back = decodeAccountLeaf(leaf);
    expect(back.ok && toHex(back.value.address)).toBe(toHex(address));
    expect(back.ok && back.value.account).toEqual(account);
    expect(decodeAccountLeaf(leaf.subarray(0, 40)).ok).toBe(false);
  });
});

describe('genesis state', () => {
  it('holds every genesis account, merges validator stake, starts at epoch 0 with empty pools', () => {
    expect(start.tree.size).toBe(6);
    expect(getAccount(start, poolAddress[1] as Address)).toMatchObject({ balance: 100_007n, stake: 51_001n, nonce: 0n });
    expect(getAccount(start, poolAddress[4] as Address)?.key).toBeUndefined();
    expect([start.epoch, start.feePool, start.burned]).toEqual([0n, 0n, 0n]);
    expect(supplyOf(start).total).toBe(genesisSupply(genesis));
    expect(toHex(stateRoot(ledgerFromGenesis(genesis)))).toBe(toHex(stateRoot(start)));
  });

  it('ledgerFromTree reads the reserved entries back', () => {
    const after = executeBlock(start, [fakeSigned(makeTx(0, 0n, { kind: 'transfer', value: { to: outsider, amount: 3n } }, 17n))], preVerified).ledger;
    const restored = ledgerFromTree(after.tree);
    expect([restored.epoch, restored.feePool, restored.burned]).toEqual([after.epoch, 17n, after.burned]);
  });
});

describe('account proofs', () => {
  const after = executeBlock(start, [fakeSigned(makeTx(0, 0n, { kind: 'transfer', value: { to: outsider, amount: 3n } }))], preVerified).ledger;
  const root = stateRoot(after);

  it('inclusion proofs verify, survive their wire encoding, and fail for a wrong value or root', () => {
    for (const address of [...poolAddress, outsider]) {
      const { account, proof } = proveAccount(after, address);
      if (account === null) throw new Error('present');
      expect(verifyAccountProof(root, address, account, proof)).toBe(true);
      const decoded = decodeStateProof(encodeStateProof(proof));
      expect(decoded.ok && verifyAccountProof(root, address, account, decoded.value)).toBe(true);
      expect(verifyAccountProof(root, address, { ...account, balance: account.balance + 1n }, proof)).toBe(false);
      expect(verifyAccountProof(root, address, null, proof)).toBe(false);
      expect(verifyAccountProof(stateRoot(start), address, account, proof)).toBe(false);
    }
  });

  it('absent accounts get exclusion proofs that cannot be passed off as inclusion', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (d) => {
        const address = Uint8Array.from([0, ...d]);
        const { account, proof } = proveAccount(after, address);
        expect(account).toBeNull();
        expect(verifyAccountProof(root, address, null, proof)).toBe(true);
        expect(verifyAccountProof(root, address, { balance: 0n, nonce: 0n, stake: 0n, unbonding: [] }, proof)).toBe(false);
        expect(verifyAccountProof(stateRoot(start), poolAddress[0] as Address, null, proof)).toBe(false);
      }),
      { numRuns: 30 },
    );
  });
});
