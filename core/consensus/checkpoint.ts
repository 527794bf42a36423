/**
 * Checkpoints: the summary of finalized history that validators sign about once per
 * `checkpoint_interval_ms` of commits — PBFT's stable checkpoint on the DAG.
 *
 * DESIGN.md §2 "Finality certificate"; docs/protocol.md "Checkpoints and finality
 * certificates" for the rules as built. Encoding (docs/codec.md), fields in this order:
 *
 *   chainId                utf8{1..32}   which chain (also bound in the signed message)
 *   epoch                  u64           the committee that signs it
 *   sequence               u64           global, contiguous, from 1 (0 is the genesis itself)
 *   lastCommitIndex        u64           index of the last commit (leader) it covers
 *   commitDigest           32 B          head of the commit digest chain after that commit
 *   stateRoot              32 B          ledger state root after executing through it
 *   txRoot                 32 B          merkleRoot of the ids of the transactions executed
 *                                        since the previous checkpoint, in execution order
 *   previousCheckpointHash 32 B          checkpointHash of sequence − 1; for sequence 1, the
 *                                        genesis hash
 *   nextCommittee          option(list)  present only on an epoch's last checkpoint: the next
 *                                        epoch's validators {address, tagged key, u64 stake},
 *                                        strictly ascending by address, non-empty, stake > 0
 *
 * checkpointHash = hashDomain('kaldrix/checkpoint-hash/v1', encoding).
 * Caveat: the codec checks form, not history — whether a checkpoint follows its predecessor is
 * `certificateChain.ts`'s job, whether its roots are right is execution's.
 */
import { bytesFixed, list, option, refine, struct, u64, type Codec } from '../codec/index.ts';
import { ADDRESS_BYTES, compareBytes, createDomainHash, HASH32_BYTES, merkleRoot, type Hash32, type TaggedPublicKey } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import {
  addressCodec,
  amountCodec,
  chainIdCodec,
  publicKeyCodec,
  TAGGED_PUBLIC_KEY_MAX_BYTES,
  type Address,
  type Amount,
} from '../state/index.ts';
import { MAX_COMMITTEE_SIZE } from './committee.ts';

/** One validator of the next epoch, as the end-of-epoch checkpoint carries it. */
export type NextCommitteeMember = {
  readonly address: Address;
  readonly key: TaggedPublicKey;
  readonly stake: Amount;
};

export type Checkpoint = {
  readonly chainId: string;
  readonly epoch: bigint;
  readonly sequence: bigint;
  readonly lastCommitIndex: bigint;
  readonly commitDigest: Hash32;
  readonly stateRoot: Hash32;
  readonly txRoot: Hash32;
  readonly previousCheckpointHash: Hash32;
  /** Only on an epoch's last checkpoint. Decoded checkpoints carry the key (undefined when absent). */
  readonly nextCommittee?: readonly NextCommitteeMember[] | undefined;
};

/** Sequence of the first checkpoint; 0 names the genesis, whose hash the first one links to. */
export const FIRST_CHECKPOINT_SEQUENCE = 1n;
/** Domain of `checkpointHash`: distinct from the signing context, so a hash is never a message. */
export const CHECKPOINT_HASH_DOMAIN = 'kaldrix/checkpoint-hash/v1';

/** Why a next-committee list is not canonical, or undefined when it is. */
function nextCommitteeProblem(members: readonly NextCommitteeMember[]): string | undefined {
  if (members.length === 0) return 'next committee must not be empty (absent means no epoch change)';
  for (let i = 0; i < members.length; i++) {
    const m = members[i] as NextCommitteeMember;
    if (m.stake <= 0n) return `next committee member ${i} has zero stake`;
    // Strict order = one encoding per set, and no duplicate validator.
    if (i > 0 && compareBytes((members[i - 1] as NextCommitteeMember).address, m.address) >= 0) {
      return `next committee members must be strictly ascending by address (member ${i})`;
    }
  }
  return undefined;
}

const nextCommitteeMemberCodec: Codec<NextCommitteeMember> = struct({
  address: addressCodec,
  key: publicKeyCodec,
  stake: amountCodec,
});

