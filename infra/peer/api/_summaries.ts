/**
 * Readable forms of what the node stores as bytes: certificates and signed vertices are
 * decoded with core's own decoders for their summaries, and shipped alongside their canonical
 * encodings (hex and base64) so a light client can verify the bytes, not the summary.
 * The bytes come from this node's own store: a decode failure is corruption or a bug, so it
 * throws (the server answers 500), it is never shown as data.
 */
import { checkpointHash, decodeCertificate, signerIndices, type Certificate } from '../../../core/consensus/index.ts';
import type { Committee } from '../../../core/consensus/committee.ts';
import { encodeAddress, type TaggedPublicKey } from '../../../core/crypto/index.ts';
import { decodeSignedVertex, vertexDigest } from '../../../core/dag/index.ts';
import type { Account } from '../../../core/state/index.ts';
import { bytesBoth } from './_json.ts';

function decodeStoredCertificate(encoded: Uint8Array): Certificate {
  const decoded = decodeCertificate(encoded, encoded.length);
  if (!decoded.ok) throw new Error(`stored certificate does not decode: ${decoded.error.code}`);
  return decoded.value;
}

const keyJson = (key: TaggedPublicKey) => ({ scheme: key.scheme, publicKey: key.publicKey });

/** One line of the checkpoint list. */
export function checkpointSummary(encoded: Uint8Array) {
  const { checkpoint, signers } = decodeStoredCertificate(encoded);
  return {
    sequence: checkpoint.sequence,
    epoch: checkpoint.epoch,
    chainId: checkpoint.chainId,
    lastCommitIndex: checkpoint.lastCommitIndex,
    hash: checkpointHash(checkpoint),
    commitDigest: checkpoint.commitDigest,
    stateRoot: checkpoint.stateRoot,
    txRoot: checkpoint.txRoot,
    previousCheckpointHash: checkpoint.previousCheckpointHash,
    signerCount: [...signerIndices(signers)].length,
    memberCount: signers.memberCount,
    endsEpoch: checkpoint.nextCommittee !== undefined,
  };
}

/** One checkpoint with its whole certificate. */
export function checkpointDetail(encoded: Uint8Array) {
  const { checkpoint, signers, signatures } = decodeStoredCertificate(encoded);
  return {
    ...checkpointSummary(encoded),
    signers: [...signerIndices(signers)],
    signatureSchemes: signatures.map((s) => s.scheme),
    nextCommittee: checkpoint.nextCommittee?.map((m) => ({ address: encodeAddress(m.address), stake: m.stake, key: keyJson(m.key) })),
    certificate: bytesBoth(encoded),
  };
}

export function vertexDetail(encoded: Uint8Array) {
  const decoded = decodeSignedVertex(encoded);
  if (!decoded.ok) throw new Error(`stored vertex does not decode: ${decoded.error.code}`);
  const { vertex, signature } = decoded.value;
  return {
    epoch: vertex.epoch,
    round: vertex.round,
    author: vertex.author,
    digest: vertexDigest(vertex),
    chainId: vertex.chainId,
    timestampMs: vertex.timestampMs,
    parents: vertex.parents.map((p) => ({ round: p.round, author: p.author, digest: p.digest })),
    transactionCount: vertex.transactions.length,
    evidenceCount: vertex.evidence.length,
    checkpointVoteSequence: vertex.checkpointSignature?.sequence,
    signatureScheme: signature.scheme,
    vertex: bytesBoth(encoded),
  };
}

export function accountJson(account: Account) {
  return {
    balance: account.balance,
    nonce: account.nonce,
    stake: account.stake,
    key: account.key === undefined ? undefined : keyJson(account.key),
    pendingKey: account.pendingKey === undefined ? undefined : keyJson(account.pendingKey),
    unbonding: account.unbonding,
  };
}

export function committeeJson(committee: Committee) {
  return {
    epoch: committee.epoch,
    totalStake: committee.totalStake,
    quorumStake: committee.quorumStake,
    validators: committee.members.map((m) => ({ index: m.index, address: encodeAddress(m.address), stake: m.stake, key: keyJson(m.key) })),
  };
}
