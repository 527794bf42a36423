/**
 * Account answers a light client can check: an account (or its absence) with a state proof
 * against the state root of the certified head checkpoint.
 *
 * DESIGN.md §2 Ledger ("inclusion and exclusion proofs that a light client verifies against a
 * certified root") and Light client ("never shows an unverified value as verified"). A peer's
 * answer is one canonical message (docs/codec.md):
 *
 *   stateRoot  32 B            the root the peer proved against
 *   address    33 B            the account asked for
 *   account    option(account) the account (core/state/account.ts), absent = none stored
 *   proof      state proof     docs/state-tree.md §Proofs
 *
 * The stated root lets the client tell "proved against a root I do not trust (yet)" —
 * typically a peer ahead or behind the client's head — from a proof that is simply false.
 * The stated root is never trusted: the proof is checked against the HEAD's root only.
 * An exclusion proof stands for the empty account (the tree omits empty accounts).
 */
import { bytesFixed, option, struct, type Codec, type DecodeError } from '../codec/index.ts';
import { ADDRESS_BYTES, bytesEqual, HASH32_BYTES, type Hash32 } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import {
  accountCodec,
  addressCodec,
  EMPTY_ACCOUNT,
  MAX_UNBONDING_ENTRIES_LIMIT,
  smt,
  TAGGED_PUBLIC_KEY_MAX_BYTES,
  verifyAccountProof,
  type Account,
  type AccountProof,
  type Address,
} from '../state/index.ts';
import { makeReceipt, type VerificationReceipt } from './receipt.ts';
import type { LightState } from './types.ts';

export type AccountProofMessage = {
  readonly stateRoot: Hash32;
  readonly address: Address;
  readonly account?: Account | undefined;
  readonly proof: smt.StateProof;
};

export const accountProofMessageCodec: Codec<AccountProofMessage> = struct({
  stateRoot: bytesFixed(HASH32_BYTES),
  address: addressCodec,
  account: option(accountCodec),
  proof: smt.StateProofCodec,
});

/** Largest account: u64 balance, nonce, stake; two optional tagged keys (2-byte length each); 64 unbonding entries. */
const ACCOUNT_MAX_BYTES = 3 * 8 + 2 * (1 + 2 + TAGGED_PUBLIC_KEY_MAX_BYTES) + 1 + MAX_UNBONDING_ENTRIES_LIMIT * 16;
/** Bound passed to the decoder, so a peer cannot make the client read more. */
export const ACCOUNT_PROOF_MAX_BYTES = HASH32_BYTES + ADDRESS_BYTES + 1 + ACCOUNT_MAX_BYTES + smt.MAX_STATE_PROOF_BYTES;

/** The answer a full peer sends for `address`, from `proveAccount(ledger, address)` and the ledger's root. */
export function encodeAccountProofMessage(stateRoot: Hash32, address: Address, proved: AccountProof): Uint8Array {
  return accountProofMessageCodec.encode({ stateRoot, address, account: proved.account ?? undefined, proof: proved.proof });
}

export type AccountProofReject =
  /** The client trusts no checkpoint yet (genesis-rooted, nothing accepted): no certified root. */
  | { readonly code: 'NO_CERTIFIED_ROOT' }
  | { readonly code: 'MALFORMED_PROOF'; readonly reason: DecodeError }
  | { readonly code: 'WRONG_ADDRESS'; readonly expected: Address; readonly actual: Address }
  /** Proved against another root than the head's (a peer on another checkpoint, or lying). */
  | { readonly code: 'WRONG_ROOT'; readonly expected: Hash32; readonly actual: Hash32 }
  /** The proof does not hash to the certified root for this account: false. */
  | { readonly code: 'BAD_PROOF' };

export type VerifiedAccount = {
  /** The proven account; the empty account when absence was proven. */
  readonly account: Account;
  /** False when the proof showed that no account is stored at the address. */
  readonly exists: boolean;
  readonly receipt: VerificationReceipt;
};

/** Checks a peer's account answer against the certified head's state root. */
export function verifyAccount(state: LightState, address: Address, proofBytes: Uint8Array, servedBy: readonly string[] = []): Result<VerifiedAccount, AccountProofReject> {
  const { head } = state;
  if (head === undefined) return err({ code: 'NO_CERTIFIED_ROOT' });
  const decoded = accountProofMessageCodec.decode(proofBytes, { maxBytes: ACCOUNT_PROOF_MAX_BYTES });
  if (!decoded.ok) return err({ code: 'MALFORMED_PROOF', reason: decoded.error });
  const message = decoded.value;
  if (!bytesEqual(message.address, address)) return err({ code: 'WRONG_ADDRESS', expected: address, actual: message.address });
  const root = head.checkpoint.stateRoot;
  if (!bytesEqual(message.stateRoot, root)) return err({ code: 'WRONG_ROOT', expected: root, actual: message.stateRoot });
  const account = message.account ?? null;
  if (!verifyAccountProof(root, address, account, message.proof)) return err({ code: 'BAD_PROOF' });
  const exists = account !== null;
  return ok(Object.freeze({
    account: account ?? EMPTY_ACCOUNT,
    exists,
    receipt: makeReceipt(head, exists ? 'account-inclusion' : 'account-exclusion', servedBy),
  }));
}
