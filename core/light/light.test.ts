// The light client against real certificates (test/fixture.ts: a 4-validator run with two
// committee changes): trust roots, the ratchet over three epochs, the newest certificate, and
// each way a certificate is refused, with its own reason.
import { beforeAll, describe, expect, it } from 'vitest';
import { nextCommitteeOf, signCheckpoint, signerBitmapOf, signerIndices, type Certificate, type Checkpoint, type Committee } from '../consensus/index.ts';
import { toHex, type KeyPair } from '../crypto/index.ts';
import { keyPairFromLabel } from '../state/index.ts';
import { noble } from '../validator/test/harness.ts';
import { acceptCheckpoint } from './acceptCheckpoint.ts';
import { advanceEpoch, syncEpochs, type SyncProgress } from './advanceEpoch.ts';
import { committeeHash } from './committeeCodec.ts';
import { sameCertifiedCheckpoint, withServingPeer } from './receipt.ts';
import type { CheckpointReject } from './rejects.ts';
import { runFixture, signerOf, type Fixture } from './test/fixture.ts';
import { pinWarnings, trustCheckpoint, trustGenesis } from './trustRoot.ts';
import type { LightState } from './types.ts';

let f: Fixture;
beforeAll(async () => {
  f = await runFixture();
}, 60_000);

const cert = (sequence: number): Certificate => {
  const found = f.certificates.find((c) => c.checkpoint.sequence === BigInt(sequence));
  if (found === undefined) throw new Error(`the run certified no sequence ${sequence}`);
  return found;
};
const reject = async (state: LightState, certificate: Certificate): Promise<CheckpointReject> => {
  const r = await acceptCheckpoint(state, certificate, f.pool);
  if (r.ok) throw new Error('accepted a certificate that should be refused');
  return r.error;
};
/** `checkpoint` signed by the genesis committee members at `members` (real keys, real signatures). */
async function signedByGenesis(checkpoint: Checkpoint, members: readonly number[]): Promise<Certificate> {
  const signatures = [];
  for (const m of members) signatures.push((await signCheckpoint(signerOf(f.chain.validatorKeys[m] as KeyPair), checkpoint)).signature);
  return { checkpoint, signers: signerBitmapOf(4, members), signatures };
}

describe('the run gives what the tests need', () => {
  it('three handovers and regular certificates between them', () => {
    expect(f.endOfEpoch.map((c) => c.checkpoint.epoch)).toEqual([0n, 1n, 2n]);
    expect(f.certificates.length).toBeGreaterThanOrEqual(7);
  });
});

describe('trust roots', () => {
  it('the genesis: epoch 0, its validator set, no head yet', () => {
    const state = trustGenesis(f.chain.genesis);
    expect(state.committee.epoch).toBe(0n);
    expect(state.committee.members.map((m) => toHex(m.address))).toEqual(f.chain.committee.members.map((m) => toHex(m.address)));
    expect(state.head).toBeUndefined();
    expect(state.root.kind === 'genesis' && toHex(state.root.genesisHash)).toBe(toHex(f.chain.genesisHash));
    expect(Object.isFrozen(state)).toBe(true);
  });

  it('an old pin is a warning value, a fresh one none', () => {
    const day = 86_400_000;
    expect(pinWarnings(0, { nowMs: 15 * day })).toEqual([{ code: 'PIN_OLD', ageMs: 15 * day, maxAgeMs: 14 * day }]);
    expect(pinWarnings(0, { nowMs: day })).toEqual([]);
    expect(pinWarnings(0, { nowMs: 3 * day, maxPinAgeMs: day })[0]?.code).toBe('PIN_OLD');
    expect(pinWarnings(2 * day, { nowMs: day })).toEqual([{ code: 'PIN_IN_FUTURE', aheadMs: day }]);
    expect(() => pinWarnings(0, { nowMs: Number.NaN })).toThrow(RangeError);
  });

  it('a pinned end-of-epoch checkpoint: verified, then the committee it hands over is trusted', async () => {
    const pinned = await trustCheckpoint({ certificate: cert(2), committee: f.chain.committee, pinnedAtMs: 1_000 }, f.pool, { nowMs: 2_000 });
    if (!pinned.ok) throw new Error(pinned.error.code);
    expect(pinned.value.warnings).toEqual([]);
    expect(pinned.value.state.committee.epoch).toBe(1n);
    expect(pinned.value.state.head?.checkpoint.sequence).toBe(2n);
    const old = await trustCheckpoint({ certificate: cert(2), committee: f.chain.committee, pinnedAtMs: 0 }, f.pool, { nowMs: 10 ** 10 });
    expect(old.ok && old.value.warnings.map((w) => w.code)).toEqual(['PIN_OLD']);
    // From the pin the client goes on: epoch 1's certificates verify against the handed-over committee.
    const next = await acceptCheckpoint(pinned.value.state, cert(3), f.pool);
    expect(next.ok).toBe(true);
  });

  it('a pin with the wrong committee is refused', async () => {
    const epoch1 = nextCommitteeOf(cert(2));
    if (epoch1 === undefined) throw new Error('no handover');
    const wrongEpoch = await trustCheckpoint({ certificate: cert(1), committee: epoch1, pinnedAtMs: 0 }, f.pool, { nowMs: 0 });
    expect(!wrongEpoch.ok && wrongEpoch.error.code).toBe('COMMITTEE_EPOCH_MISMATCH');
    // Epoch 1's members relabelled as epoch 0: same size, other keys — the signatures tell.
    const impostor = { ...epoch1, epoch: 0n };
    const wrongKeys = await trustCheckpoint({ certificate: cert(1), committee: impostor, pinnedAtMs: 0 }, f.pool, { nowMs: 0 });
    expect(!wrongKeys.ok && wrongKeys.error.code).toBe('PIN_CERTIFICATE_INVALID');
  });
});

