/**
 * Builder of the checkpoint and certificate known-answer vectors (`checkpoints.json`).
 *
 * Pure: keys come from the PUBLIC label seeds of core/state/genesisSeeds.ts (labels
 * `checkpoint-vector-validator-<i>`), signatures from deterministic ML-DSA-44 signing with the
 * backend passed in (the noble reference backend), so the output is identical on every run.
 * The vectors pin KALDRIX's own encodings as built; they are not third-party vectors.
 */
import { addressFromPublicKey, CONTEXTS, createLocalSigner, hashDomain, schemeInfo, toHex, type Hash32, type SignatureBackend } from '../../crypto/index.ts';
import { keyPairFromLabel } from '../../state/index.ts';
import { encodeCertificate } from '../certificate.ts';
import { assembleCertificate } from '../certificateAggregator.ts';
import { checkpointHash, encodeCheckpoint, type Checkpoint } from '../checkpoint.ts';
import { checkpointSignedMessage, signCheckpoint } from '../checkpointSign.ts';
import { createCommittee, type Committee } from '../committee.ts';

export const VECTOR_CHAIN_ID = 'kaldrix-vectors';
/** A stand-in genesis hash: the vectors pin the checkpoint format, not a particular genesis. */
export const VECTOR_GENESIS_HASH: Hash32 = hashDomain('kaldrix/vectors/genesis', new Uint8Array(0));
const VALIDATOR_STAKES = [100n, 200n, 300n, 400n] as const;
/** Which members sign the vector certificate: stake 100 + 200 + 400 of 1,000 (quorum 667). */
const CERTIFICATE_SIGNERS = [0, 1, 3] as const;

export type CheckpointVectorFile = {
  readonly source: string;
  readonly chain_id: string;
  readonly context: string;
  readonly validators: readonly { readonly label: string; readonly address_hex: string; readonly public_key_hex: string; readonly stake: string }[];
  readonly checkpoints: readonly {
    readonly name: string;
    readonly fields: Record<string, unknown>;
    readonly encoding_hex: string;
    readonly hash_hex: string;
    readonly signed_message_hex: string;
    readonly signer_index: number;
    readonly signature_hex: string;
  }[];
  readonly certificate: { readonly checkpoint: string; readonly signer_indices: readonly number[]; readonly encoding_hex: string };
};

export function checkpointFieldsJson(c: Checkpoint): Record<string, unknown> {
  return {
    chain_id: c.chainId,
    epoch: c.epoch.toString(),
    sequence: c.sequence.toString(),
    last_commit_index: c.lastCommitIndex.toString(),
    commit_digest: toHex(c.commitDigest),
    state_root: toHex(c.stateRoot),
    tx_root: toHex(c.txRoot),
    previous_checkpoint_hash: toHex(c.previousCheckpointHash),
    next_committee:
      c.nextCommittee?.map((m) => ({ address: toHex(m.address), scheme: m.key.scheme, public_key: toHex(m.key.publicKey), stake: m.stake.toString() })) ??
      null,
  };
}

const LABEL = (i: number): string => `checkpoint-vector-validator-${i}`;

export function vectorCommittee(backend: SignatureBackend): { committee: Committee; keyPairs: ReturnType<typeof keyPairFromLabel>[] } {
  const pairs = VALIDATOR_STAKES.map((stake, i) => {
    const keyPair = keyPairFromLabel(backend, 'ml-dsa-44', LABEL(i));
    return { keyPair, stake, address: addressFromPublicKey(schemeInfo('ml-dsa-44').tag, keyPair.publicKey) };
  });
  const committee = createCommittee(
    0n,
    pairs.map((p) => ({ address: p.address, key: { scheme: p.keyPair.scheme, publicKey: p.keyPair.publicKey }, stake: p.stake })),
  );
  // Key pairs by committee index (members are sorted by address).
  const keyPairs = committee.members.map((m) => (pairs.find((p) => p.address === m.address) as (typeof pairs)[number]).keyPair);
  return { committee, keyPairs };
}

export async function buildCheckpointVectors(backend: SignatureBackend): Promise<CheckpointVectorFile> {
  const { committee, keyPairs } = vectorCommittee(backend);
  const signers = keyPairs.map((k) => createLocalSigner(backend, k));
  const filled = (b: number): Uint8Array => new Uint8Array(32).fill(b);
  const first: Checkpoint = {
    chainId: VECTOR_CHAIN_ID,
    epoch: 0n,
    sequence: 1n,
    lastCommitIndex: 42n,
    commitDigest: filled(0x11),
    stateRoot: filled(0x22),
    txRoot: filled(0x33),
    previousCheckpointHash: VECTOR_GENESIS_HASH,
  };
  const endOfEpoch: Checkpoint = {
    ...first,
    sequence: 2n,
    lastCommitIndex: 97n,
    commitDigest: filled(0x44),
    stateRoot: filled(0x55),
    txRoot: filled(0x66),
    previousCheckpointHash: checkpointHash(first),
    // The same validators with doubled stake hand over to epoch 1.
    nextCommittee: committee.members.map((m) => ({ address: m.address, key: m.key, stake: m.stake * 2n })),
  };
  const named = [
    ['first', first],
    ['end-of-epoch', endOfEpoch],
  ] as const;
  const checkpoints = [];
  for (const [name, c] of named) {
    const signerIndex = name === 'first' ? 0 : 3;
    const vote = await signCheckpoint(signers[signerIndex] as (typeof signers)[number], c);
    checkpoints.push({
      name,
      fields: checkpointFieldsJson(c),
      encoding_hex: toHex(encodeCheckpoint(c)),
      hash_hex: toHex(checkpointHash(c)),
      signed_message_hex: toHex(checkpointSignedMessage(c)),
      signer_index: signerIndex,
      signature_hex: toHex(vote.signature.bytes),
    });
  }
  const votes = await Promise.all(CERTIFICATE_SIGNERS.map(async (i) => ({ memberIndex: i, vote: await signCheckpoint(signers[i] as (typeof signers)[number], endOfEpoch) })));
  const certificate = assembleCertificate(committee, endOfEpoch, votes);
  if (!certificate.ok) throw new Error(`buildCheckpointVectors: ${certificate.error.code}`);
  return {
    source: 'core/consensus/vectors/test/generate.ts (keys: core/state/genesisSeeds.ts labels checkpoint-vector-validator-<i>, deterministic ML-DSA-44 signing with the noble backend)',
    chain_id: VECTOR_CHAIN_ID,
    context: CONTEXTS.checkpoint,
    validators: committee.members.map((m) => ({
      label: LABEL(VALIDATOR_STAKES.indexOf(m.stake as (typeof VALIDATOR_STAKES)[number])),
      address_hex: toHex(m.address),
      public_key_hex: toHex(m.key.publicKey),
      stake: m.stake.toString(),
    })),
    checkpoints,
    certificate: { checkpoint: 'end-of-epoch', signer_indices: [...CERTIFICATE_SIGNERS], encoding_hex: toHex(encodeCertificate(certificate.value)) },
  };
}

export const checkpointVectorsText = (file: CheckpointVectorFile): string => `${JSON.stringify(file, null, 2)}\n`;
