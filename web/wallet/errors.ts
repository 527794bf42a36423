/**
 * The wallet's typed errors (HOUSE-RULES 8): everything a person can get wrong, or a peer can
 * refuse, is a value keyed by `code`, with one friendly sentence per code for the page.
 * Bugs (a plaintext key about to be stored, a scheme the backend lacks) still throw.
 */
import type { AddressError } from '../../core/crypto/index.ts';

export type AmountField = 'amount' | 'fee';

export type WalletError =
  /** The key file's authentication tag did not verify: wrong passphrase (or a tampered file). */
  | { readonly code: 'WRONG_PASSPHRASE' }
  /** Not a key file this wallet reads (neither the encrypted nor the devnet plaintext format). */
  | { readonly code: 'MALFORMED_KEY_FILE'; readonly reason: string }
  /** The file's secret key does not sign for its public key. */
  | { readonly code: 'KEY_MISMATCH' }
  | { readonly code: 'WEAK_PASSPHRASE'; readonly minChars: number }
  | { readonly code: 'BAD_ADDRESS'; readonly reason: AddressError['code'] }
  | { readonly code: 'SELF_TRANSFER' }
  | { readonly code: 'BAD_AMOUNT'; readonly field: AmountField; readonly reason: string }
  /** Amount plus fee above the balance the light client verified (not what a peer claims). */
  | { readonly code: 'INSUFFICIENT_BALANCE'; readonly neededUnits: bigint; readonly verifiedBalanceUnits: bigint }
  /** No verified account yet: the light client is not connected or has no verified head. */
  | { readonly code: 'NOT_VERIFIED'; readonly reason: string }
  | { readonly code: 'BAD_API_URL'; readonly reason: string }
  /** The peer's API answered with an error (its `error` code and `message`, and the mempool's reject code). */
  | { readonly code: 'PEER_REFUSED'; readonly httpStatus: number; readonly apiCode: string; readonly message: string; readonly rejectCode: string | undefined }
  | { readonly code: 'PEER_UNREACHABLE'; readonly message: string }
  | { readonly code: 'NO_KEY' }
  | { readonly code: 'STORAGE_FAILED'; readonly message: string };

/** One sentence a person can act on. */
export function describeWalletError(error: WalletError): string {
  switch (error.code) {
    case 'WRONG_PASSPHRASE':
      return 'Wrong passphrase: the key file did not open (or it was altered).';
    case 'MALFORMED_KEY_FILE':
      return `This is not a KALDRIX key file: ${error.reason}.`;
    case 'KEY_MISMATCH':
      return "The key file's secret key does not match its public key.";
    case 'WEAK_PASSPHRASE':
      return `Choose a passphrase of at least ${error.minChars} characters.`;
    case 'BAD_ADDRESS':
      return `Not a valid kdx1… address (${error.reason.toLowerCase().replaceAll('_', ' ')}).`;
    case 'SELF_TRANSFER':
      return 'The recipient is this wallet itself.';
    case 'BAD_AMOUNT':
      return `${error.field === 'amount' ? 'Amount' : 'Fee'} ${error.reason}.`;
    case 'INSUFFICIENT_BALANCE':
      return `Amount plus fee (${error.neededUnits}) is above the verified balance (${error.verifiedBalanceUnits}).`;
    case 'NOT_VERIFIED':
      return `No verified balance yet: ${error.reason}.`;
    case 'BAD_API_URL':
      return `Peer API URL ${error.reason}.`;
    case 'PEER_REFUSED':
      return `The peer refused the transaction (HTTP ${error.httpStatus} ${error.apiCode}${error.rejectCode === undefined ? '' : `, ${error.rejectCode}`}): ${error.message}`;
    case 'PEER_UNREACHABLE':
      return `The peer did not answer: ${error.message}`;
    case 'NO_KEY':
      return 'No key is unlocked.';
    case 'STORAGE_FAILED':
      return `The browser's storage failed: ${error.message}`;
  }
}
