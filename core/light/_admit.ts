/**
 * The one path by which a certificate becomes trusted, shared by `acceptCheckpoint` and
 * `advanceEpoch`. Cheapest checks first (DESIGN.md §2 Light client: "cheap-first: signer
 * bitmap and stake first, signatures last"):
 *
 *   1. chain id                                   WRONG_CHAIN
 *   2. checkpoint hash; already accepted? → answered from the cache, no signature checked
 *   3. newer than the head                        STALE_CHECKPOINT
 *   4. epoch = the trusted committee's            WRONG_EPOCH
 *   5. the end-of-epoch requirement (advance)     NOT_END_OF_EPOCH
 *   6. follows the head: the full link rules of `verifyCertificateChain` when it is the very
 *      next sequence, else (skipping within the epoch, docs/protocol.md "The chain and the
 *      committee ratchet") a larger commit index                        BROKEN_CHAIN
 *   7. `verifyCertificate`: bitmap, stake, schemes, encoding, then signatures through
 *      `verifyUntilQuorum` (stops at a quorum)      CertReject codes / WRONG_VALIDATOR_SET
 *
 * A verifier failure (a closed or full pool) rejects the promise: it says nothing about the
 * certificate. The new state keeps the checkpoint and its hash, never the signatures.
 */
import {
  emptySignerBitmap,
  isEndOfEpoch,
  nextCommitteeOf,
  tryEncodeCheckpoint,
  checkpointHashOfEncoding,
  verifyCertificate,
  verifyCertificateChain,
  type Certificate,
  type CertReport,
} from '../consensus/index.ts';
import { bytesEqual, toHex, type Hash32 } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import { committeeHash } from './committeeCodec.ts';
import type { CheckpointReject } from './rejects.ts';
import { ACCEPTED_CACHE_ENTRIES, MAX_EPOCH_LINKS, type EpochLink, type LightState, type LightVerifier, type TrustedCheckpoint } from './types.ts';

export type Admitted = {
  readonly state: LightState;
  readonly checkpoint: TrustedCheckpoint;
  /** Undefined when answered from the cache of accepted hashes (no signature was checked). */
  readonly report: CertReport | undefined;
};

export type AdmitMode = 'any' | 'endOfEpoch';

export async function admitCertificate(
  state: LightState,
  certificate: Certificate,
  verifier: LightVerifier,
  mode: AdmitMode,
): Promise<Result<Admitted, CheckpointReject>> {
  const { checkpoint } = certificate;
  if (checkpoint.chainId !== state.chainId) return err({ code: 'WRONG_CHAIN', expected: state.chainId, actual: checkpoint.chainId });
  const encoding = tryEncodeCheckpoint(checkpoint);
  if (!encoding.ok) return err({ code: 'MALFORMED_CHECKPOINT', reason: encoding.error });
  const hash = checkpointHashOfEncoding(encoding.value);
  const cached = admitFromCache(state, certificate, hash, mode);
  if (cached !== undefined) return cached;
  const precheck = checkPosition(state, certificate, hash, mode);
  if (!precheck.ok) return precheck;
  const verified = await verifyCertificate(certificate, { chainId: state.chainId, committee: state.committee }, verifier);
  if (!verified.ok) return err(splitSignatureReject(verified.error, state.committee.epoch));
  const trusted: TrustedCheckpoint = Object.freeze({ checkpoint, hash });
  return ok(Object.freeze({ state: withHead(state, certificate, trusted), checkpoint: trusted, report: verified.value }));
}

/** A checkpoint verified before: answered without signatures (its content is identical by its hash). */
function admitFromCache(state: LightState, certificate: Certificate, hash: Hash32, mode: AdmitMode): Result<Admitted, CheckpointReject> | undefined {
  if (!state.acceptedHashes.includes(toHex(hash))) return undefined;
  const { checkpoint } = certificate;
  if (mode === 'endOfEpoch' && !isEndOfEpoch(checkpoint)) return err({ code: 'NOT_END_OF_EPOCH', epoch: checkpoint.epoch, sequence: checkpoint.sequence });
  return ok(Object.freeze({ state, checkpoint: Object.freeze({ checkpoint, hash }), report: undefined }));
}

