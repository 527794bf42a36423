// Mempool admission: every reject code, nonce gaps, replacement, eviction, concurrency and
// "verified once per node", over a real in-thread verify pool (noble ML-DSA-44).
import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/index.ts';
import { encodeSignedTx, txId } from '../txCodec.ts';
import type { SignedTx } from '../types.ts';
import type { AdmitResult } from './mempool.ts';
import { alice, accountView, bob, carol, countingVerifier, dave, funded, makeMempool, signedTransfer, sink } from './test/fixtures.ts';
import { MEMPOOL_REJECT_CODES, type MempoolRejectCode } from './types.ts';

const RICH = 10n ** 12n;
const reached = new Set<MempoolRejectCode>();

function expectReject(result: AdmitResult, code: MempoolRejectCode): void {
  expect(result.ok ? 'ok' : result.error.code).toBe(code);
  reached.add(code);
}

function expectStatus(result: AdmitResult, status: 'pending' | 'queued' | 'replaced'): void {
  expect(result.ok ? result.value.status : result.error.code).toBe(status);
}

const idOf = (s: SignedTx) => txId(s.tx);
const sizeOf = (s: SignedTx) => encodeSignedTx(s).length;
const richView = () => accountView([funded(alice, RICH), funded(bob, RICH), funded(carol, RICH), funded(dave, RICH)]);

