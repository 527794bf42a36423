// Property tests: random admit / commit / external-commit / reorg / select sequences keep the
// pool's invariants (bounds, nonce order, affordability, executable selections), and no byte
// string makes admission throw. Real signatures (pre-signed once), real in-thread verify pool.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, toHex } from '../../crypto/index.ts';
import { encodeSignedTx, txId } from '../txCodec.ts';
import { keyDerivesAddress } from '../txValidate.ts';
import type { Account, SignedTx } from '../types.ts';
import { txSpend } from './_candidate.ts';
import type { Mempool } from './mempool.ts';
import { accountView, alice, bob, carol, countingVerifier, dave, funded, makeMempool, signedTransfer, type Party } from './test/fixtures.ts';
import type { PooledTx } from './types.ts';

const RICH = 10n ** 12n;
const PARTIES: readonly Party[] = [alice, bob, carol, dave];
const BASE_FEE = [1000n, 1300n, 1700n, 2100n];
const NONCES = 4;
const MAX_TXS = 4;
const MAX_PER_SENDER = 3;

type Signed = { readonly tx: SignedTx; readonly hex: string; readonly size: number };
let txs: Signed[] = [];
let maxBytes = 0;
const verifier = countingVerifier();

beforeAll(async () => {
  const out: Signed[] = [];
  for (const [p, party] of PARTIES.entries()) {
    for (let nonce = 0; nonce < NONCES; nonce++) {
      for (const level of [1n, 3n]) {
        // dave has no key on record: his nonce-0 transaction must carry it.
        const includeKey = party === dave && nonce === 0;
        const tx = await signedTransfer(party, { nonce: BigInt(nonce), fee: (BASE_FEE[p] as bigint) * level, includeKey });
        out.push({ tx, hex: toHex(txId(tx.tx)), size: encodeSignedTx(tx).length });
      }
    }
  }
  txs = out;
  const lean = Math.min(...txs.map((t) => t.size));
  maxBytes = 3 * lean + (lean >> 1); // the byte bound bites before the count bound at times
});

const genesis = (): Map<string, Account> =>
  new Map([funded(alice, RICH), funded(bob, 8000n), funded(carol, RICH), funded(dave, RICH, 0n, true)].map(([a, acc]) => [toHex(a), acc]));

type Op =
  | { readonly kind: 'admit'; readonly i: number }
  | { readonly kind: 'race'; readonly i: number; readonly j: number }
  | { readonly kind: 'commit'; readonly k: number }
  | { readonly kind: 'external'; readonly p: number }
  | { readonly kind: 'reorg' }
  | { readonly kind: 'select'; readonly maxTxs: number; readonly slots: number };

