/**
 * The ledger's vocabulary: addresses, amounts, transactions, accounts and double-signing
 * evidence, as plain readonly TypeScript types.
 *
 * DESIGN.md §2 Ledger. The canonical byte encodings live beside each concept (`txCodec.ts`,
 * `account.ts`, `evidence.ts`); these types are what decoders return (deeply frozen) and what
 * execution and the mempool read. Byte fields are `Uint8Array` copies that never alias a
 * receive buffer.
 *
 * Units: every amount is a bigint number of base units in [0, 2^64 − 1] (u64). Epochs and
 * nonces are u64 bigints too, since they are counters a chain may run for decades.
 */
import type { Signature, TaggedPublicKey } from '../crypto/index.ts';

/** Largest value of every u64 field: amounts, nonces, epochs. */
export const U64_MAX = (1n << 64n) - 1n;

/**
 * A 33-byte binary account address: version (0) || BLAKE3 digest of (scheme tag, public key),
 * made by `addressFromPublicKey` in core/crypto; `kdx1…` text via encodeAddress/parseAddress.
 */
export type Address = Uint8Array;

/** An amount of base units, 0 ≤ amount ≤ U64_MAX. */
export type Amount = bigint;

/** Moves `amount` from the sender's balance to `to` (an existing account or a new one). */
export type TransferBody = { readonly to: Address; readonly amount: Amount };

/**
 * Moves `amount` from the sender's balance into its stake. The sender becomes (or stays) a
 * validator candidate whose validator key is its account key; the change takes effect at the
 * next epoch boundary.
 */
export type BondBody = { readonly amount: Amount };

/** Moves `amount` of stake into an unbonding entry released `unbonding_epochs` later. */
export type UnbondBody = { readonly amount: Amount };

/**
 * Replaces the sender's account key at the next epoch. Signed, like every transaction, by the
 * current key; `possession` is a signature by the NEW key over `keyPossessionMessage(chainId,
 * sender, nonce)` under context `kaldrix/keyrotate/v1`, proving the new key is held (so nobody
 * can claim another party's key).
 */
export type RotateKeyBody = { readonly newKey: TaggedPublicKey; readonly possession: Signature };

/** Submits proof that a validator signed two conflicting messages for one slot (`evidence.ts`). */
export type EvidenceBody = { readonly evidence: Evidence };

/** The transaction kinds, as the codec union carries them (`kind` = variant name on the wire). */
export type TxBody =
  | { readonly kind: 'transfer'; readonly value: TransferBody }
  | { readonly kind: 'bond'; readonly value: BondBody }
  | { readonly kind: 'unbond'; readonly value: UnbondBody }
  | { readonly kind: 'rotate-key'; readonly value: RotateKeyBody }
  | { readonly kind: 'evidence'; readonly value: EvidenceBody };

export type TxKind = TxBody['kind'];

/**
 * An unsigned transaction. Replay protection: `chainId` (≤ 32 UTF-8 bytes) pins the chain,
 * `nonce` (the sender's account nonce, starting at 0) pins the position in the sender's
 * sequence. `fee` is paid to the chain whatever the body's outcome once the tx executes.
 */
export type Tx = {
  readonly chainId: string;
  readonly sender: Address;
  readonly nonce: bigint;
  readonly fee: Amount;
  readonly body: TxBody;
};

/**
 * A transaction with its signature. `publicKey` is carried only by the first transaction of an
 * account that has no key on record (it received funds by address); it must then derive
 * `tx.sender`. Otherwise it is absent and the key on record verifies the signature.
 */
export type SignedTx = {
  readonly tx: Tx;
  readonly publicKey?: TaggedPublicKey | undefined;
  readonly signature: Signature;
};

/** Stake on its way out: released to the balance at the start of `releaseEpoch`. */
export type UnbondingEntry = { readonly amount: Amount; readonly releaseEpoch: bigint };

/**
 * One account: the value stored under its address in the state tree (its canonical encoding
 * is the Merkle leaf value, `account.ts`).
 * - `key`: the key that verifies the account's transactions; absent until the account's first
 *   transaction (an account created by a transfer to its address has none).
 * - `pendingKey`: a rotated key waiting for the next epoch boundary, when it replaces `key`.
 * - `unbonding`: strictly increasing `releaseEpoch`s, positive amounts (one entry per release
 *   epoch: execution merges unbonds that release in the same epoch).
 */
export type Account = {
  readonly balance: Amount;
  readonly nonce: bigint;
  readonly key?: TaggedPublicKey | undefined;
  readonly stake: Amount;
  readonly unbonding: readonly UnbondingEntry[];
  readonly pendingKey?: TaggedPublicKey | undefined;
};

/** The two kinds of consensus message whose double signing is slashable. */
export type EvidenceContext = 'vertex' | 'checkpoint';

/** A message exactly as signed (without the context framing) and its signature. */
export type SignedMessage = { readonly message: Uint8Array; readonly signature: Signature };

/**
 * Double-signing evidence: two different messages for the same slot, both signed by
 * `offender` under the same context. See `evidence.ts` for the slot-header contract.
 */
export type Evidence = {
  readonly context: EvidenceContext;
  readonly offender: Address;
  readonly first: SignedMessage;
  readonly second: SignedMessage;
};
