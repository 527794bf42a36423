/**
 * A transaction on its way into the pool: decoded, statelessly valid, with the figures the pool
 * ranks and bounds it by (id, size, fee, balance spend). Built from raw bytes only, so what the
 * pool holds is always the canonical encoding and the frozen object the decoder made.
 *
 * Order of checks (cheapest first): the size cap before a byte is read, the canonical decode,
 * stateless validation (`decodeSignedTx`, txDecode.ts).
 */
import { toHex, type TaggedPublicKey } from '../../crypto/index.ts';
import { err, ok, type Result } from '../../result.ts';
import { decodeSignedTx } from '../txDecode.ts';
import { txId } from '../txCodec.ts';
import type { Address, SignedTx, Tx } from '../types.ts';
import type { PooledTx, MempoolReject, TxId, TxOrigin } from './types.ts';

export type Candidate = {
  readonly id: TxId;
  readonly idHex: string;
  readonly signedTx: SignedTx;
  readonly encoded: Uint8Array;
  readonly sizeBytes: number;
  readonly sender: Address;
  readonly senderHex: string;
  readonly nonce: bigint;
  readonly fee: bigint;
  /** What executing it debits from the sender's balance (see `txSpend`). */
  readonly spend: bigint;
};

/** A pooled candidate: verified with `senderKey`. */
export type Entry = Candidate & { readonly senderKey: TaggedPublicKey; readonly view: PooledTx };

/**
 * The balance a transaction consumes when it executes: its fee, plus the amount for a transfer
 * or a bond. An unbond's amount comes out of stake, not balance.
 */
export function txSpend(tx: Tx): bigint {
  switch (tx.body.kind) {
    case 'transfer':
    case 'bond':
      return tx.fee + tx.body.value.amount;
    case 'unbond':
    case 'rotate-key':
    case 'evidence':
      return tx.fee;
  }
}

export type CandidateLimits = { readonly chainId: string; readonly maxTxBytes: number };

/** Raw bytes → candidate, or the stateless reject. Never throws on any bytes. */
export function decodeCandidate(bytes: Uint8Array, limits: CandidateLimits): Result<Candidate, MempoolReject> {
  const decoded = decodeSignedTx(bytes, limits);
  if (!decoded.ok) return err(decoded.error);
  const signedTx = decoded.value;
  const { tx } = signedTx;
  const id = txId(tx);
  return ok(
    Object.freeze({
      id,
      idHex: toHex(id),
      signedTx,
      encoded: bytes.slice(),
      sizeBytes: bytes.length,
      sender: tx.sender,
      senderHex: toHex(tx.sender),
      nonce: tx.nonce,
      fee: tx.fee,
      spend: txSpend(tx),
    }),
  );
}

export function toEntry(candidate: Candidate, senderKey: TaggedPublicKey, origin: TxOrigin): Entry {
  const view: PooledTx = Object.freeze({
    id: candidate.id,
    signedTx: candidate.signedTx,
    encoded: candidate.encoded,
    sizeBytes: candidate.sizeBytes,
    senderKey,
    origin,
  });
  return Object.freeze({ ...candidate, senderKey, view });
}
