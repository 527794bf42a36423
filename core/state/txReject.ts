/**
 * Why a transaction was refused before execution: typed rejects keyed by `code` (HOUSE-RULES 8).
 *
 * Stateless rejects (`TxReject`) come from `decodeSignedTx` / `validateTx` and depend only on
 * the bytes and the protocol parameters, so every node reaches the same verdict and a peer that
 * sends such a transaction can be scored down. State-aware rejects (`SenderKeyReject`) depend on
 * the sender's account and are decided by the mempool and by execution.
 */
import type { DecodeError } from '../codec/index.ts';
import type { SchemeName } from '../crypto/index.ts';
import type { EvidenceReject } from './evidence.ts';
import type { TxKind } from './types.ts';

export type TxReject =
  /** Not a canonical signed transaction (truncated, trailing bytes, unknown tag, …). */
  | { readonly code: 'MALFORMED'; readonly decodeError: DecodeError }
  /** Longer than the `max_tx_bytes` parameter; nothing was decoded. */
  | { readonly code: 'TOO_LARGE'; readonly sizeBytes: number; readonly maxBytes: number }
  /** A carried public key (`publicKey` or `rotate-key`'s `newKey`) with a bad tag or length. */
  | { readonly code: 'BAD_PUBLIC_KEY'; readonly decodeError: DecodeError }
  /** A signature field with a bad tag or a length impossible for its scheme. */
  | { readonly code: 'BAD_SIGNATURE_ENCODING'; readonly decodeError: DecodeError }
  /** Signed for another chain: replay protection. */
  | { readonly code: 'WRONG_CHAIN'; readonly expected: string; readonly actual: string }
  /** The carried public key does not derive the sender address. */
  | { readonly code: 'ADDRESS_MISMATCH' }
  /** The signature's scheme differs from the carried key's scheme. */
  | { readonly code: 'SIGNATURE_SCHEME_MISMATCH'; readonly keyScheme: SchemeName; readonly signatureScheme: SchemeName }
  /** A transfer, bond or unbond of nothing: it would only burn the fee. */
  | { readonly code: 'ZERO_AMOUNT'; readonly kind: TxKind }
  /** A transfer to the sender itself: a no-op that would only burn the fee. */
  | { readonly code: 'SELF_TRANSFER' }
  /** amount + fee exceeds u64: no balance can cover it. */
  | { readonly code: 'AMOUNT_OVERFLOW' }
  /** nonce = 2^64 − 1: the account's nonce could not advance past it. */
  | { readonly code: 'NONCE_OVERFLOW' }
  /** rotate-key: the possession signature's scheme differs from the new key's. */
  | { readonly code: 'POSSESSION_SCHEME_MISMATCH'; readonly keyScheme: SchemeName; readonly signatureScheme: SchemeName }
  /** evidence: fails the stateless evidence rules (`evidence.ts`). */
  | { readonly code: 'INVALID_EVIDENCE'; readonly reason: EvidenceReject };

export type TxRejectCode = TxReject['code'];

export type SenderKeyReject =
  /** The account has no key on record, so the transaction must carry one. */
  | { readonly code: 'PUBLIC_KEY_REQUIRED' }
  /** The account has a key on record; carrying another one is refused (one encoding per intent). */
  | { readonly code: 'PUBLIC_KEY_UNEXPECTED' }
  /** The carried key does not derive the sender address. */
  | { readonly code: 'ADDRESS_MISMATCH' }
  /** The signature's scheme is not the scheme of the key that must verify it. */
  | { readonly code: 'SIGNATURE_SCHEME_MISMATCH'; readonly keyScheme: SchemeName; readonly signatureScheme: SchemeName };
