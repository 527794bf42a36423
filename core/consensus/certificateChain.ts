/**
 * The certificate chain and the committee ratchet: how a light client walks from the genesis
 * (or a pinned checkpoint) to the newest certificate, one epoch's committee vouching for the
 * next.
 *
 * DESIGN.md §2 Epochs ("the end-of-epoch checkpoint, certified by the old set, carries the new
 * one") and Light client ("ratchets through end-of-epoch certificates"); the idea of Sui's
 * end-of-epoch checkpoint carrying the next committee, and of CometBFT light clients following
 * validator-set updates. Linking rules for `next` after `previous`:
 *   - same chain id;
 *   - next.previousCheckpointHash = checkpointHash(previous) (the genesis hash after genesis);
 *   - next.sequence = previous.sequence + 1 (1 after genesis);
 *   - next.epoch = previous.epoch, or previous.epoch + 1 exactly when previous carried the next
 *     committee (0 after genesis) — an end-of-epoch checkpoint is always its epoch's last;
 *   - next.lastCommitIndex > previous.lastCommitIndex (a checkpoint covers at least one commit).
 * Linking checks no signature: verify each certificate with `verifyCertificate` against
 * `trustAfter(trust, previous)`, which the ratchet below computes.
 */
import { bytesEqual, type Hash32 } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import type { Certificate } from './certificate.ts';
import { checkpointHash, FIRST_CHECKPOINT_SEQUENCE, type Checkpoint } from './checkpoint.ts';
import { createCommittee, type Committee } from './committee.ts';
import type { CertificateTrust } from './certificateVerify.ts';

/** The epoch of the genesis committee (the ledger's epoch at genesis). */
export const GENESIS_EPOCH = 0n;

export type ChainReject =
  | { readonly code: 'WRONG_CHAIN'; readonly expected: string; readonly actual: string }
  | { readonly code: 'BROKEN_LINK'; readonly expected: Hash32; readonly actual: Hash32 }
  | { readonly code: 'SEQUENCE_GAP'; readonly expected: bigint; readonly actual: bigint }
  | { readonly code: 'EPOCH_MISMATCH'; readonly expected: bigint; readonly actual: bigint; readonly previousEndsEpoch: boolean }
  | { readonly code: 'COMMIT_INDEX_NOT_INCREASING'; readonly previous: bigint; readonly actual: bigint };

type Expected = { readonly chainId?: string; readonly hash: Hash32; readonly sequence: bigint; readonly epoch: bigint; readonly endsEpoch: boolean; readonly lastCommitIndex?: bigint };

function expectedAfter(previous: Certificate | Hash32): Expected {
  if (previous instanceof Uint8Array) {
    return { hash: previous, sequence: FIRST_CHECKPOINT_SEQUENCE, epoch: GENESIS_EPOCH, endsEpoch: false };
  }
  const p: Checkpoint = previous.checkpoint;
  const endsEpoch = p.nextCommittee !== undefined;
  return {
    chainId: p.chainId,
    hash: checkpointHash(p),
    sequence: p.sequence + 1n,
    epoch: endsEpoch ? p.epoch + 1n : p.epoch,
    endsEpoch,
    lastCommitIndex: p.lastCommitIndex,
  };
}

/**
 * Checks that `next` directly follows `previous` (a certificate already trusted, or the genesis
 * hash). Pure and cheap: one hash of the previous checkpoint.
 */
export function verifyCertificateChain(previous: Certificate | Hash32, next: Certificate): Result<void, ChainReject> {
  const want = expectedAfter(previous);
  const c = next.checkpoint;
  if (want.chainId !== undefined && c.chainId !== want.chainId) return err({ code: 'WRONG_CHAIN', expected: want.chainId, actual: c.chainId });
  if (!bytesEqual(c.previousCheckpointHash, want.hash)) return err({ code: 'BROKEN_LINK', expected: want.hash, actual: c.previousCheckpointHash });
  if (c.sequence !== want.sequence) return err({ code: 'SEQUENCE_GAP', expected: want.sequence, actual: c.sequence });
  if (c.epoch !== want.epoch) return err({ code: 'EPOCH_MISMATCH', expected: want.epoch, actual: c.epoch, previousEndsEpoch: want.endsEpoch });
  if (want.lastCommitIndex !== undefined && c.lastCommitIndex <= want.lastCommitIndex) {
    return err({ code: 'COMMIT_INDEX_NOT_INCREASING', previous: want.lastCommitIndex, actual: c.lastCommitIndex });
  }
  return ok(undefined);
}

/**
 * The committee an end-of-epoch certificate hands over (epoch + 1), or undefined when the
 * certificate is not its epoch's last. Call it only on a certificate that verified: its next
 * committee is then vouched for by a quorum of the old one. The checkpoint codec guarantees
 * the list is a valid committee (non-empty, sorted, distinct, positive stakes).
 */
export function nextCommitteeOf(certificate: Certificate): Committee | undefined {
  const { nextCommittee, epoch } = certificate.checkpoint;
  if (nextCommittee === undefined) return undefined;
  return createCommittee(epoch + 1n, nextCommittee);
}

/** The trust for the certificate after `certificate`: the same committee, or the next one. */
export function trustAfter(trust: CertificateTrust, certificate: Certificate): CertificateTrust {
  const next = nextCommitteeOf(certificate);
  return next === undefined ? trust : Object.freeze({ chainId: trust.chainId, committee: next });
}
