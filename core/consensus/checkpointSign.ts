/**
 * Checkpoint signatures: the signed message, signing, and the vote a validator piggybacks on
 * its next vertex.
 *
 * DESIGN.md §2 ("piggybacking the signature on their next vertex"); the SLOT HEADER contract
 * of core/state/evidence.ts. The signed message is
 *
 *   u64 epoch || u64 sequence            (encodeSlotHeader, 16 bytes, big-endian)
 *   || varint(len) || chain id           (chainIdCodec, 2..33 bytes)
 *   || checkpointHash                    (32 bytes)
 *
 * at most 81 bytes, under CONTEXTS.checkpoint ('kaldrix/checkpoint/v1'). Two such messages with
 * one slot header and one signer but different hashes are an equivocation: the pair is
 * evidence (context 'checkpoint', `checkpointEquivocationEvidence`) and fits a transaction. The
 * context keeps a checkpoint signature from ever verifying as a vertex, transaction or vote.
 *
 * The vote carries the hash it signs, so every vote verifies on its own given the signer's key
 * and the epoch — also one for a checkpoint the receiver did not cut. Its type and codec live
 * with the vertex encoding that holds them (core/dag, which does not import consensus) and are
 * re-exported here.
 */
import { bytesEqual, contextBytes, CONTEXTS, type Hash32, type Signature, type Signer, type TaggedPublicKey, type VerifyItem } from '../crypto/index.ts';
import { checkpointVoteCodec, type CheckpointVote } from '../dag/index.ts';
import { chainIdCodec, encodeSlotHeader, type Address, type Evidence } from '../state/index.ts';
import { checkpointHash, type Checkpoint } from './checkpoint.ts';

export { checkpointVoteCodec, type CheckpointVote };

/** The signing context of every checkpoint signature. */
export const CHECKPOINT_SIGNING_CONTEXT: Uint8Array = contextBytes(CONTEXTS.checkpoint);

/** The signed message for a checkpoint whose hash is already known. */
export function checkpointMessageOfHash(checkpoint: Pick<Checkpoint, 'chainId' | 'epoch' | 'sequence'>, hash: Hash32): Uint8Array {
  const header = encodeSlotHeader(checkpoint.epoch, checkpoint.sequence);
  const chainId = chainIdCodec.encode(checkpoint.chainId);
  const out = new Uint8Array(header.length + chainId.length + hash.length);
  out.set(header, 0);
  out.set(chainId, header.length);
  out.set(hash, header.length + chainId.length);
  return out;
}

/** slot header || chain id || checkpointHash: the bytes a checkpoint signature covers. */
export function checkpointSignedMessage(checkpoint: Checkpoint): Uint8Array {
  return checkpointMessageOfHash(checkpoint, checkpointHash(checkpoint));
}

/** Signs `checkpoint` with `signer`; the vote to piggyback on the signer's next vertex. */
export async function signCheckpoint(signer: Signer, checkpoint: Checkpoint): Promise<CheckpointVote> {
  const hash = checkpointHash(checkpoint);
  const signature = await signer.sign(checkpointMessageOfHash(checkpoint, hash), CHECKPOINT_SIGNING_CONTEXT);
  return Object.freeze({ sequence: checkpoint.sequence, checkpointHash: hash, signature });
}

/**
 * The verification job for one vote on `checkpoint` by the holder of `key` (for a verify
 * pool). The caller checks first that `signature.scheme` equals `key.scheme`: a mismatch is a
 * reject, not a job.
 */
export function checkpointVoteItem(message: Uint8Array, key: TaggedPublicKey, signature: Signature): VerifyItem {
  return {
    scheme: key.scheme,
    publicKey: key.publicKey,
    message,
    signature: signature.bytes,
    context: CHECKPOINT_SIGNING_CONTEXT,
  };
}

/**
 * Double-signing evidence from two votes of one member for one sequence of `chainId` and
 * `epoch` that sign different checkpoint hashes, for the offender's address. The messages are
 * rebuilt from the votes (`checkpointMessageOfHash`), so the pair is exactly what was signed.
 * Throws when the two are not an equivocation (a caller bug); verifying the signatures is the
 * caller's job (evidence from an unverified vote would be refused at execution).
 */
export function checkpointEquivocationEvidence(
  slot: Pick<Checkpoint, 'chainId' | 'epoch'>,
  first: CheckpointVote,
  second: CheckpointVote,
  offender: Address,
): Evidence {
  if (first.sequence !== second.sequence) throw new RangeError('checkpointEquivocationEvidence: the votes are not for one sequence');
  if (bytesEqual(first.checkpointHash, second.checkpointHash)) throw new RangeError('checkpointEquivocationEvidence: the votes sign one checkpoint');
  const message = (vote: CheckpointVote): Uint8Array => checkpointMessageOfHash({ ...slot, sequence: vote.sequence }, vote.checkpointHash);
  return Object.freeze({
    context: 'checkpoint',
    offender,
    first: Object.freeze({ message: message(first), signature: first.signature }),
    second: Object.freeze({ message: message(second), signature: second.signature }),
  });
}
