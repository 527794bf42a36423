import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifySignature } from '../crypto/index.ts';
import { assembleCertificate, createCertificateAggregator } from './certificateAggregator.ts';
import { checkpointHash } from './checkpoint.ts';
import { checkpointSignedMessage, checkpointVoteItem, type CheckpointVote } from './checkpointSign.ts';
import { createCommittee } from './committee.ts';
import { signerIndices } from './signerBitmap.ts';
import { backend, makeValidators, sampleCheckpoint, voteAll } from './test/certificateFixtures.ts';

// Weighted: total 100, quorum floor(200/3)+1 = 67.
const v = makeValidators('cert-aggregator', [40n, 30n, 20n, 10n]);
const checkpoint = sampleCheckpoint();
const votes = await voteAll(v, checkpoint);
const voteOf = (i: number): CheckpointVote => (votes[i] as (typeof votes)[number]).vote;
const stakeOf = (i: number): bigint => v.committee.members[i]?.stake ?? 0n;

describe('certificate aggregator', () => {
  it('exposes the signed message the votes verify against', () => {
    const a = createCertificateAggregator(v.committee, checkpoint);
    expect(a.message).toEqual(checkpointSignedMessage(checkpoint));
    const member = v.committee.members[0];
    if (member === undefined) throw new Error('fixture');
    expect(verifySignature(backend, checkpointVoteItem(a.message, member.key, voteOf(0).signature))).toBe(true);
  });

  it('reaches quorum exactly when the stake crosses the threshold, and not one vote earlier', () => {
    // Members by stake: find the index of each stake (members are sorted by address, not stake).
    const byStake = [10n, 20n, 30n, 40n].map((s) => v.committee.members.findIndex((m) => m.stake === s));
    const a = createCertificateAggregator(v.committee, checkpoint);
    const steps = byStake.map((i) => a.add(i, voteOf(i)));
    // 10, 30, 60: short of 67; 100: reached.
    expect(steps.map((r) => r.ok && r.value.signedStake)).toEqual([10n, 30n, 60n, 100n]);
    expect(steps.map((r) => r.ok && r.value.quorumReached)).toEqual([false, false, false, true]);
    const cert = a.certificate();
    expect(cert && [...signerIndices(cert.signers)]).toEqual([0, 1, 2, 3]);
  });

  it('property: with random stakes and order, quorum is reported iff the distinct stake ≥ the quorum stake', () => {
    // Signatures here are placeholders of the right length: the aggregator never verifies (its caller does).
    const placeholder: CheckpointVote = { sequence: 1n, checkpointHash: checkpointHash(checkpoint), signature: { scheme: 'ml-dsa-44', bytes: new Uint8Array(2420) } };
    const key = { scheme: 'ml-dsa-44' as const, publicKey: new Uint8Array(1312) };
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 1000n }), { minLength: 1, maxLength: 12 }).chain((stakes) =>
          fc.tuple(fc.constant(stakes), fc.array(fc.nat({ max: stakes.length - 1 }), { maxLength: 30 })),
        ),
        ([stakes, order]) => {
          const committee = createCommittee(0n, stakes.map((stake, i) => ({ address: Uint8Array.of(0, i), key, stake })));
          const a = createCertificateAggregator(committee, checkpoint);
          const seen = new Set<number>();
          for (const i of order) {
            const r = a.add(i, placeholder);
            if (!r.ok) throw new Error(r.error.code);
            expect(r.value.added).toBe(!seen.has(i));
            seen.add(i);
            const stake = [...seen].reduce((sum, j) => sum + (committee.members[j]?.stake ?? 0n), 0n);
            expect(r.value.signedStake).toBe(stake);
            expect(r.value.quorumReached).toBe(stake >= committee.quorumStake);
            expect(a.certificate() !== undefined).toBe(stake >= committee.quorumStake);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ignores a second vote of the same member', () => {
    const a = createCertificateAggregator(v.committee, checkpoint);
    expect(a.add(0, voteOf(0))).toEqual({ ok: true, value: { added: true, signedStake: stakeOf(0), quorumReached: false } });
    expect(a.add(0, voteOf(0))).toEqual({ ok: true, value: { added: false, signedStake: stakeOf(0), quorumReached: false } });
  });

  it('refuses votes for another checkpoint, from non-members, with the wrong scheme or length', () => {
    const a = createCertificateAggregator(v.committee, checkpoint);
    expect(voteOf(0).checkpointHash).toEqual(checkpointHash(checkpoint));
    expect(a.add(0, { ...voteOf(0), sequence: 2n })).toEqual({ ok: false, error: { code: 'WRONG_SEQUENCE', expected: 1n, actual: 2n } });
    const otherHash = voteOf(0).checkpointHash.map((b) => b ^ 0xff);
    expect(a.add(0, { ...voteOf(0), checkpointHash: otherHash })).toEqual({ ok: false, error: { code: 'WRONG_CHECKPOINT', memberIndex: 0 } });
    expect(a.add(4, voteOf(0))).toEqual({ ok: false, error: { code: 'UNKNOWN_MEMBER', memberIndex: 4 } });
    expect(a.add(-1, voteOf(0)).ok).toBe(false);
    const hybrid = { sequence: 1n, checkpointHash: checkpointHash(checkpoint), signature: { scheme: 'ml-dsa-44+ed25519' as const, bytes: new Uint8Array(2484) } };
    const mismatch = a.add(1, hybrid);
    expect(mismatch.ok ? 'accepted' : mismatch.error.code).toBe('SCHEME_MISMATCH');
    const short = { sequence: 1n, checkpointHash: checkpointHash(checkpoint), signature: { scheme: 'ml-dsa-44' as const, bytes: new Uint8Array(5) } };
    expect(a.add(1, short)).toEqual({ ok: false, error: { code: 'BAD_SIGNATURE_LENGTH', memberIndex: 1, lengthBytes: 5 } });
    expect(a.signedStake()).toBe(0n);
  });

  it('refuses a committee of another epoch (a bug of the caller)', () => {
    const later = makeValidators('cert-aggregator', [40n, 30n, 20n, 10n], 1n);
    expect(() => createCertificateAggregator(later.committee, checkpoint)).toThrow(RangeError);
  });

  it('assembleCertificate: signatures in signer index order, NO_QUORUM when short', () => {
    const shuffled = [votes[3], votes[1], votes[0], votes[2]].filter((x) => x !== undefined);
    const r = assembleCertificate(v.committee, checkpoint, shuffled);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.signatures.map((s) => s.bytes)).toEqual([0, 1, 2, 3].map((i) => voteOf(i).signature.bytes));
    const low = v.committee.members.filter((m) => m.stake <= 30n).map((m) => m.index);
    const short = assembleCertificate(v.committee, checkpoint, low.map((i) => votes[i]).filter((x) => x !== undefined));
    expect(short).toEqual({ ok: false, error: { code: 'NO_QUORUM', signedStake: 60n, quorumStake: 67n } });
  });
});
