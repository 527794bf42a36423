import { describe, expect, it } from 'vitest';
import type { QuorumOutcome, Signature } from '../crypto/index.ts';
import { assembleCertificate } from './certificateAggregator.ts';
import type { Certificate } from './certificate.ts';
import { verifyCertificate, type CertificateTrust, type CertReject, type QuorumVerifier } from './certificateVerify.ts';
import { checkpointHash } from './checkpoint.ts';
import { signerBitmapOf } from './signerBitmap.ts';
import { CHAIN, makeValidators, sampleCheckpoint, verifier, voteAll, type Validators } from './test/certificateFixtures.ts';

// Keys are generated once per file; every signature below is a real deterministic ML-DSA-44 one.
const four = makeValidators('cert-verify-4', [10n, 10n, 10n, 10n]);
const ten = makeValidators('cert-verify-10', [5n, 10n, 15n, 20n, 25n, 30n, 35n, 40n, 45n, 50n]);
const checkpoint = sampleCheckpoint();

async function certify(v: Validators, indices?: readonly number[]): Promise<Certificate> {
  const r = assembleCertificate(v.committee, checkpoint, await voteAll(v, checkpoint, indices));
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

const trustOf = (v: Validators): CertificateTrust => ({ chainId: CHAIN, committee: v.committee });
const forged = (s: Signature): Signature => {
  const bytes = s.bytes.slice();
  bytes[100] = (bytes[100] as number) ^ 1;
  return { scheme: s.scheme, bytes };
};

async function rejectCode(cert: Certificate, trust: CertificateTrust, using: QuorumVerifier = verifier): Promise<CertReject['code']> {
  const r = await verifyCertificate(cert, trust, using);
  if (r.ok) throw new Error('certificate was accepted');
  return r.error.code;
}

describe('verifyCertificate: real ML-DSA-44 certificates', () => {
  it('accepts a 4-validator certificate signed by a quorum (3 of 4)', async () => {
    const cert = await certify(four, [0, 1, 3]);
    const r = await verifyCertificate(cert, trustOf(four), verifier);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.checkpointHash).toEqual(checkpointHash(checkpoint));
    expect(r.value.validStake).toBe(30n);
    expect(r.value.invalidSigners).toEqual([]);
  });

  it('accepts a 10-validator certificate with weighted stakes', async () => {
    const all = await certify(ten);
    const r = await verifyCertificate(all, trustOf(ten), verifier);
    expect(r.ok && r.value.validStake >= ten.committee.quorumStake).toBe(true);
    // The heaviest members alone: 50+45+40+35+30+25 = 225 > 2/3 of 275 (quorum 184).
    const heavy = ten.committee.members.filter((m) => m.stake >= 25n).map((m) => m.index);
    expect((await verifyCertificate(await certify(ten, heavy), trustOf(ten), verifier)).ok).toBe(true);
  });

  it('tolerates an invalid signature when the valid ones still make a quorum (the documented rule)', async () => {
    const cert = await certify(four);
    const signatures = cert.signatures.map((s, i) => (i === 3 ? forged(s) : s));
    const r = await verifyCertificate({ ...cert, signatures }, trustOf(four), verifier);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.validStake).toBeGreaterThanOrEqual(four.committee.quorumStake);
    // Whether the bad one was looked at depends on when the quorum was reached; if it was, it is named.
    expect(r.value.invalidSigners.every((i) => i === 3)).toBe(true);
  });

  it('asks the verifier for exactly one job per signer, weighted by stake, threshold = quorum', async () => {
    const cert = await certify(ten, [1, 4, 5, 6, 7, 8, 9]);
    let seen: { items: number; weights: readonly bigint[]; threshold: bigint } | undefined;
    const spy: QuorumVerifier = {
      verifyUntilQuorum: <W extends number | bigint>(items: readonly unknown[], weights: readonly W[], threshold: W): Promise<QuorumOutcome<W>> => {
        seen = { items: items.length, weights: weights as readonly bigint[], threshold: threshold as bigint };
        return verifier.verifyUntilQuorum(items as Parameters<QuorumVerifier['verifyUntilQuorum']>[0], weights, threshold);
      },
    };
    expect((await verifyCertificate(cert, trustOf(ten), spy)).ok).toBe(true);
    expect(seen).toEqual({ items: 7, weights: [1, 4, 5, 6, 7, 8, 9].map((i) => ten.committee.members[i]?.stake), threshold: ten.committee.quorumStake });
  });
});

