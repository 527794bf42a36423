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
 * evidence (context 'checkpoint') and fits a transaction. The context keeps a checkpoint
 * signature from ever verifying as a vertex, transaction or vote.
 */
import { struct, u64, type Codec } from '../codec/index.ts';
import { contextBytes, CONTEXTS, type Hash32, type Signature, type Signer, type TaggedPublicKey, type VerifyItem } from '../crypto/index.ts';
import { chainIdCodec, encodeSlotHeader, signatureCodec } from '../state/index.ts';
import { checkpointHash, type Checkpoint } from './checkpoint.ts';

/** The signing context of every checkpoint signature. */
export const CHECKPOINT_SIGNING_CONTEXT: Uint8Array = contextBytes(CONTEXTS.checkpoint);

/**
 * A validator's signature over one checkpoint, as carried in a vertex. The checkpoint itself is
 * not sent: every validator derives the same checkpoint for a sequence from its own commits.
 */
export type CheckpointVote = {
  readonly sequence: bigint;
  readonly signature: Signature;
};

/** `u64 sequence || varint(len) || tagged signature`. */
export const checkpointVoteCodec: Codec<CheckpointVote> = struct({ sequence: u64, signature: signatureCodec });

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
  const signature = await signer.sign(checkpointSignedMessage(checkpoint), CHECKPOINT_SIGNING_CONTEXT);
  return Object.freeze({ sequence: checkpoint.sequence, signature });
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