describe('the ratchet', () => {
  it('syncs three epochs from the genesis with progress, then accepts the newest certificate', async () => {
    const progress: SyncProgress[] = [];
    const synced = await syncEpochs(trustGenesis(f.chain.genesis), f.endOfEpoch, f.pool, (p) => progress.push(p));
    expect(synced.failure).toBeUndefined();
    expect(synced.applied).toBe(3);
    expect(progress.map((p) => [p.done, p.total, p.epoch])).toEqual([[1, 3, 1n], [2, 3, 2n], [3, 3, 3n]]);
    const { state } = synced;
    expect(state.committee.epoch).toBe(3n);
    expect(toHex(committeeHash(state.committee))).toBe(toHex(committeeHash(nextCommitteeOf(f.endOfEpoch[2] as Certificate) as Committee)));
    expect(state.epochChain.map((l) => [l.epoch, l.sequence])).toEqual([[0n, 2n], [1n, 4n], [2n, 6n]]);
    // The joiner took a seat and the leaver left at the first handover.
    expect(state.committee.members.map((m) => toHex(m.address))).not.toEqual(f.chain.committee.members.map((m) => toHex(m.address)));

    const newest = await acceptCheckpoint(state, cert(7), f.pool, ['peer-a']);
    if (!newest.ok) throw new Error(newest.error.code);
    expect(newest.value.state.head?.checkpoint.sequence).toBe(7n);
    expect(newest.value.receipt).toMatchObject({ sequence: 7n, epoch: 3n, proofChecked: 'certificate', servedBy: ['peer-a'] });
    expect(Object.keys(newest.value.state)).not.toContain('signatures');
    expect(JSON.stringify(newest.value.state, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('"signatures"');

    // A second copy of the same certificate is answered from the cache: same state, no signature checked.
    const again = await acceptCheckpoint(newest.value.state, cert(7), f.pool, ['peer-b']);
    expect(again.ok && again.value.state).toBe(newest.value.state);
    expect(again.ok && again.value.receipt.proofChecked).toBe('certificate-cached');
    expect(again.ok && sameCertifiedCheckpoint(again.value.receipt, newest.value.receipt)).toBe(true);
    expect(withServingPeer(withServingPeer(newest.value.receipt, 'peer-b'), 'peer-a').servedBy).toEqual(['peer-a', 'peer-b']);
  });

  it('walks every certificate one by one from the genesis (full hash links)', async () => {
    let state = trustGenesis(f.chain.genesis);
    for (const c of f.certificates) {
      const next = await acceptCheckpoint(state, c, f.pool);
      if (!next.ok) throw new Error(`sequence ${c.checkpoint.sequence}: ${next.error.code}`);
      state = next.value.state;
    }
    expect(state.head?.checkpoint.sequence).toBe(7n);
    expect(state.epochChain.length).toBe(3);
  });

  it('advanceEpoch wants an end-of-epoch certificate of the trusted epoch; syncEpochs keeps the progress made', async () => {
    const genesis = trustGenesis(f.chain.genesis);
    const regular = await advanceEpoch(genesis, cert(1), f.pool);
    expect(!regular.ok && regular.error.code).toBe('NOT_END_OF_EPOCH');
    const skipping = await syncEpochs(genesis, [f.endOfEpoch[0] as Certificate, f.endOfEpoch[2] as Certificate], f.pool);
    expect(skipping.applied).toBe(1);
    expect(skipping.failure?.index).toBe(1);
    expect(skipping.failure?.reason).toMatchObject({ code: 'WRONG_EPOCH', committeeEpoch: 1n, checkpointEpoch: 2n });
    expect(skipping.state.committee.epoch).toBe(1n);
  });
});

describe('each refusal has its own reason', () => {
  it('forged signatures: BAD_SIGNATURES, naming the bad signer', async () => {
    const real = cert(1);
    const last = real.signatures.length - 1;
    const bytes = real.signatures[last]?.bytes.slice() as Uint8Array;
    bytes[100] = (bytes[100] as number) ^ 0x01;
    const forged: Certificate = { ...real, signatures: real.signatures.map((s, i) => (i === last ? { ...s, bytes } : s)) };
    const r = await reject(trustGenesis(f.chain.genesis), forged);
    expect(r.code).toBe('BAD_SIGNATURES');
    if (r.code !== 'BAD_SIGNATURES') return;
    expect(r.validStake).toBeGreaterThan(0n);
    expect(r.invalidSigners).toEqual([[...signerIndices(real.signers)][last]]);
  });

  it('a signer set below quorum: INSUFFICIENT_STAKE, before any signature is checked', async () => {
    const real = cert(1);
    const members = [...signerIndices(real.signers)].slice(0, 2);
    const short: Certificate = { ...real, signers: signerBitmapOf(4, members), signatures: real.signatures.slice(0, 2) };
    expect(await reject(trustGenesis(f.chain.genesis), short)).toMatchObject({ code: 'INSUFFICIENT_STAKE' });
  });

  it('a wrong epoch: WRONG_EPOCH (epoch 1 while epoch 0 is trusted)', async () => {
    expect(await reject(trustGenesis(f.chain.genesis), cert(3))).toMatchObject({ code: 'WRONG_EPOCH', committeeEpoch: 0n, checkpointEpoch: 1n });
  });

  it('a wrong validator set: WRONG_VALIDATOR_SET (the checkpoint signed by four other keys)', async () => {
    const checkpoint = cert(1).checkpoint;
    const signatures = [];
    for (let i = 0; i < 4; i++) signatures.push((await signCheckpoint(signerOf(keyPairFromLabel(noble, 'ml-dsa-44', `light-impostor-${i}`)), checkpoint)).signature);
    const foreign: Certificate = { checkpoint, signers: signerBitmapOf(4, [0, 1, 2, 3]), signatures };
    expect(await reject(trustGenesis(f.chain.genesis), foreign)).toMatchObject({ code: 'WRONG_VALIDATOR_SET', committeeEpoch: 0n });
  });

  it('a stale checkpoint: STALE_CHECKPOINT (sequence 5 after head 6)', async () => {
    const synced = await syncEpochs(trustGenesis(f.chain.genesis), f.endOfEpoch, f.pool);
    expect(await reject(synced.state, cert(5))).toMatchObject({ code: 'STALE_CHECKPOINT', sequence: 5n, headSequence: 6n, conflictsWithHead: false });
  });

  it('a broken chain: BROKEN_CHAIN, even when a quorum really signed it', async () => {
    const first = await acceptCheckpoint(trustGenesis(f.chain.genesis), cert(1), f.pool);
    if (!first.ok) throw new Error(first.error.code);
    const unlinked = await signedByGenesis({ ...cert(2).checkpoint, nextCommittee: undefined, previousCheckpointHash: new Uint8Array(32) }, [0, 1, 2]);
    expect(await reject(first.value.state, unlinked)).toMatchObject({ code: 'BROKEN_CHAIN', reason: { code: 'BROKEN_LINK' } });
    const backwards = await signedByGenesis({ ...cert(1).checkpoint, sequence: 3n, lastCommitIndex: 1n }, [0, 1, 2]);
    expect(await reject(first.value.state, backwards)).toMatchObject({ code: 'BROKEN_CHAIN', reason: { code: 'COMMIT_INDEX_NOT_INCREASING' } });
  });

  it('another chain: WRONG_CHAIN, and a malformed checkpoint: MALFORMED_CHECKPOINT', async () => {
    const genesis = trustGenesis(f.chain.genesis);
    const real = cert(1);
    expect(await reject(genesis, { ...real, checkpoint: { ...real.checkpoint, chainId: 'other-chain' } })).toMatchObject({ code: 'WRONG_CHAIN' });
    expect(await reject({ ...genesis, chainId: '' }, { ...real, checkpoint: { ...real.checkpoint, chainId: '' } })).toMatchObject({ code: 'MALFORMED_CHECKPOINT' });
  });
});
