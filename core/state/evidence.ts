/**
 * Double-signing evidence: proof that a validator signed two different messages for one slot.
 *
 * DESIGN.md §2 (equivocation is self-proving evidence; it slashes the offender at execution).
 *
 * ┌──────────────────────────────────────────────────────────────────────────────────────────┐
 * │ CONTRACT WITH CONSENSUS. Every signed vertex and every checkpoint signature MUST sign a    │
 * │ message that BEGINS with the 16-byte SLOT HEADER                                          │
 * │     u64 epoch || u64 round (vertex) or sequence (checkpoint), both big-endian             │
 * │ (`encodeSlotHeader`), signed under CONTEXTS.vertex / CONTEXTS.checkpoint respectively,     │
 * │ and the message MUST also bind the chain id (else a key used on two chains is slashable). │
 * │ Keep the signed message compact — at most EVIDENCE_MESSAGE_MAX_BYTES (1 KiB); sign         │
 * │ `header || chain id || 32-byte digest of the full object`, not the full vertex — so that  │
 * │ evidence always fits in one transaction.                                                  │
 * │ Two different messages with equal headers under one context are then an equivocation.    │
 * └──────────────────────────────────────────────────────────────────────────────────────────┘
 *
 * Validity: both messages differ, both carry the same slot header, both signatures verify under
 * the offender's key (supplied by the caller: execution knows which key the offender had in
 * that epoch) and the evidence's context. `slotId` names (context, offender, slot) so a slot is
 * slashed once however many conflicting pairs exist.
 */
import { bytes, literals, struct, type Codec } from '../codec/index.ts';
import {
  bytesEqual,
  contextBytes,
  CONTEXTS,
  type Hash32,
  hashDomain,
  type SchemeName,
  type SignatureBackend,
  type TaggedPublicKey,
  type VerifyItem,
  verifySignature,
} from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import { addressCodec, signatureCodec } from './txFields.ts';
import type { Evidence, EvidenceContext, SignedMessage } from './types.ts';

/** u64 epoch + u64 round-or-sequence. */
export const SLOT_HEADER_BYTES = 16;
/** Upper bound of one signed message inside evidence (see the contract above). */
export const EVIDENCE_MESSAGE_MAX_BYTES = 1024;

/** Wire codes of the evidence contexts; never reused. */
const CONTEXT_CODES = { vertex: 0, checkpoint: 1 } as const;
const contextCodec: Codec<EvidenceContext> = literals(CONTEXT_CODES);

const SIGNING_CONTEXTS: Readonly<Record<EvidenceContext, Uint8Array>> = Object.freeze({
  vertex: contextBytes(CONTEXTS.vertex),
  checkpoint: contextBytes(CONTEXTS.checkpoint),
});

const signedMessageCodec: Codec<SignedMessage> = struct({
  message: bytes({ maxBytes: EVIDENCE_MESSAGE_MAX_BYTES }),
  signature: signatureCodec,
});

/** context (1) || offender (33) || first || second. */
export const evidenceCodec: Codec<Evidence> = struct({
  context: contextCodec,
  offender: addressCodec,
  first: signedMessageCodec,
  second: signedMessageCodec,
});

export type EvidenceReject =
  | { readonly code: 'SAME_MESSAGE' }
  | { readonly code: 'MESSAGE_TOO_SHORT'; readonly which: 'first' | 'second'; readonly lengthBytes: number }
  | { readonly code: 'DIFFERENT_SLOT' }
  | { readonly code: 'SCHEME_MISMATCH'; readonly keyScheme: SchemeName; readonly signatureScheme: SchemeName }
  | { readonly code: 'BAD_SIGNATURE'; readonly which: 'first' | 'second' };

/** The 16-byte slot header consensus puts first in every vertex and checkpoint message. */
export function encodeSlotHeader(epoch: bigint, roundOrSequence: bigint): Uint8Array {
  const out = new Uint8Array(SLOT_HEADER_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, epoch, false);
  view.setBigUint64(8, roundOrSequence, false);
  if (view.getBigUint64(0) !== epoch || view.getBigUint64(8) !== roundOrSequence) {
    throw new RangeError('encodeSlotHeader: epoch and roundOrSequence must be u64');
  }
  return out;
}

