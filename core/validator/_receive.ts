/**
 * The first, cheap half of receiving a vertex: decode, validate, and the signature jobs.
 *
 * docs/protocol.md "DAG" (validation order) and "The validator". Nothing here verifies a
 * signature: the vertex signature is the first job of the returned list, followed by the
 * signature jobs of its transactions. Those transaction jobs do not decide whether the vertex
 * is accepted — a vertex's validity must not depend on local state, and the key a
 * transaction is checked with is state (the sender's key on record) — they only warm the
 * verdicts execution will ask for. The key is guessed from the committed ledger at receipt
 * (or the key the transaction carries); when execution needs another one it asks again.
 */
import type { VerifyItem } from '../crypto/index.ts';
import { decodeSignedVertex, MAX_SIGNED_VERTEX_BYTES, validateVertex, type SignedVertex, type ValidateContext, type VertexRef } from '../dag/index.ts';
import { err, ok, type Result } from '../result.ts';
import { decodeSignedTx, getAccount, txVerifyItems, type Ledger, type ProtocolParams } from '../state/index.ts';
import type { ReceiveReject, ReceiveRejectCode } from './types.ts';

/** Rejects that prove the sending peer misbehaved (the rest may happen to honest peers: lag, clocks, full buffers). */
export const PENALIZED_RECEIVE_REJECTS: ReadonlySet<ReceiveRejectCode> = new Set<ReceiveRejectCode>([
  'MALFORMED', 'BAD_SIGNATURE', 'WRONG_CHAIN', 'UNKNOWN_AUTHOR', 'GENESIS_ROUND', 'SCHEME_MISMATCH',
  'CHECKPOINT_SCHEME_MISMATCH', 'TOO_MANY_PARENTS', 'GENESIS_WITH_PARENTS', 'DUPLICATE_PARENT', 'PARENTS_NOT_SORTED',
  'PARENT_ROUND_NOT_BELOW', 'UNKNOWN_PARENT_AUTHOR', 'MULTIPLE_PARENTS_PER_AUTHOR', 'TOO_MANY_WEAK_LINKS',
  'PARENTS_NO_QUORUM', 'TOO_MANY_TRANSACTIONS', 'TRANSACTION_TOO_LARGE', 'TRANSACTIONS_TOO_LARGE', 'TOO_MANY_EVIDENCE',
  'TIMESTAMP_BEFORE_PARENTS',
]);

export type ReceivedVertex = {
  readonly signed: SignedVertex;
  readonly ref: VertexRef;
  /** The vertex signature first, then transaction signature jobs (verdict warming). */
  readonly items: readonly VerifyItem[];
};

/** What validating a vertex needs, plus the ledger and parameters for its transactions' keys. */
export type ReceiveContext = ValidateContext & {
  readonly ledger: Ledger;
  readonly params: ProtocolParams;
};

/**
 * Decoded results by the identity of the received bytes. Where one process runs many validators
 * (a simulator, a test), one broadcast array reaches every receiver: it is decoded once, and
 * the frozen vertex — with its remembered digest and reference keys — is shared. A shell that
 * hands each receiver fresh bytes gets no hits and loses nothing. Hence the shell contract
 * (types.ts): received bytes are handed over and never changed afterwards.
 */
const decodedByBytes = new WeakMap<Uint8Array, Result<SignedVertex, ReceiveReject>>();

/** Decodes `bytes` (the caller looks at the epoch before validating: a next-epoch vertex is held). */
export function decodeReceived(bytes: Uint8Array): Result<SignedVertex, ReceiveReject> {
  const known = decodedByBytes.get(bytes);
  if (known !== undefined) return known;
  const decoded = decodeSignedVertex(bytes, MAX_SIGNED_VERTEX_BYTES);
  const result: Result<SignedVertex, ReceiveReject> = decoded.ok ? decoded : err({ code: 'MALFORMED', decodeError: decoded.error });
  decodedByBytes.set(bytes, result);
  return result;
}

/** Validates a decoded vertex; on success the signature jobs to run. */
export function checkReceived(signed: SignedVertex, ctx: ReceiveContext): Result<ReceivedVertex, ReceiveReject> {
  const validated = validateVertex(signed, ctx);
  if (!validated.ok) return validated;
  const items: VerifyItem[] = [validated.value.verifyItem, ...transactionItems(signed, ctx.ledger, ctx.params)];
  return ok(Object.freeze({ signed, ref: validated.value.ref, items: Object.freeze(items) }));
}

/** Signature jobs of the vertex's decodable transactions whose key can be told now. */
export function transactionItems(signed: SignedVertex, ledger: Ledger, params: ProtocolParams): VerifyItem[] {
  const items: VerifyItem[] = [];
  for (const bytes of signed.vertex.transactions) {
    const tx = decodeSignedTx(bytes, params);
    if (!tx.ok) continue;
    const key = tx.value.publicKey ?? getAccount(ledger, tx.value.tx.sender)?.key;
    if (key === undefined) continue;
    items.push(...txVerifyItems(tx.value, key));
  }
  return items;
}
