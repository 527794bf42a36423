// When resume points are written and what each write lets the store prune, with real points from
// real validators and a store that records what it is asked.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../core/consensus/certificate.ts';
import type { ValidatorResumePoint } from '../../core/validator/index.ts';
import { createNetwork, makeChain } from '../../core/validator/test/harness.ts';
import { createSnapshotter, type SnapshotWritten } from './_snapshotter.ts';
import type { SnapshotWrite } from './store/index.ts';

const points: ValidatorResumePoint[] = [];
beforeAll(async () => {
  const chain = makeChain(4);
  const net = await createNetwork({ chain, nodes: chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index })), trace: false });
  for (let atMs = 200; atMs <= 1500 && points.length < 4; atMs += 50) {
    await net.run(atMs);
    const point = net.node('v0').validator.resumePoint();
    if (point !== undefined && points.at(-1)?.certificate.checkpoint.sequence !== point.certificate.checkpoint.sequence) points.push(point);
  }
}, 120_000);

function recordingStore(failWrites = false) {
  const calls: string[] = [];
  const written: { sequence: bigint; point: Uint8Array; stateBytes: number }[] = [];
  return {
    calls,
    written,
    store: {
      putSnapshot: async (s: SnapshotWrite) => {
        if (failWrites) throw new Error('disk full');
        let stateBytes = 0;
        for await (const piece of s.state) stateBytes += piece.length;
        written.push({ sequence: s.sequence, point: s.point, stateBytes });
        calls.push(`put ${s.sequence}`);
        return stateBytes;
      },
      pruneCommitsBelow: async (index: bigint) => (calls.push(`commits < ${index}`), 3),
      pruneCertificatesBelow: async (sequence: bigint) => (calls.push(`certificates < ${sequence}`), 2),
    },
  };
}
const at = (point: ValidatorResumePoint): Certificate => point.certificate;
const commitOf = (point: ValidatorResumePoint) => point.certificate.checkpoint.lastCommitIndex;
const sequenceOf = (point: ValidatorResumePoint) => point.certificate.checkpoint.sequence;

describe('the snapshotter', () => {
  it('writes once the interval has passed, prunes nothing after the first point, then below the older of two', async () => {
    expect(points.length).toBeGreaterThanOrEqual(3);
    const [p1, p2, p3] = points as [ValidatorResumePoint, ValidatorResumePoint, ValidatorResumePoint];
    const rec = recordingStore();
    const written: SnapshotWritten[] = [];
    const errors: unknown[] = [];
    const snapshotter = createSnapshotter({ store: rec.store, intervalCommits: 1, keepCertificates: 1, resumedFrom: undefined, nowMs: () => 0, onWritten: (w) => written.push(w), onError: (e) => errors.push(e) });
    snapshotter.certified(at(p1), () => p1);
    await snapshotter.idle();
    expect(rec.calls).toEqual([`put ${sequenceOf(p1)}`]);
    expect(snapshotter.newest()).toEqual({ sequence: sequenceOf(p1), commitIndex: commitOf(p1) });
    // The same point again: nothing new to write.
    snapshotter.certified(at(p2), () => p1);
    await snapshotter.idle();
    expect(rec.calls).toHaveLength(1);
    snapshotter.certified(at(p2), () => p2);
    await snapshotter.idle();
    // Commits up to p1 go (p2 may be unusable: the commits after p1 are its fallback); certificates
    // below p1's successor and below one behind p2, whichever is lower.
    const certificateFloor = sequenceOf(p2) - 1n < sequenceOf(p1) + 1n ? sequenceOf(p2) - 1n : sequenceOf(p1) + 1n;
    expect(rec.calls.slice(1)).toEqual([`put ${sequenceOf(p2)}`, `commits < ${commitOf(p1) + 1n}`, ...(certificateFloor > 1n ? [`certificates < ${certificateFloor}`] : [])]);
    expect(written.at(-1)).toMatchObject({ sequence: sequenceOf(p2), commitIndex: commitOf(p2), prunedCommits: 3 });
    expect(written.at(-1)?.bytes).toBe((rec.written.at(-1)?.point.length ?? 0) + (rec.written.at(-1)?.stateBytes ?? 0));
    expect(rec.written.at(-1)?.stateBytes).toBeGreaterThan(0);
    snapshotter.certified(at(p3), () => p3);
    await snapshotter.idle();
    expect(rec.calls).toContain(`commits < ${commitOf(p2) + 1n}`);
    expect(errors).toEqual([]);
  });

  it('waits for `intervalCommits` past the newest point (the one it resumed from counts); 0 writes none', async () => {
    const [p1, , p3] = points as [ValidatorResumePoint, ValidatorResumePoint, ValidatorResumePoint];
    const gap = Number(commitOf(p3) - commitOf(p1));
    const rec = recordingStore();
    const resumedFrom = { sequence: sequenceOf(p1), commitIndex: commitOf(p1) };
    const far = createSnapshotter({ store: rec.store, intervalCommits: gap + 1, keepCertificates: 0, resumedFrom, nowMs: () => 0, onError: () => undefined });
    far.certified(at(p3), () => p3);
    await far.idle();
    expect(rec.calls).toEqual([]);
    const due = createSnapshotter({ store: rec.store, intervalCommits: gap, keepCertificates: 0, resumedFrom, nowMs: () => 0, onError: () => undefined });
    due.certified(at(p3), () => p3);
    await due.idle();
    // Resumed from p1: the first write already prunes below it; keepCertificates 0 keeps every certificate.
    expect(rec.calls).toEqual([`put ${sequenceOf(p3)}`, `commits < ${commitOf(p1) + 1n}`]);
    const off = createSnapshotter({ store: rec.store, intervalCommits: 0, keepCertificates: 0, resumedFrom: undefined, nowMs: () => 0, onError: () => undefined });
    off.certified(at(p3), () => p3);
    await off.idle();
    expect(rec.calls).toHaveLength(2);
  });

  it('reports a failed write, prunes nothing, and tries again at the next certificate', async () => {
    const [p1] = points as [ValidatorResumePoint];
    const rec = recordingStore(true);
    const errors: unknown[] = [];
    const snapshotter = createSnapshotter({ store: rec.store, intervalCommits: 1, keepCertificates: 0, resumedFrom: undefined, nowMs: () => 0, onError: (e) => errors.push(e) });
    snapshotter.certified(at(p1), () => p1);
    await snapshotter.idle();
    snapshotter.certified(at(p1), () => p1);
    await snapshotter.idle();
    expect(errors.map((e) => (e as Error).message)).toEqual(['disk full', 'disk full']);
    expect(rec.calls).toEqual([]);
    expect(snapshotter.newest()).toBeUndefined();
    expect(() => createSnapshotter({ store: rec.store, intervalCommits: -1, keepCertificates: 0, resumedFrom: undefined, nowMs: () => 0, onError: () => undefined })).toThrow(RangeError);
  });
});
