/**
 * core/consensus — PBFT on a round-based DAG: the committee's quorum arithmetic, the
 * stake-weighted leader schedule, the commit rule (direct commit, direct skip = view change,
 * indirect decision), the linearizer and commit digest chain, and finality checkpoints with
 * their certificates (aggregation, light-client verification, chain and committee ratchet).
 * DESIGN.md §2 DAG and consensus; the rules as built: docs/protocol.md.
 */
export {
  MAX_COMMITTEE_SIZE,
  createCommittee,
  isQuorum,
  isValidity,
  memberStake,
  stakeOf,
  type Committee,
  type CommitteeMember,
} from './committee.ts';
export {
  createLeaderSchedule,
  epochLeaderSeed,
  leaderOf,
  type LeaderElector,
  type LeaderSchedule,
} from './leaderSchedule.ts';
export {
  CommitRuleInvariantError,
  WAVE_LENGTH_ROUNDS,
  ZERO_COMMIT_COUNTERS,
  countDecisions,
  isBlame,
  isCommitVertex,
  isVote,
  tryDecide,
  type CommitCounters,
  type DecisionHow,
  type LeaderDecision,
} from './commitRule.ts';
export {
  createLinearizer,
  gcRoundAfter,
  type CommittedSubDag,
  type Linearizer,
  type LinearizerInit,
} from './linearize.ts';
export {
  COMMIT_DIGEST_DOMAIN,
  commitDigestChain,
  nextCommitDigest,
} from './commitDigest.ts';
export {
  CHECKPOINT_HASH_DOMAIN,
  FIRST_CHECKPOINT_SEQUENCE,
  checkpointCodec,
  checkpointHash,
  checkpointHashOfEncoding,
  checkpointMaxBytes,
  checkpointTxRoot,
  decodeCheckpoint,
  encodeCheckpoint,
  isEndOfEpoch,
  tryEncodeCheckpoint,
  type Checkpoint,
  type NextCommitteeMember,
} from './checkpoint.ts';
export {
  CHECKPOINT_SIGNING_CONTEXT,
  checkpointEquivocationEvidence,
  checkpointMessageOfHash,
  checkpointSignedMessage,
  checkpointVoteCodec,
  checkpointVoteItem,
  signCheckpoint,
  type CheckpointVote,
} from './checkpointSign.ts';
export {
  checkSignerBitmap,
  emptySignerBitmap,
  hasSigner,
  signerBitmapBytes,
  signerBitmapCodec,
  signerBitmapOf,
  signerCount,
  signerIndices,
  withSigner,
  type SignerBitmap,
  type SignerBitmapReject,
} from './signerBitmap.ts';
export {
  certificateCodec,
  certificateMaxBytes,
  decodeCertificate,
  encodeCertificate,
  type Certificate,
} from './certificate.ts';
export {
  assembleCertificate,
  createCertificateAggregator,
  type AddVoteOutcome,
  type AssembleReject,
  type CertificateAggregator,
  type VoteReject,
} from './certificateAggregator.ts';
export {
  checkCertificateCheaply,
  verifyCertificate,
  type CertReject,
  type CertReport,
  type CertificateTrust,
  type QuorumVerifier,
} from './certificateVerify.ts';
export {
  GENESIS_EPOCH,
  nextCommitteeOf,
  trustAfter,
  verifyCertificateChain,
  type ChainReject,
} from './certificateChain.ts';