/** Reads the slot header of a signed message; undefined when the message is shorter than one. */
export function decodeSlotHeader(message: Uint8Array): { readonly epoch: bigint; readonly roundOrSequence: bigint } | undefined {
  if (message.length < SLOT_HEADER_BYTES) return undefined;
  const view = new DataView(message.buffer, message.byteOffset, SLOT_HEADER_BYTES);
  return Object.freeze({ epoch: view.getBigUint64(0, false), roundOrSequence: view.getBigUint64(8, false) });
}

/** Stateless part: the two messages differ and share one slot header; both schemes agree. */
export function checkEvidence(evidence: Evidence): Result<void, EvidenceReject> {
  const { first, second } = evidence;
  if (first.message.length < SLOT_HEADER_BYTES) {
    return err({ code: 'MESSAGE_TOO_SHORT', which: 'first', lengthBytes: first.message.length });
  }
  if (second.message.length < SLOT_HEADER_BYTES) {
    return err({ code: 'MESSAGE_TOO_SHORT', which: 'second', lengthBytes: second.message.length });
  }
  if (bytesEqual(first.message, second.message)) return err({ code: 'SAME_MESSAGE' });
  if (!bytesEqual(first.message.subarray(0, SLOT_HEADER_BYTES), second.message.subarray(0, SLOT_HEADER_BYTES))) {
    return err({ code: 'DIFFERENT_SLOT' });
  }
  if (first.signature.scheme !== second.signature.scheme) {
    return err({ code: 'SCHEME_MISMATCH', keyScheme: first.signature.scheme, signatureScheme: second.signature.scheme });
  }
  return ok(undefined);
}

/**
 * The two verification jobs (first, second) for a verify pool, or the stateless reject.
 * `offenderKey` is the key the offender held in the slot's epoch (execution's knowledge).
 */
export function evidenceVerifyItems(
  evidence: Evidence,
  offenderKey: TaggedPublicKey,
): Result<readonly [VerifyItem, VerifyItem], EvidenceReject> {
  const checked = checkEvidence(evidence);
  if (!checked.ok) return checked;
  const signatureScheme = evidence.first.signature.scheme;
  if (signatureScheme !== offenderKey.scheme) {
    return err({ code: 'SCHEME_MISMATCH', keyScheme: offenderKey.scheme, signatureScheme });
  }
  const context = SIGNING_CONTEXTS[evidence.context];
  const item = (m: SignedMessage): VerifyItem => ({
    scheme: offenderKey.scheme,
    publicKey: offenderKey.publicKey,
    message: m.message,
    signature: m.signature.bytes,
    context,
  });
  return ok([item(evidence.first), item(evidence.second)] as const);
}

/** Full check with a backend, in the calling thread (execution, tests, the light client). */
export function verifyEvidence(
  evidence: Evidence,
  offenderKey: TaggedPublicKey,
  backend: SignatureBackend,
): Result<void, EvidenceReject> {
  const items = evidenceVerifyItems(evidence, offenderKey);
  if (!items.ok) return items;
  if (!verifySignature(backend, items.value[0])) return err({ code: 'BAD_SIGNATURE', which: 'first' });
  if (!verifySignature(backend, items.value[1])) return err({ code: 'BAD_SIGNATURE', which: 'second' });
  return ok(undefined);
}

/**
 * The slot the evidence convicts: BLAKE3 over (context code, offender, slot header). Execution
 * slashes each slot id at most once. Call only on evidence that passed `checkEvidence`.
 */
export function slotId(evidence: Evidence): Hash32 {
  if (evidence.first.message.length < SLOT_HEADER_BYTES) throw new RangeError('slotId: message shorter than a slot header');
  return hashDomain(
    'kaldrix/slot-id/v1',
    Uint8Array.of(CONTEXT_CODES[evidence.context]),
    evidence.offender,
    evidence.first.message.subarray(0, SLOT_HEADER_BYTES),
  );
}
