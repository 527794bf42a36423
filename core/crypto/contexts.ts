/**
 * FIPS 204 context strings: the domain separation of every KALDRIX signature.
 *
 * DESIGN.md §2 Cryptography; FIPS 204 §5.2 (ML-DSA.Sign(sk, M, ctx), ctx at most 255 bytes).
 * Each kind of signed message has its own context, so a signature over a transaction can never
 * be replayed as a vote, a vertex or a checkpoint signature even if the bytes happened to match.
 * The version suffix lets a message format change without old signatures verifying under it.
 *
 * How a context is applied, one rule for every scheme (`backends/_framing.ts`): the signed byte
 * string is FIPS 204's framing 0x00 || len(ctx) || ctx || message, and each scheme (ML-DSA,
 * SLH-DSA, Falcon, Ed25519) signs it with its own native context EMPTY. Contexts keep FIPS 204's
 * format, limit and meaning; they travel inside the message instead of in ML-DSA's ctx
 * parameter because liboqs's WebAssembly build and hardware modules offer only the empty
 * context. The framing is injective, so the domain separation is the same.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';

export const CONTEXTS = {
  tx: 'kaldrix/tx/v1',
  vertex: 'kaldrix/vertex/v1',
  checkpoint: 'kaldrix/checkpoint/v1',
  vote: 'kaldrix/vote/v1',
  keyRotate: 'kaldrix/keyrotate/v1',
  peerHandshake: 'kaldrix/peer-handshake/v1',
  /** Free-form messages signed with the CLI (`kaldrix sign`). */
  message: 'kaldrix/message/v1',
} as const;

export type ContextName = keyof typeof CONTEXTS;
export type ContextText = (typeof CONTEXTS)[ContextName];

/** FIPS 204 §5.2: the context string is at most 255 bytes (its length is sent in one byte). */
export const CONTEXT_MAX_BYTES = 255;

/** UTF-8 bytes of a context string; RangeError when longer than FIPS 204 allows. */
export function contextBytes(text: string): Uint8Array {
  const bytes = utf8ToBytes(text);
  if (bytes.length > CONTEXT_MAX_BYTES) {
    throw new RangeError(`contextBytes: text is ${bytes.length} bytes, FIPS 204 allows at most ${CONTEXT_MAX_BYTES}`);
  }
  return bytes;
}
