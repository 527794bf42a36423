import { describe, expect, it } from 'vitest';
import type { Certificate } from './certificate.ts';
import { assembleCertificate } from './certificateAggregator.ts';
import { GENESIS_EPOCH, nextCommitteeOf, trustAfter, verifyCertificateChain, type ChainReject } from './certificateChain.ts';
import { verifyCertificate, type CertificateTrust } from './certificateVerify.ts';
import { checkpointHash, type Checkpoint } from './checkpoint.ts';
import { CHAIN, GENESIS_HASH, makeValidators, sampleCheckpoint, verifier, voteAll, type Validators } from './test/certificateFixtures.ts';

// Epoch 0: four validators; epoch 1: five others (different keys, different stakes).
const epoch0 = makeValidators('chain-epoch-0', [10n, 10n, 10n, 10n], 0n);
const epoch1 = makeValidators('chain-epoch-1', [7n, 9n, 11n, 13n, 15n], 1n);
const nextCommittee = epoch1.committee.members.map((m) => ({ address: m.address, key: m.key, stake: m.stake }));

async function certify(v: Validators, checkpoint: Checkpoint): Promise<Certificate> {
  const r = assembleCertificate(v.committee, checkpoint, await voteAll(v, checkpoint));
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

const cp1 = sampleCheckpoint({ sequence: 1n, lastCommitIndex: 5n, previousCheckpointHash: GENESIS_HASH });
const cp2 = sampleCheckpoint({ sequence: 2n, lastCommitIndex: 9n, previousCheckpointHash: checkpointHash(cp1), nextCommittee });
const cp3 = sampleCheckpoint({ epoch: 1n, sequence: 3n, lastCommitIndex: 12n, previousCheckpointHash: checkpointHash(cp2) });
const cert1 = await certify(epoch0, cp1);
const cert2 = await certify(epoch0, cp2);
const cert3 = await certify(epoch1, cp3);

const code = (r: { ok: boolean; error?: ChainReject }): string => (r.ok ? 'ok' : (r.error?.code ?? '?'));

describe('certificate chain and committee ratchet', () => {
  it('a light client walks genesis → epoch 0 → end-of-epoch → epoch 1, trusting only the genesis committee', async () => {
    let trust: CertificateTrust = { chainId: CHAIN, committee: epoch0.committee };
    let previous: Certificate | Uint8Array = GENESIS_HASH;
    for (const cert of [cert1, cert2, cert3]) {
      expect(verifyCertificateChain(previous, cert)).toEqual({ ok: true, value: undefined });
      const r = await verifyCertificate(cert, trust, verifier);
      if (!r.ok) throw new Error(`sequence ${cert.checkpoint.sequence}: ${r.error.code}`);
      trust = trustAfter(trust, cert);
      previous = cert;
    }
    expect(trust.committee.epoch).toBe(1n);
    expect(trust.committee.members.map((m) => m.stake)).toEqual(epoch1.committee.members.map((m) => m.stake));
  });

  it('nextCommitteeOf: the next epoch committee only from an end-of-epoch certificate', () => {
    expect(nextCommitteeOf(cert1)).toBeUndefined();
    const next = nextCommitteeOf(cert2);
    expect(next?.epoch).toBe(1n);
    expect(next?.quorumStake).toBe(epoch1.committee.quorumStake);
    expect(next?.members.map((m) => m.key.publicKey)).toEqual(epoch1.committee.members.map((m) => m.key.publicKey));
    expect(trustAfter({ chainId: CHAIN, committee: epoch0.committee }, cert1).committee).toBe(epoch0.committee);
  });

  it('the old committee cannot certify the new epoch, nor the new one the old epoch', async () => {
    const byOld = { ...cert3, signatures: cert3.signatures.slice(0, 4), signers: cert1.signers };
    const r = await verifyCertificate(byOld, trustAfter({ chainId: CHAIN, committee: epoch0.committee }, cert2), verifier);
    expect(r.ok).toBe(false);
    const r2 = await verifyCertificate(cert3, { chainId: CHAIN, committee: epoch0.committee }, verifier);
    expect(r2.ok ? 'accepted' : r2.error.code).toBe('WRONG_EPOCH');
  });

  it('genesis: the first certificate is sequence 1 of epoch 0 and links to the genesis hash', () => {
    expect(GENESIS_EPOCH).toBe(0n);
    expect(code(verifyCertificateChain(new Uint8Array(32), cert1))).toBe('BROKEN_LINK');
    expect(code(verifyCertificateChain(GENESIS_HASH, cert2))).toBe('BROKEN_LINK');
    const seq2 = { ...cert1, checkpoint: { ...cp1, sequence: 2n } };
    expect(code(verifyCertificateChain(GENESIS_HASH, seq2))).toBe('SEQUENCE_GAP');
    const epoch1First = { ...cert1, checkpoint: { ...cp1, epoch: 1n } };
    expect(code(verifyCertificateChain(GENESIS_HASH, epoch1First))).toBe('EPOCH_MISMATCH');
  });

  it('refuses gaps, broken links, epoch changes without a handover and staying after one', () => {
    const with3 = (over: Partial<Checkpoint>): Certificate => ({ ...cert3, checkpoint: { ...cp3, ...over } });
    const with2 = (over: Partial<Checkpoint>): Certificate => ({ ...cert2, checkpoint: { ...cp2, ...over } });
    expect(code(verifyCertificateChain(cert1, cert3))).toBe('BROKEN_LINK');
    expect(code(verifyCertificateChain(cert2, with3({ sequence: 4n })))).toBe('SEQUENCE_GAP');
    // After an end-of-epoch checkpoint the epoch must advance by exactly one.
    expect(code(verifyCertificateChain(cert2, with3({ epoch: 0n })))).toBe('EPOCH_MISMATCH');
    expect(code(verifyCertificateChain(cert2, with3({ epoch: 2n })))).toBe('EPOCH_MISMATCH');
    // Without one it must not advance.
    expect(code(verifyCertificateChain(cert1, with2({ epoch: 1n })))).toBe('EPOCH_MISMATCH');
    expect(code(verifyCertificateChain(cert1, with2({ lastCommitIndex: 5n })))).toBe('COMMIT_INDEX_NOT_INCREASING');
    expect(code(verifyCertificateChain(cert1, with2({ chainId: 'other' })))).toBe('WRONG_CHAIN');
  });
});
