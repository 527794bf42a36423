/**
 * Taking resume points as the chain grows, and pruning what they make redundant.
 *
 * When a certificate lands at least `intervalCommits` past the newest resume point, the
 * validator's latest resume point (a certified checkpoint it executed, with the ledger right
 * after it) is written to the store (resumePoints.ts), one at a time, off the validator's event
 * queue. After a write, what only a restart from genesis or from an older point could need
 * goes: commits at or below the OLDER of the two points the store keeps (the newer one may turn
 * out unusable; the commits after the older one are its fallback), and certificates below both
 * that point and `keepCertificates` behind the newest (end-of-epoch ones are always kept: light
 * clients ratchet through them). Peers are not affected: catch-up ranges are served from the
 * validator's in-memory commit log, never from these stored commits.
 */
import type { Certificate } from '../../core/consensus/certificate.ts';
import type { ValidatorResumePoint } from '../../core/validator/index.ts';
import { snapshotWriteOf } from './resumePoints.ts';
import type { LevelPeerStore } from './store/index.ts';

/** Where a resume point stands in the chain. */
export type PointPosition = { readonly sequence: bigint; readonly commitIndex: bigint };

export type SnapshotWritten = PointPosition & {
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly prunedCommits: number;
  readonly prunedCertificates: number;
};

export type SnapshotterInit = {
  readonly store: Pick<LevelPeerStore, 'putSnapshot' | 'pruneCommitsBelow' | 'pruneCertificatesBelow'>;
  /** Commits between points; 0: never write one. */
  readonly intervalCommits: number;
  /** Certificates kept below the newest point; 0: all. */
  readonly keepCertificates: number;
  /** The point the validator started from, if any (the store holds it). */
  readonly resumedFrom: PointPosition | undefined;
  readonly nowMs: () => number;
  readonly onWritten?: (written: SnapshotWritten) => void;
  /** A write or a prune failed (the disk): the node keeps running, the next certificate tries again. */
  readonly onError: (error: unknown) => void;
};

export type Snapshotter = {
  /** A certificate landed; `point` asks the validator for its latest resume point (called only when one is due). */
  certified(certificate: Certificate, point: () => ValidatorResumePoint | undefined): void;
  /** The newest point written or resumed from. */
  newest(): PointPosition | undefined;
  /** Resolves when no write is in progress. */
  idle(): Promise<void>;
};

export function createSnapshotter(init: SnapshotterInit): Snapshotter {
  const { store, intervalCommits, keepCertificates } = init;
  if (!Number.isSafeInteger(intervalCommits) || intervalCommits < 0) throw new RangeError('createSnapshotter: intervalCommits must be a non-negative integer');
  if (!Number.isSafeInteger(keepCertificates) || keepCertificates < 0) throw new RangeError('createSnapshotter: keepCertificates must be a non-negative integer');
  let newest = init.resumedFrom;
  let writing: Promise<void> | undefined;

  const write = async (point: ValidatorResumePoint): Promise<void> => {
    const startMs = init.nowMs();
    const write = snapshotWriteOf(point);
    const stateBytes = await store.putSnapshot(write);
    const older = newest;
    newest = Object.freeze({ sequence: write.sequence, commitIndex: point.certificate.checkpoint.lastCommitIndex });
    let prunedCommits = 0;
    let prunedCertificates = 0;
    // With no older point a restart may still need every commit from genesis.
    if (older !== undefined) {
      prunedCommits = await store.pruneCommitsBelow(older.commitIndex + 1n);
      if (keepCertificates > 0) {
        const kept = newest.sequence - BigInt(keepCertificates);
        const below = kept < older.sequence + 1n ? kept : older.sequence + 1n;
        if (below > 1n) prunedCertificates = await store.pruneCertificatesBelow(below);
      }
    }
    init.onWritten?.(Object.freeze({ ...newest, bytes: write.point.length + stateBytes, elapsedMs: init.nowMs() - startMs, prunedCommits, prunedCertificates }));
  };

  return Object.freeze({
    certified(certificate: Certificate, point: () => ValidatorResumePoint | undefined): void {
      if (intervalCommits === 0 || writing !== undefined) return;
      if (certificate.checkpoint.lastCommitIndex - (newest?.commitIndex ?? 0n) < BigInt(intervalCommits)) return;
      const latest = point();
      if (latest === undefined || (newest !== undefined && latest.certificate.checkpoint.sequence <= newest.sequence)) return;
      writing = write(latest)
        .catch((error: unknown) => init.onError(error))
        .finally(() => {
          writing = undefined;
        });
    },
    newest: () => newest,
    idle: async () => {
      await writing;
    },
  });
}
