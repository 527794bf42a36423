// Resume points through a real LevelDB store: a point taken from real validators (real ML-DSA
// certificates) is written, read back and checked; a corrupt, forged or unanchored newest point
// is skipped for the one before it, never trusted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCertificate } from '../../core/consensus/certificate.ts';
import { isEndOfEpoch } from '../../core/consensus/checkpoint.ts';
import { toHex } from '../../core/crypto/index.ts';
import type { ValidatorResumePoint } from '../../core/validator/index.ts';
import type { Chain, Node } from '../../core/validator/test/harness.ts';
import { loadResumePoint, snapshotWriteOf, type ResumeTrust } from './resumePoints.ts';
import { closeStores, freshStore, takeResumePoints } from './testing/resumePointsFixture.ts';

afterAll(closeStores);

/** Points v1 held along a run of 4 validators across epoch changes (epochs of 2 checkpoints), oldest first. */
let chain: Chain;
let v1: Node;
let points: readonly ValidatorResumePoint[] = [];
let trust: ResumeTrust;

beforeAll(async () => {
  ({ chain, v1, points, trust } = await takeResumePoints());
}, 120_000);

const skippedLog = () => {
  const lines: string[] = [];
  return { lines, onSkipped: (sequence: bigint, reason: string) => lines.push(`${sequence}: ${reason}`) };
};
const epoch0 = () => points.find((p) => p.certificate.checkpoint.epoch === 0n && !isEndOfEpoch(p.certificate.checkpoint)) as ValidatorResumePoint;
const laterEpoch = () => points.find((p) => p.certificate.checkpoint.epoch >= 1n && !isEndOfEpoch(p.certificate.checkpoint)) as ValidatorResumePoint;

describe('resume points on disk', () => {
  it('a point written is read back whole: same record, same state root, the committee of its epoch', async () => {
    const point = epoch0();
    expect(point).toBeDefined();
    const store = await freshStore();
    await store.putSnapshot(snapshotWriteOf(point));
    const log = skippedLog();
    const loaded = await loadResumePoint(store, trust, log.onSkipped);
    expect(log.lines).toEqual([]);
    expect(loaded?.point.certificate.checkpoint).toEqual(point.certificate.checkpoint);
    expect(toHex(loaded?.point.ledger.tree.root() ?? new Uint8Array())).toBe(toHex(point.ledger.tree.root()));
    expect(loaded?.point.committedRefs).toEqual(point.committedRefs);
    expect(loaded?.committee).toBe(chain.committee);
  });

  it('a newest point whose state does not rebuild its certified root, or whose certificate is forged, gives way to the one before', async () => {
    const older = epoch0();
    const newer = points.find((p) => p.certificate.checkpoint.sequence > older.certificate.checkpoint.sequence && p.certificate.checkpoint.epoch === 0n) ?? older;
    expect(newer.certificate.checkpoint.sequence).toBeGreaterThan(older.certificate.checkpoint.sequence);
    const store = await freshStore();
    await store.putSnapshot(snapshotWriteOf(older));
    // Small pieces, the last one with its last byte flipped.
    const pieces: Uint8Array[] = [];
    for await (const piece of snapshotWriteOf(newer, 4096).state) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(1);
    const last = (pieces.at(-1) as Uint8Array).slice();
    last[last.length - 1] = (last[last.length - 1] ?? 0) ^ 0x01;
    async function* tampered(): AsyncGenerator<Uint8Array> {
      yield* pieces.slice(0, -1);
      yield last;
    }
    await store.putSnapshot({ ...snapshotWriteOf(newer), state: tampered() });
    let log = skippedLog();
    let loaded = await loadResumePoint(store, trust, log.onSkipped);
    expect(loaded?.point.certificate.checkpoint.sequence).toBe(older.certificate.checkpoint.sequence);
    expect(log.lines).toEqual([`${newer.certificate.checkpoint.sequence}: its state snapshot is refused (ROOT_MISMATCH)`]);

    // Signatures that do not sign the checkpoint: the certificate is refused before the state is read.
    const forged = { ...newer, certificate: { ...newer.certificate, signatures: newer.certificate.signatures.map((s) => ({ ...s, bytes: s.bytes.map((b, i) => (i === 7 ? b ^ 0xff : b)) })) } };
    await store.putSnapshot(snapshotWriteOf(forged));
    log = skippedLog();
    loaded = await loadResumePoint(store, trust, log.onSkipped);
    expect(loaded?.point.certificate.checkpoint.sequence).toBe(older.certificate.checkpoint.sequence);
    expect(log.lines[0]).toMatch(/its certificate does not verify \(BAD_SIGNATURES\)/);

    // Bytes that are not a point at all.
    await store.putSnapshot({ ...snapshotWriteOf(newer), point: Uint8Array.of(1, 2, 3) });
    log = skippedLog();
    loaded = await loadResumePoint(store, trust, log.onSkipped);
    expect(loaded?.point.certificate.checkpoint.sequence).toBe(older.certificate.checkpoint.sequence);
    expect(log.lines[0]).toMatch(/the point does not decode/);
  });

  it('a point of a later epoch needs the stored end-of-epoch certificate that hands that epoch over', async () => {
    const point = laterEpoch();
    expect(point).toBeDefined();
    const { epoch } = point.certificate.checkpoint;
    const store = await freshStore();
    await store.putSnapshot(snapshotWriteOf(point));
    const log = skippedLog();
    expect(await loadResumePoint(store, trust, log.onSkipped)).toBeUndefined();
    expect(log.lines).toEqual([`${point.certificate.checkpoint.sequence}: no stored end-of-epoch certificate hands over epoch ${epoch}`]);
    const handOver = v1.certified.find((c) => c.checkpoint.epoch === epoch - 1n && isEndOfEpoch(c.checkpoint));
    if (handOver === undefined) throw new Error('v1 holds no end-of-epoch certificate');
    await store.putCertificate(handOver, encodeCertificate(handOver));
    const loaded = await loadResumePoint(store, trust, () => undefined);
    expect(loaded?.committee.epoch).toBe(epoch);
    expect(loaded?.committee.members.map((m) => toHex(m.address))).toEqual(v1.epochs.find((c) => c.epoch === epoch)?.members.map((m) => toHex(m.address)));
  });

  it('an epoch\'s last checkpoint resumes in the next epoch, with the committee its certificate hands over', async () => {
    const point = points.find((p) => isEndOfEpoch(p.certificate.checkpoint) && p.certificate.checkpoint.epoch === 0n);
    if (point === undefined) throw new Error('no end-of-epoch point was taken');
    const store = await freshStore();
    await store.putSnapshot(snapshotWriteOf(point));
    const loaded = await loadResumePoint(store, trust, () => undefined);
    expect(loaded?.committee.epoch).toBe(1n);
  });
});