const nextCommitteeCodec: Codec<readonly NextCommitteeMember[]> = refine(
  list(nextCommitteeMemberCodec, { maxItems: MAX_COMMITTEE_SIZE }),
  nextCommitteeProblem,
);

const hash32 = bytesFixed(HASH32_BYTES);

export const checkpointCodec: Codec<Checkpoint> = refine(
  struct({
    chainId: chainIdCodec,
    epoch: u64,
    sequence: u64,
    lastCommitIndex: u64,
    commitDigest: hash32,
    stateRoot: hash32,
    txRoot: hash32,
    previousCheckpointHash: hash32,
    nextCommittee: option(nextCommitteeCodec),
  }),
  (c) => (c.sequence < FIRST_CHECKPOINT_SEQUENCE ? 'checkpoint sequence 0 is reserved for the genesis' : undefined),
);

/** Fixed part: chain id ≤ 1 + 32, three u64, four hashes, the option marker. */
const CHECKPOINT_FIXED_MAX_BYTES = 1 + 32 + 3 * 8 + 4 * HASH32_BYTES + 1;
/** One next-committee entry at most: address, key (2-byte varint length + tagged ML-DSA-87 key), stake. */
const NEXT_MEMBER_MAX_BYTES = ADDRESS_BYTES + 2 + TAGGED_PUBLIC_KEY_MAX_BYTES + 8;

/**
 * Upper bound of a checkpoint's encoding with at most `nextCommitteeMembers` next members:
 * what a decoder of untrusted bytes may pass as `maxBytes`. 186 bytes without a next committee.
 */
export function checkpointMaxBytes(nextCommitteeMembers: number): number {
  if (!Number.isSafeInteger(nextCommitteeMembers) || nextCommitteeMembers < 0 || nextCommitteeMembers > MAX_COMMITTEE_SIZE) {
    throw new RangeError(`checkpointMaxBytes: nextCommitteeMembers must be in [0, ${MAX_COMMITTEE_SIZE}]`);
  }
  const listPrefix = nextCommitteeMembers === 0 ? 0 : 2; // varint count ≤ 10,000 takes 2 bytes
  return CHECKPOINT_FIXED_MAX_BYTES + listPrefix + nextCommitteeMembers * NEXT_MEMBER_MAX_BYTES;
}

/** The canonical encoding; throws RangeError/TypeError naming the field on a malformed value (a bug). */
export const encodeCheckpoint = (checkpoint: Checkpoint): Uint8Array => checkpointCodec.encode(checkpoint);

/** Decodes untrusted bytes; the result is frozen. */
export const decodeCheckpoint = (bytes: Uint8Array, maxBytes = checkpointMaxBytes(MAX_COMMITTEE_SIZE)) =>
  checkpointCodec.decode(bytes, { maxBytes });

/** The canonical encoding, or why the in-memory value has none (for values from storage). */
export function tryEncodeCheckpoint(checkpoint: Checkpoint): Result<Uint8Array, string> {
  try {
    return ok(checkpointCodec.encode(checkpoint));
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) return err(e.message);
    throw e;
  }
}

const checkpointDigest = createDomainHash(CHECKPOINT_HASH_DOMAIN);

/** hashDomain('kaldrix/checkpoint-hash/v1', encoding): what links checkpoints and is signed. */
export function checkpointHash(checkpoint: Checkpoint): Hash32 {
  return checkpointDigest(encodeCheckpoint(checkpoint));
}

/** Hash of an encoding already at hand (saves re-encoding a large end-of-epoch checkpoint). */
export const checkpointHashOfEncoding = (encoding: Uint8Array): Hash32 => checkpointDigest(encoding);

/**
 * The `txRoot` rule: merkleRoot (RFC 9162 shape, BLAKE3) over the ids of the transactions
 * executed since the previous checkpoint, in execution order; EMPTY_MERKLE_ROOT when none.
 */
export function checkpointTxRoot(txIds: readonly Hash32[]): Hash32 {
  return merkleRoot(txIds);
}

/** True when this is its epoch's last checkpoint (it carries the next committee). */
export const isEndOfEpoch = (checkpoint: Checkpoint): boolean => checkpoint.nextCommittee !== undefined;
