/**
 * Verification receipts: what stands behind every answer the light client gives.
 *
 * Issue "Browser light client": "every answer carries a verification receipt (height,
 * certificate hash, peers that served it, proof checked)"; DESIGN.md §2 Light client ("never
 * shows an unverified value as verified"). A receipt names the certified checkpoint the answer
 * rests on (its sequence is the height, with its epoch and last commit index), the peers that
 * served the data, and which check was run. It holds no signature and no proof bytes: it is a
 * statement of what this client checked, small enough to show next to every value.
 */
import { bytesEqual, type Hash32 } from '../crypto/index.ts';
import type { TrustedCheckpoint } from './types.ts';

/** Longest peer list a receipt keeps: an answer cross-checked with more peers names the first ones. */
export const MAX_RECEIPT_PEERS = 16;

export type ProofChecked =
  /** A certificate whose signatures verified, up to a quorum of stake, against the trusted committee. */
  | 'certificate'
  /** A certificate for a checkpoint verified before (its hash was in the cache). */
  | 'certificate-cached'
  /** A state proof showing the account under the certified state root. */
  | 'account-inclusion'
  /** A state proof showing no account under the certified state root (an empty account). */
  | 'account-exclusion';

export type VerificationReceipt = {
  /** The height: the certified checkpoint's sequence. */
  readonly sequence: bigint;
  readonly epoch: bigint;
  readonly lastCommitIndex: bigint;
  /** Hash of the certified checkpoint (what its certificate's signatures cover). */
  readonly checkpointHash: Hash32;
  readonly stateRoot: Hash32;
  /** Peer ids that served the data, in the order they answered, each once. */
  readonly servedBy: readonly string[];
  readonly proofChecked: ProofChecked;
};

function uniquePeers(peers: readonly string[]): readonly string[] {
  return Object.freeze([...new Set(peers)].slice(0, MAX_RECEIPT_PEERS));
}

/** The receipt of an answer resting on `trusted`, served by `servedBy`. */
export function makeReceipt(trusted: TrustedCheckpoint, proofChecked: ProofChecked, servedBy: readonly string[]): VerificationReceipt {
  const { checkpoint } = trusted;
  return Object.freeze({
    sequence: checkpoint.sequence,
    epoch: checkpoint.epoch,
    lastCommitIndex: checkpoint.lastCommitIndex,
    checkpointHash: trusted.hash,
    stateRoot: checkpoint.stateRoot,
    servedBy: uniquePeers(servedBy),
    proofChecked,
  });
}

/** The receipt with one more peer that served the same answer (cross-checking). */
export function withServingPeer(receipt: VerificationReceipt, peer: string): VerificationReceipt {
  return Object.freeze({ ...receipt, servedBy: uniquePeers([...receipt.servedBy, peer]) });
}

/** True when both receipts rest on the same certified checkpoint. */
export function sameCertifiedCheckpoint(a: VerificationReceipt, b: VerificationReceipt): boolean {
  return a.sequence === b.sequence && bytesEqual(a.checkpointHash, b.checkpointHash);
}
