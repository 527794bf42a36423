/**
 * Canonical encodings of transactions and signed transactions; the transaction id; the signed
 * message.
 *
 * DESIGN.md §2 Ledger ("canonical binary encoding, id = BLAKE3 of the encoding, signed by the
 * sender, replay-protected by chain id and nonce"); combinators per docs/codec.md.
 *
 *   Tx       = chainId utf8{≤32} || sender address(33) || nonce u64 || fee u64 || body
 *   body     = u8 tag || payload:  0 transfer { to address, amount u64 }
 *                                  1 bond { amount u64 }          2 unbond { amount u64 }
 *                                  3 rotate-key { newKey tagged key, possession tagged sig }
 *                                  4 evidence { evidence (evidence.ts) }
 *   SignedTx = Tx || option(publicKey tagged key) || signature tagged sig
 *
 * The signed message is `encodeTx(tx)` under context `kaldrix/tx/v1` (so the chain id and the
 * nonce are signed). The id is `hashDomain('kaldrix/tx-id/v1', encodeTx(tx))`: over the
 * UNSIGNED transaction, so a re-signed copy (hedged signatures differ each time) or a copy
 * with/without the public key is the same transaction to the mempool and to execution, and no
 * signature malleability can mint a second id. `signedTxHash` covers the full signed bytes,
 * for places that must commit to the exact bytes carried (batches, storage).
 */
import { option, struct, u64, union, type Codec } from '../codec/index.ts';
import { contextBytes, CONTEXTS, createDomainHash, type Hash32 } from '../crypto/index.ts';
import { evidenceCodec } from './evidence.ts';
import { addressCodec, amountCodec, chainIdCodec, publicKeyCodec, signatureCodec } from './txFields.ts';
import type { SignedTx, Tx, TxBody } from './types.ts';

/** Union tags of the transaction kinds: explicit and never reused (docs/codec.md §Unions). */
export const TX_KIND_TAGS = Object.freeze({ transfer: 0, bond: 1, unbond: 2, 'rotate-key': 3, evidence: 4 } as const);

export const txBodyCodec: Codec<TxBody> = union({
  transfer: [TX_KIND_TAGS.transfer, struct({ to: addressCodec, amount: amountCodec })],
  bond: [TX_KIND_TAGS.bond, struct({ amount: amountCodec })],
  unbond: [TX_KIND_TAGS.unbond, struct({ amount: amountCodec })],
  'rotate-key': [TX_KIND_TAGS['rotate-key'], struct({ newKey: publicKeyCodec, possession: signatureCodec })],
  evidence: [TX_KIND_TAGS.evidence, struct({ evidence: evidenceCodec })],
});

export const txCodec: Codec<Tx> = struct({
  chainId: chainIdCodec,
  sender: addressCodec,
  nonce: u64,
  fee: amountCodec,
  body: txBodyCodec,
});

export const signedTxCodec: Codec<SignedTx> = struct({
  tx: txCodec,
  publicKey: option(publicKeyCodec),
  signature: signatureCodec,
});

/** FIPS 204 context of every transaction signature. */
export const TX_SIGNING_CONTEXT: Uint8Array = contextBytes(CONTEXTS.tx);

const txIdHash = createDomainHash('kaldrix/tx-id/v1');
const signedTxHashFn = createDomainHash('kaldrix/signed-tx/v1');

/** Canonical bytes of the unsigned transaction; throws on an invalid value (a caller bug). */
export function encodeTx(tx: Tx): Uint8Array {
  return txCodec.encode(tx);
}

/** Canonical bytes of the signed transaction, as it travels. */
export function encodeSignedTx(signedTx: SignedTx): Uint8Array {
  return signedTxCodec.encode(signedTx);
}

/** What the sender signs (under TX_SIGNING_CONTEXT): the unsigned transaction's encoding. */
export function txSigningMessage(tx: Tx): Uint8Array {
  return encodeTx(tx);
}

/** The transaction id: BLAKE3 (domain `kaldrix/tx-id/v1`) of the unsigned encoding. */
export function txId(tx: Tx): Hash32 {
  return txIdHash(encodeTx(tx));
}

/** BLAKE3 (domain `kaldrix/signed-tx/v1`) of the full signed encoding `bytes`. */
export function signedTxHash(signedTxBytes: Uint8Array): Hash32 {
  return signedTxHashFn(signedTxBytes);
}
