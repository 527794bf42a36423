import { describe, expect, it } from 'vitest';
import { contextBytes, CONTEXTS } from '../crypto/index.ts';
import { checkEvidence, decodeSlotHeader, encodeSlotHeader, evidenceCodec, slotId, verifyEvidence } from './evidence.ts';
import { alice, backend, bob, equivocation, tagged } from './test/fixtures.ts';

const VERTEX = contextBytes(CONTEXTS.vertex);
const CHECKPOINT = contextBytes(CONTEXTS.checkpoint);

describe('double-signing evidence', () => {
  it('slot header: 16 bytes, big-endian, read back', () => {
    const h = encodeSlotHeader(1n, 258n);
    expect(Buffer.from(h).toString('hex')).toBe('0000000000000001' + '0000000000000102');
    expect(decodeSlotHeader(Uint8Array.from([...h, 9]))).toEqual({ epoch: 1n, roundOrSequence: 258n });
    expect(decodeSlotHeader(new Uint8Array(15))).toBeUndefined();
    expect(() => encodeSlotHeader(-1n, 0n)).toThrow(RangeError);
  });

  it('valid evidence verifies with the offender key; round-trips the codec', async () => {
    const e = await equivocation(alice, [3n, 9n], VERTEX);
    expect(verifyEvidence(e, tagged(alice), backend)).toEqual({ ok: true, value: undefined });
    const bytes = evidenceCodec.encode(e);
    const back = evidenceCodec.decode(bytes);
    expect(back.ok && evidenceCodec.encode(back.value)).toEqual(bytes);
  });

  it('hybrid offender, checkpoint context', async () => {
    const e = await equivocation(bob, [1n, 1n], CHECKPOINT, 'checkpoint');
    expect(verifyEvidence(e, tagged(bob), backend).ok).toBe(true);
  });

  it('rejects each way evidence can be wrong', async () => {
    const e = await equivocation(alice, [3n, 9n], VERTEX);
    const otherSlot = await equivocation(alice, [3n, 10n], VERTEX);
    expect(checkEvidence({ ...e, second: e.first })).toMatchObject({ error: { code: 'SAME_MESSAGE' } });
    expect(checkEvidence({ ...e, second: otherSlot.second })).toMatchObject({ error: { code: 'DIFFERENT_SLOT' } });
    expect(checkEvidence({ ...e, first: { ...e.first, message: new Uint8Array(15) } })).toMatchObject({ error: { code: 'MESSAGE_TOO_SHORT', which: 'first' } });
    expect(checkEvidence({ ...e, second: { ...e.second, message: new Uint8Array(3) } })).toMatchObject({ error: { code: 'MESSAGE_TOO_SHORT', which: 'second' } });
    expect(verifyEvidence(e, tagged(bob), backend)).toMatchObject({ error: { code: 'SCHEME_MISMATCH' } });
    const wrongKey = { scheme: alice.scheme, publicKey: backend.keygen('ml-dsa-44', new Uint8Array(32).fill(9)).publicKey };
    expect(verifyEvidence(e, wrongKey, backend)).toMatchObject({ error: { code: 'BAD_SIGNATURE', which: 'first' } });
    // Signed under the checkpoint context but claimed as vertex evidence: the context is bound.
    const cp = await equivocation(alice, [3n, 9n], CHECKPOINT, 'checkpoint');
    expect(verifyEvidence({ ...cp, context: 'vertex' }, tagged(alice), backend)).toMatchObject({ error: { code: 'BAD_SIGNATURE' } });
    expect(verifyEvidence({ ...e, second: { ...e.second, signature: e.first.signature } }, tagged(alice), backend))
      .toMatchObject({ error: { code: 'BAD_SIGNATURE', which: 'second' } });
  });

  it('slotId names (context, offender, slot): equal for two pairs in one slot, different otherwise', async () => {
    const e = await equivocation(alice, [3n, 9n], VERTEX);
    const sameSlotOtherPair = { ...e, second: { ...e.first }, first: e.second };
    expect(slotId(sameSlotOtherPair)).toEqual(slotId(e));
    expect(slotId({ ...e, context: 'checkpoint' })).not.toEqual(slotId(e));
    expect(slotId(await equivocation(alice, [3n, 10n], VERTEX))).not.toEqual(slotId(e));
  });
});
