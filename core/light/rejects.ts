/**
 * Why the light client refuses a certificate: one code per reason, so a shell can tell a
 * lying peer (forged signatures, a foreign validator set, a broken chain) from a slow one
 * (a stale checkpoint) or from its own lag (a checkpoint of an epoch it has not reached).
 *
 * The certificate codes of core/consensus (`CertReject`, docs/protocol.md "Verifying a
 * certificate") pass through unchanged, except that a certificate under which NO signature
 * verified against the trusted keys is `WRONG_VALIDATOR_SET`: it was made by another
 * committee (or forged outright), whereas `BAD_SIGNATURES` means trusted members did sign but
 * the valid signatures fall short of a quorum. Caveat: verification stops once a quorum is out
 * of reach, so the split looks only at the signatures checked before that point.
 */
import type { CertReject, ChainReject } from '../consensus/index.ts';
import type { Hash32 } from '../crypto/index.ts';

export type CheckpointReject =
  | Exclude<CertReject, { readonly code: 'BAD_SIGNATURES' }>
  | { readonly code: 'BAD_SIGNATURES'; readonly validStake: bigint; readonly quorumStake: bigint; readonly invalidSigners: readonly number[] }
  | { readonly code: 'WRONG_VALIDATOR_SET'; readonly committeeEpoch: bigint; readonly invalidSigners: readonly number[] }
  /**
   * Not newer than the head. `conflictsWithHead`: same sequence as the head but another hash —
   * unverified on its own, yet worth cross-checking (`buildLightEvidence`) while the shell
   * still holds the head's certificate.
   */
  | { readonly code: 'STALE_CHECKPOINT'; readonly sequence: bigint; readonly headSequence: bigint; readonly conflictsWithHead: boolean; readonly headHash: Hash32 }
  /** Does not follow the trusted head (hash link, sequence or commit index). */
  | { readonly code: 'BROKEN_CHAIN'; readonly reason: ChainReject }
  /** `advanceEpoch` was given a checkpoint that carries no next committee. */
  | { readonly code: 'NOT_END_OF_EPOCH'; readonly epoch: bigint; readonly sequence: bigint };

export type CheckpointRejectCode = CheckpointReject['code'];
