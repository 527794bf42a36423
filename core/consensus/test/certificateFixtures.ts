// Test fixtures for checkpoints and certificates: committees of real ML-DSA-44 validators with
// keys from public labels (core/state/genesisSeeds.ts), deterministic signing with the noble
// reference backend, and an in-thread verify pool (the real pool, no workers, no cache so every
// signature is really checked).
import {
  addressFromPublicKey,
  createLocalSigner,
  createNobleBackend,
  createVerifyPool,
  hashDomain,
  schemeInfo,
  type SchemeName,
  type Signer,
  type TaggedPublicKey,
} from '../../crypto/index.ts';
import { keyPairFromLabel } from '../../state/index.ts';
import type { Checkpoint } from '../checkpoint.ts';
import { signCheckpoint, type CheckpointVote } from '../checkpointSign.ts';
import { createCommittee, type Committee } from '../committee.ts';

export const backend = createNobleBackend();
export const CHAIN = 'kaldrix-test';
export const GENESIS_HASH = hashDomain('kaldrix/test/genesis', new Uint8Array(0));

export const verifier = createVerifyPool({ fallback: backend }, { workers: 0, cacheEntries: 0 });

export type Validators = {
  readonly committee: Committee;
  /** Signers by committee member index (members are sorted by address). */
  readonly signers: readonly Signer[];
};

/** A committee of `stakes.length` validators with keys from `${label}-${i}` labels. */
export function makeValidators(label: string, stakes: readonly bigint[], epoch = 0n, scheme: SchemeName = 'ml-dsa-44'): Validators {
  const pairs = stakes.map((stake, i) => {
    const keyPair = keyPairFromLabel(backend, scheme, `${label}-${i}`);
    const key: TaggedPublicKey = { scheme, publicKey: keyPair.publicKey };
    return { keyPair, entry: { address: addressFromPublicKey(schemeInfo(scheme).tag, keyPair.publicKey), key, stake } };
  });
  const committee = createCommittee(epoch, pairs.map((p) => p.entry));
  const signers = committee.members.map((m) => {
    const pair = pairs.find((p) => p.entry.address === m.address);
    if (pair === undefined) throw new Error('fixture: member without a key pair');
    return createLocalSigner(backend, pair.keyPair);
  });
  return { committee, signers };
}

const filled = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

export function sampleCheckpoint(over: Partial<Checkpoint> = {}): Checkpoint {
  return {
    chainId: CHAIN,
    epoch: 0n,
    sequence: 1n,
    lastCommitIndex: 10n,
    commitDigest: filled(1),
    stateRoot: filled(2),
    txRoot: filled(3),
    previousCheckpointHash: GENESIS_HASH,
    ...over,
  };
}

/** Votes of the given members (all members when omitted), really signed. */
export async function voteAll(
  v: Validators,
  checkpoint: Checkpoint,
  indices: readonly number[] = v.committee.members.map((m) => m.index),
): Promise<{ memberIndex: number; vote: CheckpointVote }[]> {
  return Promise.all(
    indices.map(async (memberIndex) => ({ memberIndex, vote: await signCheckpoint(v.signers[memberIndex] as Signer, checkpoint) })),
  );
}
