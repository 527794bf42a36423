/**
 * The serving side of state sync (stateSync.ts): the offer — how far back the validator's commit
 * log serves ranges, and the newest stored resume point — and the pieces of a stored point.
 *
 * A point's record is served in RESUME_RECORD_PIECE_BYTES slices, its state in the pieces it was
 * stored in. Both kept points are served, so a download that began before a newer point was
 * written can finish; once a point is dropped its pieces answer "not held" and the asker starts
 * over from a fresh offer. The record of the offered point is decoded once per sequence (for
 * the checkpoint it names), not per request.
 */
import { RESUME_RECORD_PIECE_BYTES, type ResumeOffer } from '../../core/net/protocols.ts';
import { decodeResumePoint } from '../../core/validator/index.ts';
import type { PeerRequestHandlers } from './contracts.ts';
import type { LevelPeerStore, StoredSnapshot } from './store/index.ts';

export type ResumeServing = Pick<PeerRequestHandlers, 'resumeOffer' | 'resumePiece'>;

export function createResumeServing(store: Pick<LevelPeerStore, 'snapshots'>, commitLogFrom: () => bigint | undefined): ResumeServing {
  /** The points as last listed: re-listed when an offer is made or a piece names a sequence not in it. */
  let listed: readonly StoredSnapshot[] = [];
  const offered = new Map<bigint, NonNullable<ResumeOffer['point']> | null>();

  const pointOffer = async (stored: StoredSnapshot): Promise<NonNullable<ResumeOffer['point']> | undefined> => {
    let known = offered.get(stored.sequence);
    if (known === undefined) {
      const record = decodeResumePoint(stored.point);
      // An own point that does not decode is not offered (a restart skips it too).
      known = record.ok
        ? {
            sequence: stored.sequence,
            lastCommitIndex: record.value.certificate.checkpoint.lastCommitIndex,
            epoch: record.value.certificate.checkpoint.epoch,
            recordPieces: Math.ceil(stored.point.length / RESUME_RECORD_PIECE_BYTES),
            statePieces: await stored.statePieces(),
          }
        : null;
      offered.clear();
      offered.set(stored.sequence, known);
    }
    return known ?? undefined;
  };

  return Object.freeze({
    async resumeOffer(): Promise<ResumeOffer> {
      listed = await store.snapshots();
      const newest = listed[0];
      return { commitLogFrom: commitLogFrom(), point: newest === undefined ? undefined : await pointOffer(newest) };
    },
    async resumePiece(sequence: bigint, part: 'record' | 'state', index: number): Promise<Uint8Array | undefined> {
      let stored = listed.find((s) => s.sequence === sequence);
      if (stored === undefined) {
        listed = await store.snapshots();
        stored = listed.find((s) => s.sequence === sequence);
      }
      if (stored === undefined) return undefined;
      if (part === 'state') return stored.readStatePiece(index);
      const start = index * RESUME_RECORD_PIECE_BYTES;
      return start < stored.point.length ? stored.point.subarray(start, start + RESUME_RECORD_PIECE_BYTES) : undefined;
    },
  });
}