describe('verifyCertificate: every reject is reachable', () => {
  it('WRONG_CHAIN', async () => {
    expect(await rejectCode(await certify(four, [0, 1, 2]), { chainId: 'other-chain', committee: four.committee })).toBe('WRONG_CHAIN');
  });

  it('WRONG_EPOCH: a committee of another epoch', async () => {
    const cert = await certify(four, [0, 1, 2]);
    const nextEpoch = makeValidators('cert-verify-4', [10n, 10n, 10n, 10n], 1n);
    expect(await rejectCode(cert, trustOf(nextEpoch))).toBe('WRONG_EPOCH');
  });

  it('BITMAP_SIZE_MISMATCH and NON_CANONICAL_BITMAP', async () => {
    const cert = await certify(four, [0, 1, 2]);
    expect(await rejectCode({ ...cert, signers: signerBitmapOf(5, [0, 1, 2]) }, trustOf(four))).toBe('BITMAP_SIZE_MISMATCH');
    const padded = { memberCount: 4, bytes: Uint8Array.of(0b1000_0111) };
    expect(await rejectCode({ ...cert, signers: padded }, trustOf(four))).toBe('NON_CANONICAL_BITMAP');
    const long = { memberCount: 4, bytes: Uint8Array.of(0b0111, 0) };
    expect(await rejectCode({ ...cert, signers: long }, trustOf(four))).toBe('NON_CANONICAL_BITMAP');
  });

  it('SIGNATURE_COUNT_MISMATCH', async () => {
    const cert = await certify(four, [0, 1, 2]);
    expect(await rejectCode({ ...cert, signatures: cert.signatures.slice(0, 2) }, trustOf(four))).toBe('SIGNATURE_COUNT_MISMATCH');
  });

  it('INSUFFICIENT_STAKE: signers short of a quorum, checked before any signature', async () => {
    const votes = await voteAll(four, checkpoint, [0, 1]);
    const cert: Certificate = { checkpoint, signers: signerBitmapOf(4, [0, 1]), signatures: votes.map((v) => v.vote.signature) };
    const never: QuorumVerifier = {
      verifyUntilQuorum: () => {
        throw new Error('signatures must not be checked when the stake is short');
      },
    };
    expect(await rejectCode(cert, trustOf(four), never)).toBe('INSUFFICIENT_STAKE');
  });

  it('SCHEME_MISMATCH and BAD_SIGNATURE_LENGTH', async () => {
    const cert = await certify(four, [0, 1, 2]);
    const hybrid: Signature = { scheme: 'ml-dsa-44+ed25519', bytes: new Uint8Array(2484) };
    expect(await rejectCode({ ...cert, signatures: [cert.signatures[0] as Signature, hybrid, cert.signatures[2] as Signature] }, trustOf(four))).toBe(
      'SCHEME_MISMATCH',
    );
    const short: Signature = { scheme: 'ml-dsa-44', bytes: new Uint8Array(10) };
    expect(await rejectCode({ ...cert, signatures: [short, ...cert.signatures.slice(1)] }, trustOf(four))).toBe('BAD_SIGNATURE_LENGTH');
  });

  it('MALFORMED_CHECKPOINT: an in-memory checkpoint without a canonical encoding', async () => {
    const cert = await certify(four, [0, 1, 2]);
    expect(await rejectCode({ ...cert, checkpoint: { ...checkpoint, stateRoot: new Uint8Array(31) } }, trustOf(four))).toBe('MALFORMED_CHECKPOINT');
  });

  it('BAD_SIGNATURES: a forged signature leaves the valid stake short of a quorum', async () => {
    const cert = await certify(four, [0, 1, 2]);
    const signatures = cert.signatures.map((s, i) => (i === 1 ? forged(s) : s));
    const r = await verifyCertificate({ ...cert, signatures }, trustOf(four), verifier);
    if (r.ok || r.error.code !== 'BAD_SIGNATURES') throw new Error('expected BAD_SIGNATURES');
    expect(r.error.invalidSigners).toEqual([1]);
    expect(r.error.quorumStake).toBe(27n);
    // Verification stopped once 27 was out of reach: after member 1, at most member 0's 10 had verified.
    expect(r.error.validStake).toBeLessThanOrEqual(10n);
  });

  it('BAD_SIGNATURES: valid signatures on a different checkpoint', async () => {
    const cert = await certify(four, [0, 1, 2]);
    const swapped = { ...cert, checkpoint: sampleCheckpoint({ lastCommitIndex: 999n }) };
    expect(await rejectCode(swapped, trustOf(four))).toBe('BAD_SIGNATURES');
  });
});
