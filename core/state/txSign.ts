/**
 * Signing transactions and the verification jobs that check them.
 *
 * DESIGN.md §2 Ledger / Cryptography. A transaction is signed by the sender's `Signer` (any
 * scheme, the hybrid included) over `encodeTx(tx)` under context `kaldrix/tx/v1`. A rotate-key
 * transaction also carries a proof of possession of the new key: the new key's signature over
 *   keyPossessionMessage = chainId utf8{≤32} || sender address || nonce u64
 * under context `kaldrix/keyrotate/v1`, binding the proof to one account, chain and nonce so it
 * cannot be replayed elsewhere.
 *
 * Verification happens in the verify pool: `txVerifyItems` gives the jobs (the sender's
 * signature, plus the possession proof for rotate-key). Evidence signatures need the offender's
 * key from state: see `evidenceVerifyItems` in `evidence.ts`.
 */
import { struct, u64, type Codec } from '../codec/index.ts';
import {
  contextBytes,
  CONTEXTS,
  type Signature,
  type Signer,
  type TaggedPublicKey,
  type VerifyItem,
} from '../crypto/index.ts';
import { TX_SIGNING_CONTEXT, txSigningMessage } from './txCodec.ts';
import { addressCodec, chainIdCodec } from './txFields.ts';
import { keyDerivesAddress } from './txValidate.ts';
import type { Address, SignedTx, Tx } from './types.ts';

/** FIPS 204 context of key-possession proofs. */
export const KEY_POSSESSION_CONTEXT: Uint8Array = contextBytes(CONTEXTS.keyRotate);

export type KeyPossessionFields = { readonly chainId: string; readonly sender: Address; readonly nonce: bigint };

const keyPossessionCodec: Codec<KeyPossessionFields> = struct({ chainId: chainIdCodec, sender: addressCodec, nonce: u64 });

/** The bytes the NEW key signs in a rotate-key transaction. */
export function keyPossessionMessage(fields: KeyPossessionFields): Uint8Array {
  return keyPossessionCodec.encode(fields);
}

/** The new key's proof of possession for a rotate-key transaction with these fields. */
export function signKeyPossession(newKeySigner: Signer, fields: KeyPossessionFields): Promise<Signature> {
  return newKeySigner.sign(keyPossessionMessage(fields), KEY_POSSESSION_CONTEXT);
}

export type SignTxOptions = {
  /**
   * Carry the signer's public key: required for the first transaction of an account with no key
   * on record, refused otherwise (see `checkSenderKey`).
   */
  readonly includePublicKey: boolean;
};

/**
 * Signs `tx` with `signer`. Throws RangeError when the signer's key does not derive `tx.sender`
 * and the key is to be carried (a caller bug: the transaction could never verify).
 */
export async function signTx(signer: Signer, tx: Tx, options: SignTxOptions): Promise<SignedTx> {
  const key: TaggedPublicKey = Object.freeze({ scheme: signer.scheme, publicKey: signer.publicKey.slice() });
  if (options.includePublicKey && !keyDerivesAddress(key, tx.sender)) {
    throw new RangeError('signTx: the signer key does not derive tx.sender');
  }
  const signature = await signer.sign(txSigningMessage(tx), TX_SIGNING_CONTEXT);
  const signed: SignedTx = options.includePublicKey ? { tx, publicKey: key, signature } : { tx, signature };
  return Object.freeze(signed);
}

/** The job that checks the sender's signature with `senderKey` (from `checkSenderKey`). */
export function txSignatureItem(signedTx: SignedTx, senderKey: TaggedPublicKey): VerifyItem {
  return Object.freeze({
    scheme: senderKey.scheme,
    publicKey: senderKey.publicKey,
    message: txSigningMessage(signedTx.tx),
    signature: signedTx.signature.bytes,
    context: TX_SIGNING_CONTEXT,
  });
}

/** For a rotate-key transaction: the job that checks the new key's possession proof. */
export function keyPossessionItem(signedTx: SignedTx): VerifyItem | undefined {
  const { tx } = signedTx;
  if (tx.body.kind !== 'rotate-key') return undefined;
  const { newKey, possession } = tx.body.value;
  return Object.freeze({
    scheme: newKey.scheme,
    publicKey: newKey.publicKey,
    message: keyPossessionMessage(tx),
    signature: possession.bytes,
    context: KEY_POSSESSION_CONTEXT,
  });
}

/** Every signature job of `signedTx` except evidence (which needs the offender's key). */
export function txVerifyItems(signedTx: SignedTx, senderKey: TaggedPublicKey): readonly VerifyItem[] {
  const possession = keyPossessionItem(signedTx);
  const items = [txSignatureItem(signedTx, senderKey)];
  if (possession !== undefined) items.push(possession);
  return Object.freeze(items);
}
