/**
 * Resume points on disk: what the node writes so a restart starts from its latest certified
 * checkpoint instead of replaying every commit since genesis, and what it reads back.
 *
 * core/validator/resumePoint.ts (the point and its codec), core/state/stateSnapshot.ts (the
 * ledger), store/_snapshots.ts (the keys). Writing: the state snapshot is encoded in pieces of
 * STATE_PIECE_BYTES with a turn of the event loop between them — a large state takes seconds to
 * encode, and the validator must keep running meanwhile — then the point's record completes it.
 * Reading: newest first; a point is used only if it decodes, its
 * certificate verifies against the committee of its epoch (the genesis committee, or the one
 * the stored end-of-epoch certificate of the epoch before hands over), and its state rebuilds
 * to the checkpoint's state root — so a torn, corrupt or planted snapshot is skipped (the one
 * before it, or genesis, takes over), never trusted.
 */
import { decodeCertificate } from '../../core/consensus/certificate.ts';
import { nextCommitteeOf } from '../../core/consensus/certificateChain.ts';
import { verifyCertificate, type QuorumVerifier } from '../../core/consensus/certificateVerify.ts';
import { isEndOfEpoch } from '../../core/consensus/checkpoint.ts';
import type { Committee } from '../../core/consensus/committee.ts';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { decodeStateSnapshot, stateSnapshotChunks } from '../../core/state/index.ts';
import { decodeResumePoint, encodeResumePoint, type ValidatorResumePoint } from '../../core/validator/index.ts';
import type { LevelPeerStore, SnapshotWrite, StoredSnapshot } from './store/index.ts';

/** One piece of a state snapshot: about 10 ms of encoding, one LevelDB value of a sensible size. */
export const STATE_PIECE_BYTES = 1024 * 1024;

/** Bytes of a stored certificate read back (the runtime's own bound, repeated to keep this module light). */
const MAX_CERTIFICATE_BYTES = 64 * 1024 * 1024;

export type ResumeTrust = {
  readonly chainId: string;
  readonly genesisCommittee: Committee;
  readonly verifier: QuorumVerifier;
};

/** A usable resume point and the committee of the epoch the validator resumes in. */
export type LoadedResumePoint = { readonly point: ValidatorResumePoint; readonly committee: Committee };

/** What the store writes for `point`: its record, and its state produced piece by piece, yielding the thread between pieces. */
export function snapshotWriteOf(point: ValidatorResumePoint, pieceBytes = STATE_PIECE_BYTES): SnapshotWrite {
  async function* pieces(): AsyncGenerator<Uint8Array> {
    for (const piece of stateSnapshotChunks(point.ledger, pieceBytes)) {
      yield piece;
      await nextTurn();
    }
  }
  return Object.freeze({ sequence: point.certificate.checkpoint.sequence, point: encodeResumePoint(point), state: pieces() });
}

/** The newest stored point that checks out; `onSkipped` hears why each newer one did not. */
export async function loadResumePoint(
  store: Pick<LevelPeerStore, 'snapshots' | 'epochCertificatesFrom'>,
  trust: ResumeTrust,
  onSkipped: (sequence: bigint, reason: string) => void,
): Promise<LoadedResumePoint | undefined> {
  for (const stored of await store.snapshots()) {
    const loaded = await checkStored(stored, store, trust);
    if (typeof loaded !== 'string') return loaded;
    onSkipped(stored.sequence, loaded);
  }
  return undefined;
}

/** The point, or why it cannot be used. */
function checkStored(stored: StoredSnapshot, store: Pick<LevelPeerStore, 'epochCertificatesFrom'>, trust: ResumeTrust): Promise<LoadedResumePoint | string> {
  return checkResumePoint(
    { sequence: stored.sequence, record: stored.point, readState: () => stored.readState() },
    async (epoch) => (await committeeOfEpoch(epoch, store, trust.genesisCommittee)) ?? `no stored end-of-epoch certificate hands over epoch ${epoch}`,
    trust,
  );
}

/** A resume point's parts, wherever they come from (the own store, or a peer: stateSync.ts). */
export type ResumePointParts = {
  /** The checkpoint sequence the point is stored or offered as. */
  readonly sequence: bigint;
  readonly record: Uint8Array;
  /** The state snapshot, fetched only once the certificate has verified (it may be large). */
  readState(): Promise<Uint8Array>;
};

/**
 * The point, or why it cannot be used: it decodes, names `parts.sequence`, its certificate
 * verifies against the committee of its epoch (`committeeOf`), and its state rebuilds the
 * checkpoint's state root.
 */
export async function checkResumePoint(
  parts: ResumePointParts,
  /** The committee of an epoch, or why it is not known. */
  committeeOf: (epoch: bigint) => Promise<Committee | string>,
  trust: Pick<ResumeTrust, 'chainId' | 'verifier'>,
): Promise<LoadedResumePoint | string> {
  const record = decodeResumePoint(parts.record);
  if (!record.ok) return `the point does not decode (${record.error.code} at ${record.error.path})`;
  const { certificate } = record.value;
  const { checkpoint } = certificate;
  if (checkpoint.sequence !== parts.sequence) return `it is stored as checkpoint ${parts.sequence} but names ${checkpoint.sequence}`;
  const committee = await committeeOf(checkpoint.epoch);
  if (typeof committee === 'string') return committee;
  const verified = await verifyCertificate(certificate, { chainId: trust.chainId, committee }, trust.verifier);
  if (!verified.ok) return `its certificate does not verify (${verified.error.code})`;
  const ledger = decodeStateSnapshot(await parts.readState(), { expectedRoot: checkpoint.stateRoot });
  if (!ledger.ok) return `its state snapshot is refused (${ledger.error.code})`;
  const resumeCommittee = isEndOfEpoch(checkpoint) ? nextCommitteeOf(certificate) : committee;
  if (resumeCommittee === undefined) return 'an end-of-epoch checkpoint without a next committee';
  return Object.freeze({ point: Object.freeze({ ...record.value, ledger: ledger.value }), committee: resumeCommittee });
}

/** The committee that certifies checkpoints of `epoch`. */
async function committeeOfEpoch(epoch: bigint, store: Pick<LevelPeerStore, 'epochCertificatesFrom'>, genesisCommittee: Committee): Promise<Committee | undefined> {
  if (epoch === genesisCommittee.epoch) return genesisCommittee;
  const [bytes] = await store.epochCertificatesFrom(epoch - 1n, 1);
  if (bytes === undefined) return undefined;
  const decoded = decodeCertificate(bytes, MAX_CERTIFICATE_BYTES);
  if (!decoded.ok || decoded.value.checkpoint.epoch !== epoch - 1n) return undefined;
  return nextCommitteeOf(decoded.value);
}
