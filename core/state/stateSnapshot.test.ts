// State snapshots round trip: the byte layout of the spec (known answer), real ledgers from the
// example genesis through really signed blocks and epoch boundaries (roots checked against the
// state-root vectors), the empty ledger, and properties over random account sets.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEME_NAMES, schemeInfo, toHex } from '../crypto/index.ts';
import { applyEpochBoundary } from './epoch.ts';
import { executeBlock } from './execute.ts';
import { commitLedger, getAccount, ledgerFromTree, type Ledger } from './ledger.ts';
import { encodeAccountLeaf } from './ledgerKeys.ts';
import { ledgerAccounts } from './ledgerScan.ts';
import { MAX_UNBONDING_ENTRIES_LIMIT } from './params.ts';
import { EMPTY_SUBTREE_HASH, applyBatch, emptyTree } from './smt/index.ts';
import { decodeStateSnapshot, encodeStateSnapshot, stateSnapshotChunks } from './stateSnapshot.ts';
import { STATE_SNAPSHOT_REJECT_CODES } from './stateSnapshotReject.ts';
import { STATE_SNAPSHOT_VALUE_MAX_BYTES, STATE_SNAPSHOT_VERSION, stateSnapshotCodec, stateSnapshotMagicBytes } from './stateSnapshotFormat.ts';
import { alice, backend, bob, tagged } from './test/fixtures.ts';
import { U64_MAX, type Account, type Address } from './types.ts';
import { buildStateRootVectors } from './vectors/stateRootVectors.ts';

const vectorFile = JSON.parse(readFileSync(new URL('./vectors/stateRoots.json', import.meta.url), 'utf8')) as {
  readonly genesis: { readonly state_root: string };
  readonly steps: readonly { readonly step: string; readonly state_root: string }[];
};
const emptyLedger = ledgerFromTree(emptyTree());

/** Decodes `bytes` against `ledger`'s root and checks it is the same state, re-encoding to the same bytes. */
function expectRoundTrip(ledger: Ledger, bytes: Uint8Array = encodeStateSnapshot(ledger)): Ledger {
  const decoded = decodeStateSnapshot(bytes, { expectedRoot: ledger.tree.root() });
  if (!decoded.ok) throw new Error(`rejected: ${decoded.error.code}`);
  const back = decoded.value;
  expect(toHex(back.tree.root())).toBe(toHex(ledger.tree.root()));
  expect([back.epoch, back.feePool, back.burned]).toEqual([ledger.epoch, ledger.feePool, ledger.burned]);
  expect(back.tree.size).toBe(ledger.tree.size);
  expect(Object.isFrozen(back)).toBe(true);
  expect(toHex(encodeStateSnapshot(back))).toBe(toHex(bytes));
  return back;
}

describe('state snapshot format', () => {
  it('lays out magic, version, count and entries exactly as specified', () => {
    const tree = applyBatch(emptyTree(), [
      { key: new Uint8Array(32).fill(0x22), value: Uint8Array.from([0x63]) },
      { key: new Uint8Array(32).fill(0x11), value: Uint8Array.from([0x61, 0x62]) },
    ]);
    const bytes = encodeStateSnapshot({ tree, epoch: 0n, feePool: 0n, burned: 0n });
    const expected = `4b585353 01 02 ${'11'.repeat(32)} 02 6162 ${'22'.repeat(32)} 01 63`.replaceAll(' ', '');
    expect(toHex(bytes)).toBe(expected);
  });

  it('writes the empty ledger as header and a zero count, and reads it back', () => {
    const bytes = encodeStateSnapshot(emptyLedger);
    expect(toHex(bytes)).toBe('4b5853530100');
    const back = expectRoundTrip(emptyLedger, bytes);
    expect(toHex(back.tree.root())).toBe(toHex(EMPTY_SUBTREE_HASH));
    expect(back.tree.rootNode).toBeNull();
  });

  it('equals the whole-snapshot codec over the tree entries (the streamed encoder agrees with the decoder)', () => {
    const ledger = commitLedger(emptyLedger, {
      accounts: [{ address: Uint8Array.from([0, ...new Uint8Array(32).fill(9)]), account: { balance: 5n, nonce: 1n, stake: 0n, unbonding: [], key: tagged(alice) } }],
      slashedSlots: [{ slotId: new Uint8Array(32).fill(3), epoch: 2n }],
      epoch: 2n,
      feePool: 11n,
      burned: 7n,
    });
    const { entries } = ledger.tree.entries({ maxEntries: 100 });
    const wire = { magic: stateSnapshotMagicBytes(), version: STATE_SNAPSHOT_VERSION, entries };
    expect(toHex(encodeStateSnapshot(ledger))).toBe(toHex(stateSnapshotCodec(entries.length).encode(wire)));
    expect(entries.length).toBe(5);
    expectRoundTrip(ledger);
  });

  it('bounds values well above the largest account leaf (largest keys, most unbonding entries)', () => {
    const largest = SCHEME_NAMES.reduce((a, b) => (schemeInfo(a).publicKeyBytes >= schemeInfo(b).publicKeyBytes ? a : b));
    const key = { scheme: largest, publicKey: new Uint8Array(schemeInfo(largest).publicKeyBytes).fill(5) };
    const unbonding = Array.from({ length: MAX_UNBONDING_ENTRIES_LIMIT }, (_, i) => ({ amount: U64_MAX, releaseEpoch: U64_MAX - 100n + BigInt(i) }));
    const account: Account = { balance: U64_MAX, nonce: U64_MAX, key, stake: U64_MAX, unbonding, pendingKey: key };
    const leaf = encodeAccountLeaf(Uint8Array.from([0, ...new Uint8Array(32)]), account);
    expect(leaf.length).toBeGreaterThan(1_000);
    expect(leaf.length).toBeLessThanOrEqual(STATE_SNAPSHOT_VALUE_MAX_BYTES);
  });
});

