import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signedTxCodec, txCodec, txId, encodeTx, signedTxHash, TX_KIND_TAGS } from './txCodec.ts';
import { decodeSignedTx } from './txDecode.ts';
import { arbSignedTx, arbTx, params, transferBody, tx, fakeSignature } from './test/fixtures.ts';
import { maxEvidenceTxBytes } from './txLimits.ts';
import { DEFAULT_PARAMS } from './params.ts';

const loose = { chainId: 'unused', maxTxBytes: 1 << 20 };

describe('transaction codec', () => {
  it('round-trips every well-formed signed transaction, frozen', () => {
    fc.assert(
      fc.property(arbSignedTx, (s) => {
        const bytes = signedTxCodec.encode(s);
        const back = signedTxCodec.decode(bytes);
        expect(back.ok).toBe(true);
        if (!back.ok) return;
        expect(Object.isFrozen(back.value)).toBe(true);
        expect(Object.isFrozen(back.value.tx.body)).toBe(true);
        expect(signedTxCodec.encode(back.value)).toEqual(bytes);
      }),
      { numRuns: 150 },
    );
  });

  it('decodeSignedTx never throws on random bytes, and re-encodes whatever it accepts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const r = decodeSignedTx(bytes, loose);
        if (r.ok) expect(signedTxCodec.encode(r.value)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodeSignedTx never throws on mutated valid encodings; accepted ones re-encode identically', () => {
    const mutation = fc.record({
      s: arbSignedTx,
      edits: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(mutation, ({ s, edits, cut }) => {
        let bytes = signedTxCodec.encode(s);
        for (const e of edits) bytes[e.at % bytes.length] = e.byte;
        if (cut !== undefined) bytes = bytes.slice(0, cut % (bytes.length + 1));
        const r = decodeSignedTx(bytes, { chainId: s.tx.chainId, maxTxBytes: 1 << 20 });
        if (r.ok) expect(signedTxCodec.encode(r.value)).toEqual(bytes);
        else expect(typeof r.error.code).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('pins the unsigned layout of a transfer (hand-checked bytes)', () => {
    const to = Uint8Array.from([0, ...new Uint8Array(32).fill(0x22)]);
    const sender = Uint8Array.from([0, ...new Uint8Array(32).fill(0x11)]);
    const hex = Buffer.from(encodeTx({ chainId: 'ab', sender, nonce: 1n, fee: 258n, body: transferBody(3n, to) })).toString('hex');
    expect(hex).toBe(
      '026162' + // chainId "ab"
        '00' + '11'.repeat(32) + // sender
        '0000000000000001' + // nonce u64
        '0000000000000102' + // fee u64 = 258
        '00' + // transfer tag
        '00' + '22'.repeat(32) + // to
        '0000000000000003', // amount
    );
    expect(TX_KIND_TAGS).toEqual({ transfer: 0, bond: 1, unbond: 2, 'rotate-key': 3, evidence: 4 });
  });

  it('ids cover the unsigned transaction only; signedTxHash covers the signature', () => {
    const t = tx(transferBody());
    const a = signedTxCodec.encode({ tx: t, signature: fakeSignature('ml-dsa-44', 1) });
    const b = signedTxCodec.encode({ tx: t, signature: fakeSignature('ml-dsa-44', 2) });
    const da = signedTxCodec.decode(a);
    const db = signedTxCodec.decode(b);
    expect(da.ok && db.ok && txId(da.value.tx)).toEqual(db.ok && txId(db.value.tx));
    expect(signedTxHash(a)).not.toEqual(signedTxHash(b));
    expect(txId(t)).not.toEqual(txId({ ...t, nonce: 1n }));
    expect(txId(t)).toHaveLength(32);
  });

  it('the largest possible evidence transaction fits the default max_tx_bytes', () => {
    expect(maxEvidenceTxBytes()).toBeGreaterThan(3 * 17_088);
    expect(maxEvidenceTxBytes()).toBeLessThanOrEqual(DEFAULT_PARAMS.maxTxBytes);
  });

  it('txCodec refuses to encode invalid values (a caller bug)', () => {
    expect(() => txCodec.encode({ ...tx(transferBody()), chainId: '' })).toThrow(RangeError);
    expect(() => txCodec.encode({ ...tx(transferBody()), sender: new Uint8Array(33).fill(1) })).toThrow(/address version/);
    expect(params.chainId).toBe('kaldrix-test');
  });

  it('arbitrary unsigned transactions round-trip', () => {
    fc.assert(fc.property(arbTx, (t) => {
      const r = txCodec.decode(txCodec.encode(t));
      expect(r.ok && txCodec.encode(r.value)).toEqual(txCodec.encode(t));
    }), { numRuns: 100 });
  });
});