const TX_COUNT = PARTIES.length * NONCES * 2;
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.nat(TX_COUNT - 1).map((i) => ({ kind: 'admit' as const, i })) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(TX_COUNT - 1), fc.nat(TX_COUNT - 1)).map(([i, j]) => ({ kind: 'race' as const, i, j })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 4 }).map((k) => ({ kind: 'commit' as const, k })) },
  { weight: 1, arbitrary: fc.nat(PARTIES.length - 1).map((p) => ({ kind: 'external' as const, p })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reorg' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('select' as const), maxTxs: fc.nat(8), slots: fc.nat(6) }) },
);

/** Executes `chosen` in order on a copy of `state`; throws (fails the property) if any step is invalid. */
function execute(state: Map<string, Account>, chosen: readonly PooledTx[]): Map<string, Account> {
  const next = new Map(state);
  const seen = new Set<string>();
  for (const t of chosen) {
    const idHex = toHex(t.id);
    expect(seen.has(idHex)).toBe(false);
    seen.add(idHex);
    const { tx, publicKey } = t.signedTx;
    const acc = next.get(toHex(tx.sender));
    expect(acc).toBeDefined();
    if (acc === undefined) return next;
    expect(tx.nonce).toBe(acc.nonce);
    if (acc.key !== undefined) {
      expect(publicKey).toBeUndefined();
      expect(bytesEqual(t.senderKey.publicKey, acc.key.publicKey)).toBe(true);
    } else {
      expect(publicKey !== undefined && keyDerivesAddress(publicKey, tx.sender)).toBe(true);
    }
    const spend = txSpend(tx);
    expect(acc.balance >= spend).toBe(true);
    next.set(toHex(tx.sender), { ...acc, nonce: acc.nonce + 1n, balance: acc.balance - spend, key: acc.key ?? publicKey });
  }
  return next;
}

function checkInvariants(pool: Mempool, state: Map<string, Account>): void {
  const s = pool.stats();
  expect(s.count).toBeLessThanOrEqual(MAX_TXS);
  expect(s.bytes).toBeLessThanOrEqual(maxBytes);
  expect(s.ready + s.queued).toBe(s.count);
  const pooled = txs.filter((t) => pool.has(txId(t.tx.tx)));
  expect(pooled.length).toBe(s.count);
  expect(pooled.reduce((n, t) => n + t.size, 0)).toBe(s.bytes);
  for (const party of PARTIES) {
    const acc = state.get(toHex(party.address));
    const mine = pooled.filter((t) => bytesEqual(t.tx.tx.sender, party.address)).sort((a, b) => Number(a.tx.tx.nonce - b.tx.tx.nonce));
    expect(mine.length).toBeLessThanOrEqual(MAX_PER_SENDER);
    expect(new Set(mine.map((t) => t.tx.tx.nonce)).size).toBe(mine.length); // one per (sender, nonce)
    expect(mine.every((t) => t.tx.tx.nonce >= (acc?.nonce ?? 0n))).toBe(true);
    expect(mine.reduce((n, t) => n + txSpend(t.tx.tx), 0n) <= (acc?.balance ?? 0n)).toBe(true);
  }
  const all = pool.select({ maxTxs: 1000, maxBytes: 1e9 });
  expect(all.length).toBe(s.ready);
  execute(state, all);
}

async function run(ops: readonly Op[]): Promise<void> {
  const { pool } = makeMempool(accountView([]), { maxTxs: MAX_TXS, maxBytes, maxPerSender: MAX_PER_SENDER }, verifier);
  let state = genesis();
  const history: Array<Map<string, Account>> = [];
  const viewOf = (m: Map<string, Account>) => ({ account: (a: Uint8Array) => m.get(toHex(a)) });
  pool.onCommitted(viewOf(state), []);
  const moveTo = (next: Map<string, Account>, ids: readonly Uint8Array[]) => {
    history.push(state);
    state = next;
    pool.onCommitted(viewOf(state), ids);
  };
  for (const op of ops) {
    switch (op.kind) {
      case 'admit': {
        const r = await pool.admitTx((txs[op.i] as Signed).tx);
        expect(typeof (r.ok ? r.value.status : r.error.code)).toBe('string');
        break;
      }
      case 'race': {
        const rs = await Promise.all([op.i, op.j].map((i) => pool.admitTx((txs[i] as Signed).tx)));
        if (op.i === op.j) expect(rs.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
        break;
      }
      case 'commit': {
        const chosen = pool.select({ maxTxs: op.k, maxBytes: 1e9 });
        moveTo(execute(state, chosen), chosen.map((t) => t.id));
        break;
      }
      case 'external': {
        const party = PARTIES[op.p] as Party;
        const acc = state.get(toHex(party.address)) as Account;
        const key = acc.key ?? { scheme: party.keys.scheme, publicKey: party.keys.publicKey };
        const next = new Map(state).set(toHex(party.address), { ...acc, nonce: acc.nonce + 1n, balance: acc.balance > 2000n ? acc.balance - 2000n : 0n, key });
        moveTo(next, []);
        break;
      }
      case 'reorg': {
        const previous = history.pop();
        if (previous !== undefined) {
          state = previous;
          pool.onCommitted(viewOf(state), []);
        }
        break;
      }
      case 'select': {
        const budget = Math.floor((op.slots * maxBytes) / 3);
        const chosen = pool.select({ maxTxs: op.maxTxs, maxBytes: budget });
        expect(chosen.length).toBeLessThanOrEqual(op.maxTxs);
        expect(chosen.reduce((n, t) => n + t.sizeBytes, 0)).toBeLessThanOrEqual(budget);
        execute(state, chosen);
        break;
      }
    }
    checkInvariants(pool, state);
  }
}

describe('mempool invariants under random operation sequences', () => {
  it('bounds, nonce order, affordability and executable selections hold after every step', async () => {
    await fc.assert(fc.asyncProperty(fc.array(arbOp, { minLength: 1, maxLength: 40 }), run), { numRuns: 60 });
    // Every signature was verified once at most, however often it was re-admitted.
    expect(verifier.backendVerified()).toBeLessThanOrEqual(TX_COUNT);
  });
});

describe('admit never throws on bytes', () => {
  it('random bytes give a typed reject', async () => {
    const { pool } = makeMempool(accountView([]));
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        const r = await pool.admit(bytes);
        expect(r.ok).toBe(false);
        expect(typeof (r.ok ? '' : r.error.code)).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('mutations of a valid transaction give a typed reject or a valid admission', async () => {
    const base = encodeSignedTx((txs[0] as Signed).tx);
    const mutation = fc.oneof(
      fc.record({ at: fc.nat(base.length - 1), xor: fc.integer({ min: 1, max: 255 }) }).map(({ at, xor }) => {
        const b = base.slice();
        b[at] = (b[at] as number) ^ xor;
        return b;
      }),
      fc.nat(base.length - 1).map((n) => base.slice(0, n)),
      fc.uint8Array({ minLength: 1, maxLength: 8 }).map((tail) => Uint8Array.from([...base, ...tail])),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (bytes) => {
        const { pool } = makeMempool(accountView([funded(alice, RICH)]), {}, verifier);
        const r = await pool.admit(bytes);
        if (r.ok) expect(pool.has(r.value.id)).toBe(true);
        else expect(pool.size).toBe(0);
      }),
      { numRuns: 80 },
    );
  });
});