describe('state snapshots of real ledgers', () => {
  let steps: { readonly name: string; readonly ledger: Ledger }[] = [];

  // The example genesis, then the state-root vector blocks (really signed ML-DSA and hybrid
  // transactions: transfers, bond, unbonds, a key rotation, slashing evidence) and a boundary.
  beforeAll(async () => {
    const built = await buildStateRootVectors(backend);
    let ledger = built.genesisLedger;
    steps = [{ name: 'genesis', ledger }];
    for (const [i, txs] of built.blocks.entries()) {
      if (i === 2) {
        ledger = applyEpochBoundary(ledger, 1n, built.ctx.params).ledger;
        steps.push({ name: 'epoch-boundary 1', ledger });
      }
      ledger = executeBlock(ledger, txs, built.ctx).ledger;
      steps.push({ name: `block ${i + 1}`, ledger });
    }
  }, 30_000);

  it('rebuild every step exactly: same root (the vector file\'s), same reserved values, same accounts, same bytes', () => {
    const vectorRoots = [vectorFile.genesis.state_root, ...vectorFile.steps.slice(0, 4).map((s) => s.state_root)];
    expect(steps.map((s) => toHex(s.ledger.tree.root()))).toEqual(vectorRoots);
    for (const { name, ledger } of steps) {
      const back = expectRoundTrip(ledger);
      const accounts = ledgerAccounts(ledger);
      expect(accounts.length, name).toBeGreaterThan(0);
      for (const { address, account } of accounts) expect(getAccount(back, address), name).toEqual(account);
    }
    const last = steps[steps.length - 1]?.ledger as Ledger;
    expect(last.epoch).toBe(1n);
    expect(last.feePool > 0n && last.burned > 0n).toBe(true);
  });

  it('decodes a certified root only: a snapshot of another step is ROOT_MISMATCH', () => {
    const [genesisStep, later] = [steps[0]?.ledger as Ledger, steps[1]?.ledger as Ledger];
    const decoded = decodeStateSnapshot(encodeStateSnapshot(later), { expectedRoot: genesisStep.tree.root() });
    expect(decoded).toEqual({ ok: false, error: { code: 'ROOT_MISMATCH', expected: genesisStep.tree.root(), actual: later.tree.root() } });
  });

  it('keeps no alias of the input: overwriting the bytes afterwards changes nothing', () => {
    const ledger = steps[3]?.ledger as Ledger;
    const bytes = encodeStateSnapshot(ledger);
    const decoded = decodeStateSnapshot(bytes, { expectedRoot: ledger.tree.root() });
    bytes.fill(0);
    expect(decoded.ok && toHex(decoded.value.tree.root())).toBe(toHex(ledger.tree.root()));
    expect(decoded.ok && toHex(encodeStateSnapshot(decoded.value))).toBe(toHex(encodeStateSnapshot(ledger)));
  });
});

