// The store and the eviction path at scale, without signatures: 10,000 single-transaction
// senders with distinct prices through `enterPool` into a pool of 1,000 leave exactly the
// 1,000 dearest, and the totals agree with the contents throughout.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/index.ts';
import { EMPTY_ACCOUNT } from '../account.ts';
import type { SignedTx } from '../types.ts';
import { enterPool, type AdmissionSettings } from './_admission.ts';
import { toEntry, type Candidate } from './_candidate.ts';
import { createStore } from './_store.ts';

const SENDERS = 10_000;
const settings: AdmissionSettings = { maxTxs: 1000, maxBytes: 1e12, maxPerSender: 4, minFeePerByte: 0n, replaceBumpPercent: 10 };
const key = { scheme: 'ml-dsa-44' as const, publicKey: new Uint8Array(1312) };

function candidate(i: number, fee: bigint, sizeBytes: number, nonce = 0n): Candidate {
  const sender = new Uint8Array(33);
  new DataView(sender.buffer).setUint32(29, i);
  const id = new Uint8Array(32);
  new DataView(id.buffer).setUint32(0, i);
  new DataView(id.buffer).setUint32(4, Number(nonce));
  return {
    id,
    idHex: toHex(id),
    signedTx: {} as SignedTx, // never read by the store
    encoded: new Uint8Array(0),
    sizeBytes,
    sender,
    senderHex: toHex(sender),
    nonce,
    fee,
    spend: fee,
  };
}

describe('store and eviction at scale', () => {
  it('10,000 admissions into 1,000 slots keep the 1,000 dearest per byte', () => {
    const store = createStore(() => undefined);
    // A fixed permutation of distinct prices: fee i·7919 mod 10007 over a size of 2,500 or 5,000 bytes.
    const priced = Array.from({ length: SENDERS }, (_, i) => {
      const size = i % 2 === 0 ? 2500 : 5000;
      return candidate(i, BigInt(((i * 7919) % 10_007) + 1) * BigInt(size), size);
    });
    let entered = 0;
    for (const c of priced) {
      const r = enterPool(store, toEntry(c, key, 'local'), { senderKey: key, replaces: undefined }, { ...EMPTY_ACCOUNT, balance: 10n ** 18n }, settings);
      if (r.ok) entered++;
      expect(store.count()).toBeLessThanOrEqual(settings.maxTxs);
    }
    expect(entered).toBeGreaterThan(settings.maxTxs);
    const perByte = (c: Candidate) => c.fee / BigInt(c.sizeBytes);
    const dearest = [...priced].sort((a, b) => Number(perByte(b) - perByte(a))).slice(0, settings.maxTxs);
    expect(new Set([...store.entries()].map((e) => e.idHex))).toEqual(new Set(dearest.map((c) => c.idHex)));
    expect(store.bytes()).toBe(dearest.reduce((n, c) => n + c.sizeBytes, 0));
    expect(store.ready()).toBe(settings.maxTxs); // every sender's one transaction is at its nonce 0
  });

  it('removing a middle entry turns the later ones queued; refilling makes them ready again', () => {
    const store = createStore(() => undefined);
    const entries = [0n, 1n, 2n].map((n) => toEntry(candidate(1, 100n, 10, n), key, 'local'));
    for (const e of entries) store.add(e);
    expect(store.ready()).toBe(3);
    store.remove(entries[1] as (typeof entries)[number]);
    expect(store.ready()).toBe(1);
    store.add(entries[1] as (typeof entries)[number]);
    expect(store.ready()).toBe(3);
    expect(() => store.add(entries[1] as (typeof entries)[number])).toThrow();
  });
});
