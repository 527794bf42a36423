/**
 * Collecting checkpoint votes into a certificate.
 *
 * DESIGN.md §2 "Finality certificate": each validator piggybacks its checkpoint vote on its
 * next vertex; whoever sees votes worth a quorum of stake for one checkpoint can assemble the
 * certificate. The aggregator is synchronous and pure: it does NOT verify signatures. Its
 * caller verifies each vote against `aggregator.message` (with `checkpointVoteItem`, usually
 * in the same verify-pool batch as the vertex that carried it) and adds only valid ones; a
 * forged signature added anyway yields a certificate that `verifyCertificate` refuses.
 * Duplicates (a second vote of one member) are ignored, so a repeated gossip message cannot
 * inflate the stake; votes for another sequence, for another checkpoint of this sequence (their
 * `checkpointHash` differs) or with a scheme other than the member's key are refused as values.
 * State is bounded by the committee size.
 */
import { bytesEqual, isSignatureLengthValid, type SchemeName, type Signature } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import type { Amount } from '../state/index.ts';
import type { Certificate } from './certificate.ts';
import { checkpointHash, type Checkpoint } from './checkpoint.ts';
import { checkpointMessageOfHash, type CheckpointVote } from './checkpointSign.ts';
import { isQuorum, type Committee } from './committee.ts';
import { signerBitmapOf } from './signerBitmap.ts';

export type VoteReject =
  | { readonly code: 'UNKNOWN_MEMBER'; readonly memberIndex: number }
  | { readonly code: 'WRONG_SEQUENCE'; readonly expected: bigint; readonly actual: bigint }
  /** The vote signs another checkpoint of this sequence: it can never count toward this one. */
  | { readonly code: 'WRONG_CHECKPOINT'; readonly memberIndex: number }
  | { readonly code: 'SCHEME_MISMATCH'; readonly memberIndex: number; readonly keyScheme: SchemeName; readonly signatureScheme: SchemeName }
  | { readonly code: 'BAD_SIGNATURE_LENGTH'; readonly memberIndex: number; readonly lengthBytes: number };

export type AddVoteOutcome = {
  /** False when this member had already voted (the new vote is ignored). */
  readonly added: boolean;
  /** Stake of all members whose votes are held. */
  readonly signedStake: Amount;
  readonly quorumReached: boolean;
};

export interface CertificateAggregator {
  readonly committee: Committee;
  readonly checkpoint: Checkpoint;
  /** The signed message every vote must verify against (CONTEXTS.checkpoint). */
  readonly message: Uint8Array;
  /** Adds a vote whose signature the caller has verified. */
  add(memberIndex: number, vote: CheckpointVote): Result<AddVoteOutcome, VoteReject>;
  signedStake(): Amount;
  hasQuorum(): boolean;
  /** The certificate over every vote held, once they are worth a quorum; else undefined. */
  certificate(): Certificate | undefined;
}

export type AssembleReject = VoteReject | { readonly code: 'NO_QUORUM'; readonly signedStake: Amount; readonly quorumStake: Amount };

export function createCertificateAggregator(committee: Committee, checkpoint: Checkpoint): CertificateAggregator {
  if (committee.epoch !== checkpoint.epoch) {
    throw new RangeError(`createCertificateAggregator: checkpoint of epoch ${checkpoint.epoch} needs that epoch's committee, got epoch ${committee.epoch}`);
  }
  const hash = checkpointHash(checkpoint);
  const message = checkpointMessageOfHash(checkpoint, hash);
  const votes = new Map<number, Signature>();
  let signedStake = 0n;

  const check = (memberIndex: number, vote: CheckpointVote): VoteReject | undefined => {
    const member = Number.isSafeInteger(memberIndex) ? committee.members[memberIndex] : undefined;
    if (member === undefined) return { code: 'UNKNOWN_MEMBER', memberIndex };
    if (vote.sequence !== checkpoint.sequence) return { code: 'WRONG_SEQUENCE', expected: checkpoint.sequence, actual: vote.sequence };
    if (!bytesEqual(vote.checkpointHash, hash)) return { code: 'WRONG_CHECKPOINT', memberIndex };
    const { scheme, bytes } = vote.signature;
    if (scheme !== member.key.scheme) return { code: 'SCHEME_MISMATCH', memberIndex, keyScheme: member.key.scheme, signatureScheme: scheme };
    if (!isSignatureLengthValid(scheme, bytes.length)) return { code: 'BAD_SIGNATURE_LENGTH', memberIndex, lengthBytes: bytes.length };
    return undefined;
  };

  const add = (memberIndex: number, vote: CheckpointVote): Result<AddVoteOutcome, VoteReject> => {
    const reject = check(memberIndex, vote);
    if (reject !== undefined) return err(reject);
    const added = !votes.has(memberIndex);
    if (added) {
      votes.set(memberIndex, vote.signature);
      signedStake += (committee.members[memberIndex] as Committee['members'][number]).stake;
    }
    return ok(Object.freeze({ added, signedStake, quorumReached: isQuorum(committee, signedStake) }));
  };

  const certificate = (): Certificate | undefined => {
    if (!isQuorum(committee, signedStake)) return undefined;
    const indices = [...votes.keys()].sort((a, b) => a - b);
    return Object.freeze({
      checkpoint,
      signers: signerBitmapOf(committee.members.length, indices),
      signatures: Object.freeze(indices.map((i) => votes.get(i) as Signature)),
    });
  };

  return Object.freeze({
    committee,
    checkpoint,
    message,
    add,
    signedStake: () => signedStake,
    hasQuorum: () => isQuorum(committee, signedStake),
    certificate,
  });
}

/**
 * The certificate from a set of verified votes, or why there is none: the first refused vote,
 * or NO_QUORUM when the distinct voters' stake is short of the quorum.
 */
export function assembleCertificate(
  committee: Committee,
  checkpoint: Checkpoint,
  votes: Iterable<{ readonly memberIndex: number; readonly vote: CheckpointVote }>,
): Result<Certificate, AssembleReject> {
  const aggregator = createCertificateAggregator(committee, checkpoint);
  for (const { memberIndex, vote } of votes) {
    const r = aggregator.add(memberIndex, vote);
    if (!r.ok) return r;
  }
  const certificate = aggregator.certificate();
  if (certificate === undefined) return err({ code: 'NO_QUORUM', signedStake: aggregator.signedStake(), quorumStake: committee.quorumStake });
  return ok(certificate);
}