describe('admission rejects: stateless and cheap checks', () => {
  it('TOO_LARGE before decoding, MALFORMED with the codec error, WRONG_CHAIN, UNENCODABLE', async () => {
    const { pool, verifier } = makeMempool(richView(), { maxTxBytes: 8000 });
    expectReject(await pool.admit(new Uint8Array(8001)), 'TOO_LARGE');
    const malformed = await pool.admit(Uint8Array.of(1, 2, 3));
    expectReject(malformed, 'MALFORMED');
    expect(!malformed.ok && malformed.error.code === 'MALFORMED' && typeof malformed.error.decodeError.path).toBe('string');
    expectReject(await pool.admit(encodeSignedTx(await signedTransfer(alice, { chainId: 'other-chain' }))), 'WRONG_CHAIN');
    const good = await signedTransfer(alice);
    expectReject(await pool.admitTx({ ...good, tx: { ...good.tx, chainId: 'x'.repeat(40) } }), 'UNENCODABLE');
    expect(verifier.batches()).toBe(0); // none of these reached signature verification
    expect(pool.stats().rejects).toMatchObject({ TOO_LARGE: 1, MALFORMED: 1, WRONG_CHAIN: 1, UNENCODABLE: 1 });
  });

  it('DUPLICATE: the same id, whatever the carried key or signature bytes', async () => {
    const { pool } = makeMempool(richView());
    const tx = await signedTransfer(alice);
    expectStatus(await pool.admitTx(tx), 'pending');
    expectReject(await pool.admitTx(tx), 'DUPLICATE');
    // With the key carried it is other bytes but the same transaction id.
    expectReject(await pool.admitTx(await signedTransfer(alice, { includeKey: true })), 'DUPLICATE');
    expect(pool.size).toBe(1);
  });

  it('NONCE_TOO_LOW: a nonce the committed account already used (replay)', async () => {
    const { pool } = makeMempool(accountView([funded(alice, RICH, 3n)]));
    expectReject(await pool.admitTx(await signedTransfer(alice, { nonce: 2n })), 'NONCE_TOO_LOW');
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 3n })), 'pending');
  });

  it('sender key rules: PUBLIC_KEY_REQUIRED, PUBLIC_KEY_UNEXPECTED, SENDER_KEY_UNKNOWN', async () => {
    const { pool } = makeMempool(accountView([funded(alice, RICH, 0n, true), funded(bob, RICH)]));
    expectReject(await pool.admitTx(await signedTransfer(alice)), 'PUBLIC_KEY_REQUIRED');
    expectReject(await pool.admitTx(await signedTransfer(bob, { includeKey: true })), 'PUBLIC_KEY_UNEXPECTED');
    // Keyless alice, nonce 1, before her first transaction is known: no key to verify with.
    expectReject(await pool.admitTx(await signedTransfer(alice, { nonce: 1n })), 'SENDER_KEY_UNKNOWN');
    expectStatus(await pool.admitTx(await signedTransfer(alice, { includeKey: true })), 'pending');
    // Now the key is known from the pooled first transaction; later ones must not carry it.
    expectReject(await pool.admitTx(await signedTransfer(alice, { nonce: 1n, includeKey: true })), 'PUBLIC_KEY_UNEXPECTED');
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 1n })), 'pending');
  });

  it('SENDER_LIMIT by count and by nonce window', async () => {
    const { pool } = makeMempool(richView(), { maxPerSender: 2 });
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 0n })), 'pending');
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 1n })), 'pending');
    const count = await pool.admitTx(await signedTransfer(alice, { nonce: 2n }));
    expectReject(count, 'SENDER_LIMIT');
    expect(!count.ok && count.error).toMatchObject({ reason: 'count', limit: 2 });
    const window = await pool.admitTx(await signedTransfer(bob, { nonce: 2n }));
    expectReject(window, 'SENDER_LIMIT');
    expect(!window.ok && window.error).toMatchObject({ reason: 'nonce-window' });
  });

  it('INSUFFICIENT_BALANCE counts the sender pooled spend below the nonce', async () => {
    const { pool } = makeMempool(accountView([funded(alice, 1500n)]));
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 0n, fee: 1000n, amount: 1n })), 'pending');
    const second = await pool.admitTx(await signedTransfer(alice, { nonce: 1n, fee: 1000n, amount: 1n }));
    expectReject(second, 'INSUFFICIENT_BALANCE');
    expect(!second.ok && second.error).toMatchObject({ required: 2002n, balance: 1500n });
    // No account at all: a balance of zero.
    expectReject(await pool.admitTx(await signedTransfer(bob, { includeKey: true })), 'INSUFFICIENT_BALANCE');
  });

  it('FEE_TOO_LOW below the node floor, with the least fee that passes', async () => {
    const { pool } = makeMempool(richView(), { minFeePerByte: 1n });
    const cheap = await signedTransfer(alice, { fee: 1000n });
    const result = await pool.admitTx(cheap);
    expectReject(result, 'FEE_TOO_LOW');
    expect(!result.ok && result.error).toMatchObject({ reason: 'below-minimum', requiredFee: BigInt(sizeOf(cheap)) });
    expectStatus(await pool.admitTx(await signedTransfer(alice, { fee: BigInt(sizeOf(cheap)) })), 'pending');
  });

  it('BAD_SIGNATURE is the last check, and the signature is checked through the verifier', async () => {
    const { pool, verifier } = makeMempool(richView());
    const good = await signedTransfer(alice);
    const bytes = good.signature.bytes.slice();
    bytes[100] = (bytes[100] as number) ^ 1;
    expectReject(await pool.admitTx({ ...good, signature: { ...good.signature, bytes } }), 'BAD_SIGNATURE');
    expect(verifier.backendVerified()).toBe(1);
    expect(pool.size).toBe(0);
  });

  it('VERIFIER_UNAVAILABLE when the verify pool cannot answer (not the transaction fault)', async () => {
    const { pool, verifier } = makeMempool(richView());
    await verifier.pool.close();
    const result = await pool.admitTx(await signedTransfer(alice));
    expectReject(result, 'VERIFIER_UNAVAILABLE');
    expect(pool.stats().inFlight).toBe(0); // the reservation was released
  });
});

