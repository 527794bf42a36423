// select: fee per byte across senders' ready heads, nonce order within a sender, id tie-break,
// count and byte budgets; and the binary heap it rests on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/index.ts';
import { encodeSignedTx, txId } from '../txCodec.ts';
import type { SignedTx } from '../types.ts';
import { createBinaryHeap } from './_heap.ts';
import { accountView, alice, bob, carol, dave, funded, makeMempool, signedTransfer } from './test/fixtures.ts';

const RICH = 10n ** 12n;
const view = () => accountView([funded(alice, RICH), funded(bob, RICH), funded(carol, RICH), funded(dave, RICH)]);
const hexId = (s: SignedTx) => toHex(txId(s.tx));
const ALL = { maxTxs: 1000, maxBytes: 1e9 };

describe('select', () => {
  it('dearest ready head first; a sender next nonce only after its predecessor', async () => {
    const a0 = await signedTransfer(alice, { nonce: 0n, fee: 1000n });
    const a1 = await signedTransfer(alice, { nonce: 1n, fee: 9000n });
    const b0 = await signedTransfer(bob, { nonce: 0n, fee: 5000n });
    const c0 = await signedTransfer(carol, { nonce: 0n, fee: 3000n });
    const d1 = await signedTransfer(dave, { nonce: 1n, fee: 99_000n }); // queued behind a gap
    const { pool } = makeMempool(view());
    for (const t of [a1, d1, c0, a0, b0]) await pool.admitTx(t);
    const chosen = pool.select(ALL);
    expect(chosen.map((t) => toHex(t.id))).toEqual([b0, c0, a0, a1].map(hexId));
    expect(Object.isFrozen(chosen)).toBe(true);
    // Selecting removes nothing.
    expect(pool.size).toBe(5);
    expect(pool.select(ALL).map((t) => toHex(t.id))).toEqual(chosen.map((t) => toHex(t.id)));
  });

  it('prices per byte: a larger transaction must pay proportionally more', async () => {
    const lean = await signedTransfer(alice, { fee: 2000n });
    const leanSize = encodeSignedTx(lean).length;
    const keyless = accountView([funded(alice, RICH), funded(bob, RICH, 0n, true)]);
    // Same absolute fee, but it carries its key (≈ 1.3 KB more): cheaper per byte.
    const heavy = await signedTransfer(bob, { fee: 2000n, includeKey: true });
    expect(encodeSignedTx(heavy).length).toBeGreaterThan(leanSize);
    const { pool } = makeMempool(keyless);
    for (const t of [heavy, lean]) await pool.admitTx(t);
    expect(pool.select(ALL).map((t) => toHex(t.id))).toEqual([lean, heavy].map(hexId));
  });

  it('breaks equal prices by id, whatever the admission order', async () => {
    const txs = [await signedTransfer(alice, { fee: 4000n }), await signedTransfer(bob, { fee: 4000n }), await signedTransfer(carol, { fee: 4000n })];
    const expected = txs.map(hexId).sort();
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0]]) {
      const { pool } = makeMempool(view());
      for (const i of order) await pool.admitTx(txs[i] as SignedTx);
      expect(pool.select(ALL).map((t) => toHex(t.id))).toEqual(expected);
    }
  });

  it('respects the count and byte budgets; a head that does not fit ends its sender, not the selection', async () => {
    const a0 = await signedTransfer(alice, { nonce: 0n, fee: 9000n, includeKey: true });
    const a1 = await signedTransfer(alice, { nonce: 1n, fee: 9000n });
    const b0 = await signedTransfer(bob, { nonce: 0n, fee: 2000n });
    const keylessAlice = accountView([funded(alice, RICH, 0n, true), funded(bob, RICH)]);
    const { pool } = makeMempool(keylessAlice);
    for (const t of [a0, a1, b0]) expect((await pool.admitTx(t)).ok).toBe(true);
    expect(pool.select({ maxTxs: 2, maxBytes: 1e9 }).map((t) => toHex(t.id))).toEqual([a0, a1].map(hexId));
    // Room for the small bob transaction but not alice's larger head: alice is skipped entirely.
    const small = encodeSignedTx(b0).length;
    expect(encodeSignedTx(a0).length).toBeGreaterThan(small);
    expect(pool.select({ maxTxs: 10, maxBytes: small }).map((t) => toHex(t.id))).toEqual([hexId(b0)]);
    expect(pool.select({ maxTxs: 0, maxBytes: 1e9 })).toEqual([]);
  });

  it('choose: skip passes over one transaction (the sender goes on), later puts the sender off; neither counts', async () => {
    const a0 = await signedTransfer(alice, { nonce: 0n, fee: 9000n });
    const a1 = await signedTransfer(alice, { nonce: 1n, fee: 9000n });
    const b0 = await signedTransfer(bob, { nonce: 0n, fee: 5000n });
    const b1 = await signedTransfer(bob, { nonce: 1n, fee: 5000n });
    const c0 = await signedTransfer(carol, { nonce: 0n, fee: 1000n });
    const { pool } = makeMempool(view());
    for (const t of [a0, a1, b0, b1, c0]) await pool.admitTx(t);
    const asked: string[] = [];
    const chosen = pool.select({
      maxTxs: 2,
      maxBytes: 1e9,
      choose: (tx) => {
        const id = toHex(tx.id);
        asked.push(id);
        return id === hexId(a0) ? 'skip' : id === hexId(b0) ? 'later' : 'take';
      },
    });
    // a0 skipped (a1 follows it), b0 puts bob off (b1 never asked), and the two taken fill the count.
    expect(chosen.map((t) => toHex(t.id))).toEqual([a1, c0].map(hexId));
    expect(asked).toEqual([a0, a1, b0, c0].map(hexId));
  });

  it('remembers where each transaction entered: local by default, peer when relayed', async () => {
    const a0 = await signedTransfer(alice, { nonce: 0n });
    const b0 = await signedTransfer(bob, { nonce: 0n });
    const { pool } = makeMempool(view());
    await pool.admitTx(a0);
    await pool.admit(encodeSignedTx(b0), { origin: 'peer' });
    const origins = new Map(pool.select(ALL).map((t) => [toHex(t.id), t.origin]));
    expect(origins.get(hexId(a0))).toBe('local');
    expect(origins.get(hexId(b0))).toBe('peer');
    await expect(pool.admit(encodeSignedTx(b0), { origin: 'elsewhere' as 'peer' })).rejects.toThrow(/origin/);
  });
});

describe('binary heap', () => {
  it('pops in order after any mix of pushes, pops and resets', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.array(fc.oneof(fc.integer(), fc.constant<'pop'>('pop'))), (initial, ops) => {
        const heap = createBinaryHeap<number>((a, b) => a < b, initial);
        const model = [...initial];
        for (const op of ops) {
          if (op === 'pop') {
            model.sort((a, b) => a - b);
            expect(heap.pop()).toBe(model.shift());
          } else {
            heap.push(op);
            model.push(op);
          }
          expect(heap.size()).toBe(model.length);
        }
        const drained: number[] = [];
        for (let x = heap.pop(); x !== undefined; x = heap.pop()) drained.push(x);
        expect(drained).toEqual(model.sort((a, b) => a - b));
      }),
    );
  });
});