/** Steps 3–6: where the certificate stands relative to what the state trusts. */
function checkPosition(state: LightState, certificate: Certificate, hash: Hash32, mode: AdmitMode): Result<void, CheckpointReject> {
  const { checkpoint } = certificate;
  const { head } = state;
  if (head !== undefined && checkpoint.sequence <= head.checkpoint.sequence) {
    const conflictsWithHead = checkpoint.sequence === head.checkpoint.sequence && !bytesEqual(hash, head.hash);
    return err({ code: 'STALE_CHECKPOINT', sequence: checkpoint.sequence, headSequence: head.checkpoint.sequence, conflictsWithHead, headHash: head.hash });
  }
  if (checkpoint.epoch !== state.committee.epoch) return err({ code: 'WRONG_EPOCH', committeeEpoch: state.committee.epoch, checkpointEpoch: checkpoint.epoch });
  if (mode === 'endOfEpoch' && !isEndOfEpoch(checkpoint)) return err({ code: 'NOT_END_OF_EPOCH', epoch: checkpoint.epoch, sequence: checkpoint.sequence });
  return checkLink(state, certificate);
}

function checkLink(state: LightState, certificate: Certificate): Result<void, CheckpointReject> {
  const { head, root } = state;
  const { checkpoint } = certificate;
  if (head === undefined) {
    // Genesis-rooted and nothing trusted yet: sequence 1 must link to the genesis hash.
    if (root.kind !== 'genesis' || checkpoint.sequence !== 1n) return ok(undefined);
    const linked = verifyCertificateChain(root.genesisHash, certificate);
    return linked.ok ? linked : err({ code: 'BROKEN_CHAIN', reason: linked.error });
  }
  if (checkpoint.sequence === head.checkpoint.sequence + 1n) {
    // The chain rules read only the previous checkpoint; its signatures were dropped long ago.
    const previous: Certificate = { checkpoint: head.checkpoint, signers: emptySignerBitmap(1), signatures: [] };
    const linked = verifyCertificateChain(previous, certificate);
    return linked.ok ? linked : err({ code: 'BROKEN_CHAIN', reason: linked.error });
  }
  if (checkpoint.lastCommitIndex <= head.checkpoint.lastCommitIndex) {
    return err({ code: 'BROKEN_CHAIN', reason: { code: 'COMMIT_INDEX_NOT_INCREASING', previous: head.checkpoint.lastCommitIndex, actual: checkpoint.lastCommitIndex } });
  }
  return ok(undefined);
}

/** BAD_SIGNATURES with nothing valid among the checked signatures: another validator set signed. */
function splitSignatureReject(reason: CheckpointReject, committeeEpoch: bigint): CheckpointReject {
  if (reason.code !== 'BAD_SIGNATURES' || reason.validStake > 0n) return reason;
  return { code: 'WRONG_VALIDATOR_SET', committeeEpoch, invalidSigners: reason.invalidSigners };
}

/** The state after trusting `trusted`: new head, and at an epoch's end the next committee and a link. */
function withHead(state: LightState, certificate: Certificate, trusted: TrustedCheckpoint): LightState {
  const next = nextCommitteeOf(certificate);
  const acceptedHashes = Object.freeze([...state.acceptedHashes, toHex(trusted.hash)].slice(-ACCEPTED_CACHE_ENTRIES));
  if (next === undefined) return Object.freeze({ ...state, head: trusted, acceptedHashes });
  const link: EpochLink = Object.freeze({
    epoch: trusted.checkpoint.epoch,
    sequence: trusted.checkpoint.sequence,
    checkpointHash: trusted.hash,
    nextCommitteeHash: committeeHash(next),
  });
  const epochChain = Object.freeze([...state.epochChain, link].slice(-MAX_EPOCH_LINKS));
  return Object.freeze({ ...state, committee: next, head: trusted, epochChain, acceptedHashes });
}
