/**
 * core/light — the light client, pure: trust a genesis or a pinned checkpoint, ratchet through
 * end-of-epoch certificates, verify the newest finality certificate (cheap checks first,
 * signatures last, stopping at a quorum, known checkpoints cached), verify account proofs
 * against the certified state root, give every answer a verification receipt, turn two
 * conflicting certified checkpoints into exportable evidence, and persist and re-check what
 * it verified. DESIGN.md §2 Light client; the rules as built: docs/light-client.md.
 * Time, storage and the network belong to the shell (the browser worker): they come in as
 * arguments and go out as values.
 */
export {
  ACCEPTED_CACHE_ENTRIES,
  MAX_EPOCH_LINKS,
  type EpochLink,
  type LightState,
  type LightVerifier,
  type TrustRoot,
  type TrustedCheckpoint,
} from './types.ts';
export type { CheckpointReject, CheckpointRejectCode } from './rejects.ts';
export {
  DEFAULT_MAX_PIN_AGE_MS,
  pinWarnings,
  trustCheckpoint,
  trustGenesis,
  type PinOptions,
  type PinReject,
  type PinnedCheckpoint,
  type PinnedTrust,
  type TrustWarning,
} from './trustRoot.ts';
export { advanceEpoch, syncEpochs, type SyncOutcome, type SyncProgress } from './advanceEpoch.ts';
export { acceptCheckpoint, type Accepted } from './acceptCheckpoint.ts';
export {
  ACCOUNT_PROOF_MAX_BYTES,
  accountProofMessageCodec,
  encodeAccountProofMessage,
  verifyAccount,
  type AccountProofMessage,
  type AccountProofReject,
  type VerifiedAccount,
} from './accountProof.ts';
export {
  MAX_RECEIPT_PEERS,
  makeReceipt,
  sameCertifiedCheckpoint,
  withServingPeer,
  type ProofChecked,
  type VerificationReceipt,
} from './receipt.ts';
export {
  DEFAULT_EVIDENCE_MAX_BYTES,
  EVIDENCE_PEER_MAX_BYTES,
  LIGHT_EVIDENCE_JSON_FORMAT,
  buildLightEvidence,
  decodeLightEvidence,
  encodeLightEvidence,
  lightEvidenceBytesFromJson,
  lightEvidenceCodec,
  lightEvidenceToJson,
  offenderSlashingEvidence,
  verifyLightEvidence,
  type ConflictReject,
  type EvidenceExpectations,
  type EvidenceJsonReject,
  type EvidenceReject,
  type EvidenceReport,
  type LightEvidence,
  type ServedCertificate,
} from './evidence.ts';
export { COMMITTEE_HASH_DOMAIN, committeeCodec, committeeHash, decodeCommittee, encodeCommittee } from './committeeCodec.ts';
export {
  LIGHT_STATE_VERSION,
  decodeLightState,
  encodeLightState,
  lightStateCodec,
  loadLightState,
  type LoadReject,
} from './stateCodec.ts';
export { recheckLightState, type RecheckReject } from './recheck.ts';