describe('replacement', () => {
  it('needs the fee-per-byte bump; a replacement takes the slot', async () => {
    const { pool } = makeMempool(richView());
    const first = await signedTransfer(alice, { fee: 1000n });
    expectStatus(await pool.admitTx(first), 'pending');
    const low = await pool.admitTx(await signedTransfer(alice, { fee: 1050n }));
    expectReject(low, 'REPLACEMENT_UNDERPRICED');
    expect(!low.ok && low.error).toMatchObject({ requiredFee: 1100n, existingId: idOf(first) });
    const bumped = await signedTransfer(alice, { fee: 1100n });
    expectStatus(await pool.admitTx(bumped), 'replaced');
    expect(pool.has(idOf(first))).toBe(false);
    expect(pool.get(idOf(bumped))?.signedTx.tx.fee).toBe(1100n);
    expect(pool.stats()).toMatchObject({ count: 1, replaced: 1 });
  });

  it('equal fees never replace, even with a 0% bump (no free re-bids)', async () => {
    const { pool } = makeMempool(richView(), { replaceBumpPercent: 0 });
    expectStatus(await pool.admitTx(await signedTransfer(alice, { fee: 1000n, amount: 1n })), 'pending');
    expectReject(await pool.admitTx(await signedTransfer(alice, { fee: 1000n, amount: 2n })), 'REPLACEMENT_UNDERPRICED');
    expectStatus(await pool.admitTx(await signedTransfer(alice, { fee: 1001n, amount: 2n })), 'replaced');
  });

  it('drops the later transactions a costlier replacement makes unaffordable', async () => {
    const { pool } = makeMempool(accountView([funded(alice, 3000n)]));
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 0n, fee: 1000n })), 'pending');
    const later = await signedTransfer(alice, { nonce: 1n, fee: 1000n });
    expectStatus(await pool.admitTx(later), 'pending');
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 0n, fee: 1500n, amount: 1000n })), 'replaced');
    expect(pool.has(idOf(later))).toBe(false);
    expect(pool.stats()).toMatchObject({ count: 1, dropped: 1 });
  });
});

describe('nonce gaps', () => {
  it('holds a transaction behind a gap as queued, and promotes it when the gap closes', async () => {
    const { pool } = makeMempool(richView());
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 2n })), 'queued');
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 1n })), 'queued');
    expect(pool.stats()).toMatchObject({ ready: 0, queued: 2 });
    expect(pool.select({ maxTxs: 10, maxBytes: 1e9 })).toHaveLength(0);
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 0n })), 'pending');
    expect(pool.stats()).toMatchObject({ ready: 3, queued: 0 });
    expect(pool.select({ maxTxs: 10, maxBytes: 1e9 }).map((t) => t.signedTx.tx.nonce)).toEqual([0n, 1n, 2n]);
  });

  it('a gap filler that exhausts the balance drops the later transactions, not itself', async () => {
    const { pool } = makeMempool(accountView([funded(alice, 1500n)]));
    const later = await signedTransfer(alice, { nonce: 1n, fee: 1000n });
    expectStatus(await pool.admitTx(later), 'queued');
    expectStatus(await pool.admitTx(await signedTransfer(alice, { nonce: 0n, fee: 1000n })), 'pending');
    expect(pool.has(idOf(later))).toBe(false);
    expect(pool.stats()).toMatchObject({ count: 1, dropped: 1 });
  });
});