// ---- properties ----

const u64 = fc.bigInt({ min: 0n, max: U64_MAX });
const addressArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((d): Address => Uint8Array.from([0, ...d]));
const accountArb: fc.Arbitrary<Account> = fc.record({
  balance: fc.bigInt({ min: 1n, max: U64_MAX }),
  nonce: u64,
  stake: u64,
  unbonding: fc.constant([]),
  key: fc.constantFrom(undefined, tagged(alice), tagged(bob)),
});
const changesArb = fc.record({
  accounts: fc.uniqueArray(fc.record({ address: addressArb, account: accountArb }), { maxLength: 40, selector: (e) => toHex(e.address) }),
  slashedSlots: fc.uniqueArray(fc.record({ slotId: fc.uint8Array({ minLength: 32, maxLength: 32 }), epoch: fc.bigInt({ min: 0n, max: 9n }) }), {
    maxLength: 3,
    selector: (s) => toHex(s.slotId),
  }),
  epoch: u64,
  feePool: u64,
  burned: u64,
});

describe('state snapshot properties', () => {
  it('in pieces: the same bytes, every piece but the last at least the piece size', () => {
    fc.assert(
      fc.property(changesArb, fc.integer({ min: 1, max: 4096 }), (changes, chunkBytes) => {
        const ledger = commitLedger(emptyLedger, changes);
        const whole = encodeStateSnapshot(ledger);
        const pieces = [...stateSnapshotChunks(ledger, chunkBytes)];
        expect(toHex(Uint8Array.from(pieces.flatMap((p) => [...p])))).toBe(toHex(whole));
        for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(chunkBytes);
      }),
      { numRuns: 25 },
    );
    expect([...stateSnapshotChunks(emptyLedger, 1 << 20)]).toEqual([encodeStateSnapshot(emptyLedger)]);
    expect(() => [...stateSnapshotChunks(emptyLedger, 0)]).toThrow(RangeError);
  });

  it('round-trips random ledgers: same root, same reserved values, same bytes', () => {
    fc.assert(
      fc.property(changesArb, (changes) => {
        expectRoundTrip(commitLedger(emptyLedger, changes));
      }),
      { numRuns: 25 },
    );
  });

  it('same state, same bytes: the order accounts were written in does not matter', () => {
    fc.assert(
      fc.property(changesArb, fc.nat(), (changes, cut) => {
        const once = commitLedger(emptyLedger, changes);
        const at = changes.accounts.length === 0 ? 0 : cut % changes.accounts.length;
        const reversed = { ...changes, accounts: [...changes.accounts].reverse() };
        const twice = commitLedger(commitLedger(emptyLedger, { ...reversed, accounts: reversed.accounts.slice(0, at) }), { ...reversed, accounts: reversed.accounts.slice(at) });
        expect(toHex(encodeStateSnapshot(twice))).toBe(toHex(encodeStateSnapshot(once)));
      }),
      { numRuns: 25 },
    );
  });

  it('never throws on mutated snapshots, and accepts only what re-encodes to the input', () => {
    const ledger = commitLedger(emptyLedger, {
      accounts: [1, 2, 3].map((i) => ({ address: Uint8Array.from([0, ...new Uint8Array(32).fill(i)]), account: { balance: BigInt(i), nonce: 0n, stake: 0n, unbonding: [] } })),
      slashedSlots: [],
      epoch: 4n,
      feePool: 0n,
      burned: 0n,
    });
    const good = encodeStateSnapshot(ledger);
    const expectedRoot = ledger.tree.root();
    const mutation = fc.oneof(
      fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }).map(({ at, xor }) => {
        const b = good.slice();
        b[at % b.length] = (b[at % b.length] as number) ^ xor;
        return b;
      }),
      fc.nat().map((n) => good.slice(0, n % good.length)),
      fc.uint8Array({ maxLength: 8 }).map((tail) => Uint8Array.from([...good, ...tail])),
    );
    fc.assert(
      fc.property(mutation, (bytes) => {
        const decoded = decodeStateSnapshot(bytes, { expectedRoot });
        if (decoded.ok) expect(toHex(encodeStateSnapshot(decoded.value))).toBe(toHex(bytes));
        else expect(STATE_SNAPSHOT_REJECT_CODES).toContain(decoded.error.code);
      }),
      { numRuns: 200 },
    );
  });
});
