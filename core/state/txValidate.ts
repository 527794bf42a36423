/**
 * Transaction checks that need no signature verification: stateless (`validateTx`) and against
 * the sender's account (`checkSenderKey`).
 *
 * DESIGN.md §2 Ledger. Signatures are verified elsewhere, in the verify pool, through the
 * `VerifyItem`s of `txSign.ts`: these checks run first because they are cheap, so garbage costs
 * microseconds and never a post-quantum verification.
 * Balance and nonce checks belong to execution (order first, execute second).
 */
import { addressFromPublicKey, bytesEqual, schemeInfo, type TaggedPublicKey } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import { checkEvidence } from './evidence.ts';
import type { ProtocolParams } from './params.ts';
import type { SenderKeyReject, TxReject } from './txReject.ts';
import { U64_MAX, type Account, type SignedTx, type Tx } from './types.ts';

const OK: Result<void, never> = ok(undefined);

/** Whether `key` derives `address` (docs/crypto.md §Addresses). */
export function keyDerivesAddress(key: TaggedPublicKey, address: Uint8Array): boolean {
  return bytesEqual(addressFromPublicKey(schemeInfo(key.scheme).tag, key.publicKey), address);
}

/** The body's own rules: amounts, self-transfer, key-rotation schemes, evidence. */
function validateBody(tx: Tx): Result<void, TxReject> {
  const { body, fee, sender } = tx;
  switch (body.kind) {
    case 'transfer':
      if (body.value.amount === 0n) return err({ code: 'ZERO_AMOUNT', kind: body.kind });
      if (bytesEqual(body.value.to, sender)) return err({ code: 'SELF_TRANSFER' });
      return body.value.amount + fee > U64_MAX ? err({ code: 'AMOUNT_OVERFLOW' }) : OK;
    case 'bond':
      if (body.value.amount === 0n) return err({ code: 'ZERO_AMOUNT', kind: body.kind });
      return body.value.amount + fee > U64_MAX ? err({ code: 'AMOUNT_OVERFLOW' }) : OK;
    case 'unbond':
      // Paid from stake, the fee from the balance: no common sum to overflow.
      return body.value.amount === 0n ? err({ code: 'ZERO_AMOUNT', kind: body.kind }) : OK;
    case 'rotate-key': {
      const { newKey, possession } = body.value;
      if (possession.scheme !== newKey.scheme) {
        return err({ code: 'POSSESSION_SCHEME_MISMATCH', keyScheme: newKey.scheme, signatureScheme: possession.scheme });
      }
      return OK;
    }
    case 'evidence': {
      const checked = checkEvidence(body.value.evidence);
      return checked.ok ? OK : err({ code: 'INVALID_EVIDENCE', reason: checked.error });
    }
  }
}

/**
 * Every rule a signed transaction must meet regardless of state: right chain, a usable nonce,
 * a carried key (if any) that derives the sender and matches the signature's scheme, and the
 * body's rules. The first failure is returned.
 */
export function validateTx(signedTx: SignedTx, params: Pick<ProtocolParams, 'chainId'>): Result<void, TxReject> {
  const { tx, publicKey, signature } = signedTx;
  if (tx.chainId !== params.chainId) return err({ code: 'WRONG_CHAIN', expected: params.chainId, actual: tx.chainId });
  if (tx.nonce === U64_MAX) return err({ code: 'NONCE_OVERFLOW' });
  if (publicKey !== undefined) {
    if (signature.scheme !== publicKey.scheme) {
      return err({ code: 'SIGNATURE_SCHEME_MISMATCH', keyScheme: publicKey.scheme, signatureScheme: signature.scheme });
    }
    if (!keyDerivesAddress(publicKey, tx.sender)) return err({ code: 'ADDRESS_MISMATCH' });
  }
  return validateBody(tx);
}

/**
 * The key that must verify `signedTx`, given the sender's account (undefined: no account yet).
 * An account with a key on record: the transaction must not carry one, and its signature must
 * be of that key's scheme. An account without: the transaction must carry a key deriving the
 * sender address; execution then records it as the account's key.
 * A pending (rotated) key is not yet in force: `account.key` verifies until the epoch ends.
 */
export function checkSenderKey(account: Account | undefined, signedTx: SignedTx): Result<TaggedPublicKey, SenderKeyReject> {
  const { publicKey, signature, tx } = signedTx;
  const onRecord = account?.key;
  if (onRecord !== undefined) {
    if (publicKey !== undefined) return err({ code: 'PUBLIC_KEY_UNEXPECTED' });
    if (signature.scheme !== onRecord.scheme) {
      return err({ code: 'SIGNATURE_SCHEME_MISMATCH', keyScheme: onRecord.scheme, signatureScheme: signature.scheme });
    }
    return ok(onRecord);
  }
  if (publicKey === undefined) return err({ code: 'PUBLIC_KEY_REQUIRED' });
  if (signature.scheme !== publicKey.scheme) {
    return err({ code: 'SIGNATURE_SCHEME_MISMATCH', keyScheme: publicKey.scheme, signatureScheme: signature.scheme });
  }
  if (!keyDerivesAddress(publicKey, tx.sender)) return err({ code: 'ADDRESS_MISMATCH' });
  return ok(publicKey);
}