describe('eviction when full', () => {
  it('by count: the cheapest per byte goes; a newcomer no dearer is FEE_TOO_LOW', async () => {
    const { pool } = makeMempool(richView(), { maxTxs: 2 });
    const cheap = await signedTransfer(alice, { fee: 1000n });
    await pool.admitTx(cheap);
    await pool.admitTx(await signedTransfer(bob, { fee: 3000n }));
    const low = await signedTransfer(carol, { fee: 1000n });
    const result = await pool.admitTx(low);
    expectReject(result, 'FEE_TOO_LOW');
    expect(!result.ok && result.error).toMatchObject({ reason: 'pool-full', requiredFee: 1001n });
    expectStatus(await pool.admitTx(await signedTransfer(carol, { fee: 2000n })), 'pending');
    expect(pool.has(idOf(cheap))).toBe(false);
    expect(pool.stats()).toMatchObject({ count: 2, evicted: 1 });
  });

  it('by bytes: a large newcomer evicts as many as it needs, or none at all', async () => {
    const a = await signedTransfer(alice, { fee: 1000n });
    const b = await signedTransfer(bob, { fee: 1500n });
    const c = await signedTransfer(carol, { fee: 3000n });
    const size = sizeOf(a);
    const view = accountView([funded(alice, RICH), funded(bob, RICH), funded(carol, RICH), funded(dave, RICH, 0n, true)]);
    const { pool } = makeMempool(view, { maxBytes: 3 * size });
    for (const t of [a, b, c]) expectStatus(await pool.admitTx(t), 'pending');
    // dave's first transaction carries his key: larger than one slot, so two must go.
    const big = sizeOf(await signedTransfer(dave, { includeKey: true }));
    expect(big > size && big < 2 * size).toBe(true);
    // Dearer per byte than alice only: evicting alice is not enough, bob is not cheaper: undone.
    const between = await signedTransfer(dave, { includeKey: true, fee: BigInt(Math.floor((1250 * big) / size)) });
    expectReject(await pool.admitTx(between), 'FEE_TOO_LOW');
    expect([a, b, c].every((t) => pool.has(idOf(t)))).toBe(true);
    expect(pool.stats()).toMatchObject({ count: 3, bytes: 3 * size, evicted: 0 });
    const dear = await signedTransfer(dave, { includeKey: true, fee: BigInt(Math.floor((2000 * big) / size)) });
    expectStatus(await pool.admitTx(dear), 'pending');
    expect(pool.has(idOf(a)) || pool.has(idOf(b))).toBe(false);
    expect(pool.stats()).toMatchObject({ count: 2, bytes: size + big, evicted: 2 });
  });

  it('evicts a sender tail, never a head in front of its own later transactions', async () => {
    const { pool } = makeMempool(richView(), { maxTxs: 3 });
    const head = await signedTransfer(alice, { nonce: 0n, fee: 500n });
    const tail = await signedTransfer(alice, { nonce: 1n, fee: 5000n });
    const bobTx = await signedTransfer(bob, { fee: 2000n });
    for (const t of [head, tail, bobTx]) await pool.admitTx(t);
    expectStatus(await pool.admitTx(await signedTransfer(carol, { fee: 3000n })), 'pending');
    expect(pool.has(idOf(head)) && pool.has(idOf(tail))).toBe(true);
    expect(pool.has(idOf(bobTx))).toBe(false);
  });

  it('never evicts a sender own earlier transaction to make room for its later one', async () => {
    const { pool } = makeMempool(richView(), { maxTxs: 2 });
    const first = await signedTransfer(alice, { nonce: 0n, fee: 500n });
    const second = await signedTransfer(alice, { nonce: 1n, fee: 5000n });
    for (const t of [first, second]) await pool.admitTx(t);
    const third = await pool.admitTx(await signedTransfer(alice, { nonce: 2n, fee: 9000n }));
    expectReject(third, 'FEE_TOO_LOW');
    expect(!third.ok && third.error).toMatchObject({ reason: 'pool-full', requiredFee: undefined });
    expect(pool.has(idOf(first)) && pool.has(idOf(second))).toBe(true);
    // The protected tail set aside during that attempt is still evictable by others.
    expectStatus(await pool.admitTx(await signedTransfer(bob, { fee: 6000n })), 'pending');
    expect(pool.has(idOf(second))).toBe(false);
  });
});

describe('concurrency', () => {
  it('duplicate admissions racing: exactly one enters', async () => {
    const { pool, verifier } = makeMempool(richView());
    const bytes = encodeSignedTx(await signedTransfer(alice));
    const results = await Promise.all(Array.from({ length: 5 }, () => pool.admit(bytes)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) expectReject(r, 'DUPLICATE');
    expect(pool.size).toBe(1);
    expect(verifier.batches()).toBe(1);
  });

  it('rivals for one (sender, nonce) racing: one enters, the other is told to retry', async () => {
    const { pool } = makeMempool(richView());
    const rivals = [await signedTransfer(alice, { fee: 1000n }), await signedTransfer(alice, { fee: 5000n })];
    const [x, y] = await Promise.all(rivals.map((t) => pool.admitTx(t)));
    expect([x, y].filter((r) => r?.ok)).toHaveLength(1);
    expectReject((x?.ok ? y : x) as AdmitResult, 'ADMISSION_IN_PROGRESS');
    expect(pool.size).toBe(1);
  });

  it('re-checks after verification: a commit during it can make the transaction stale or re-keyed', async () => {
    const { pool } = makeMempool(richView());
    const stale = pool.admitTx(await signedTransfer(alice, { nonce: 0n }));
    // The promise above is suspended at verification; commit a state where nonce 0 is used.
    pool.onCommitted(accountView([funded(alice, RICH, 1n)]), []);
    expectReject(await stale, 'NONCE_TOO_LOW');

    const second = makeMempool(richView()).pool;
    const rekeyed = second.admitTx(await signedTransfer(bob, { nonce: 0n }));
    // bob's key on record becomes another ML-DSA-44 key (a rotation reaching its epoch).
    const rotated = { ...funded(bob, RICH)[1], key: { scheme: carol.keys.scheme, publicKey: carol.keys.publicKey } };
    second.onCommitted(accountView([[bob.address, rotated]]), []);
    expectReject(await rekeyed, 'SENDER_KEY_CHANGED');
    expect(pool.size + second.size).toBe(0);
  });
});

describe('onCommitted', () => {
  it('removes committed and stale transactions, promotes queued ones, drops what the new balance cannot pay', async () => {
    const { pool } = makeMempool(richView());
    const a0 = await signedTransfer(alice, { nonce: 0n });
    const a2 = await signedTransfer(alice, { nonce: 2n });
    const b0 = await signedTransfer(bob, { nonce: 0n, fee: 1000n });
    const b1 = await signedTransfer(bob, { nonce: 1n, fee: 1000n });
    for (const t of [a0, a2, b0, b1]) await pool.admitTx(t);
    expect(pool.stats()).toMatchObject({ ready: 3, queued: 1 });
    // alice's nonce 0 committed, and nonce 1 by a transaction this pool never saw; bob is poorer.
    pool.onCommitted(accountView([funded(alice, RICH, 2n), funded(bob, 1500n)]), [idOf(a0)]);
    expect(pool.has(idOf(a0)) || pool.has(idOf(b1))).toBe(false);
    expect(pool.has(idOf(a2)) && pool.has(idOf(b0))).toBe(true);
    expect(pool.stats()).toMatchObject({ count: 2, ready: 2, queued: 0, committed: 1, dropped: 1 });
  });

  it('keeps a committed transaction that ran ahead of its sender: it executes once the nonce before it did', async () => {
    const { pool } = makeMempool(richView());
    const a0 = await signedTransfer(alice, { nonce: 0n });
    const a1 = await signedTransfer(alice, { nonce: 1n });
    const a2 = await signedTransfer(alice, { nonce: 2n });
    for (const t of [a0, a1, a2]) await pool.admitTx(t);
    // A commit carried a copy of a1 ordered before any vertex with a0: execution refused it
    // (the account's nonce is still 0). Forgetting a1 would leave a2 queued forever.
    pool.onCommitted(richView(), [idOf(a1)]);
    expect([a0, a1, a2].every((t) => pool.has(idOf(t)))).toBe(true);
    expect(pool.stats()).toMatchObject({ ready: 3, committed: 0 });
    // a0 executes; a1 is proposed again and executes.
    pool.onCommitted(accountView([funded(alice, RICH, 1n)]), [idOf(a0)]);
    expect(pool.select({ maxTxs: 10, maxBytes: 1e9 }).map((t) => toHex(t.id))).toEqual([a1, a2].map((t) => toHex(idOf(t))));
    pool.onCommitted(accountView([funded(alice, RICH, 2n)]), [idOf(a1)]);
    expect(pool.has(idOf(a1))).toBe(false);
    expect(pool.stats()).toMatchObject({ count: 1, ready: 1, committed: 2 });
  });

  it('keeps one that ran ahead within the commit that executed its predecessor', async () => {
    const { pool } = makeMempool(richView());
    const a0 = await signedTransfer(alice, { nonce: 0n });
    const a1 = await signedTransfer(alice, { nonce: 1n });
    for (const t of [a0, a1]) await pool.admitTx(t);
    // Ordered a1 (refused), then a0 (applied): the account's nonce is now 1, a1's turn.
    pool.onCommitted(accountView([funded(alice, RICH, 1n)]), [idOf(a1), idOf(a0)]);
    expect(pool.has(idOf(a0))).toBe(false);
    expect(pool.select({ maxTxs: 10, maxBytes: 1e9 }).map((t) => toHex(t.id))).toEqual([toHex(idOf(a1))]);
  });

  it('a key rotation taking effect drops what the old key signed', async () => {
    const { pool } = makeMempool(richView());
    await pool.admitTx(await signedTransfer(alice, { nonce: 0n }));
    const rotated = { ...funded(alice, RICH)[1], key: { scheme: carol.keys.scheme, publicKey: carol.keys.publicKey } };
    pool.onCommitted(accountView([[alice.address, rotated]]), []);
    expect(pool.size).toBe(0);
  });
});

describe('verified once per node', () => {
  it('re-admitting after commit and reorg, or after eviction, reuses the verify cache', async () => {
    const verifier = countingVerifier();
    const genesis = richView();
    const { pool } = makeMempool(genesis, { maxTxs: 1 }, verifier);
    const a = await signedTransfer(alice, { fee: 1000n });
    expectStatus(await pool.admitTx(a), 'pending');
    expect(verifier.backendVerified()).toBe(1);
    pool.onCommitted(accountView([funded(alice, RICH, 1n)]), [idOf(a)]);
    expect(pool.size).toBe(0);
    pool.onCommitted(genesis, []); // reorg: the commit is undone
    expectStatus(await pool.admitTx(a), 'pending');
    expect(verifier.backendVerified()).toBe(1);
    expect(verifier.batches()).toBe(2); // it did go through the pool, whose cache answered

    const b = await signedTransfer(bob, { fee: 2000n });
    expectStatus(await pool.admitTx(b), 'pending'); // evicts a
    expect(pool.has(idOf(a))).toBe(false);
    pool.onCommitted(accountView([funded(alice, RICH), funded(bob, RICH, 1n)]), [idOf(b)]);
    expectStatus(await pool.admitTx(a), 'pending');
    expect(verifier.backendVerified()).toBe(2); // a once, b once
    expect(verifier.pool.stats().cacheHits).toBe(2);
  });
});

describe('reads', () => {
  it('get/has by id, a frozen view with the canonical bytes and the verifying key', async () => {
    const { pool } = makeMempool(richView());
    const t = await signedTransfer(alice);
    await pool.admitTx(t);
    const view = pool.get(idOf(t));
    expect(view && Object.isFrozen(view)).toBe(true);
    expect(view && toHex(view.encoded)).toBe(toHex(encodeSignedTx(t)));
    expect(view?.senderKey.publicKey).toEqual(alice.keys.publicKey);
    expect(pool.get(idOf(await signedTransfer(bob)))).toBeUndefined();
    expect(Object.isFrozen(pool)).toBe(true);
  });

  it('refuses bad options and bad select limits with RangeError/TypeError', () => {
    expect(() => makeMempool(richView(), { maxTxs: 0 })).toThrow(RangeError);
    expect(() => makeMempool(richView(), { chainId: '' })).toThrow(TypeError);
    const { pool } = makeMempool(richView());
    expect(() => pool.select({ maxTxs: -1, maxBytes: 10 })).toThrow(RangeError);
  });
});

describe('coverage of the reject codes', () => {
  it('every mempool reject code was reached above', () => {
    const own: readonly MempoolRejectCode[] = MEMPOOL_REJECT_CODES;
    expect(own.filter((c) => !reached.has(c))).toEqual([]);
    expect(sink.address).toHaveLength(33);
  });
});
