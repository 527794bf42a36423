/**
 * core/state — the ledger: transactions (five kinds, canonical encoding, ids, signing,
 * stateless checks), accounts, double-sign evidence, protocol parameters, the genesis, the
 * ledger state committed in the state tree, deterministic (and parallelisable) block
 * execution, epoch boundaries and supply accounting.
 *
 * DESIGN.md §2 Ledger; the tree: docs/state-tree.md. The state tree itself keeps its own
 * surface (`./smt/index.ts`, re-exported here as the `smt` namespace): a light client imports
 * only the verifier from there, and its generic names (`prove`, `applyBatch`) stay qualified.
 */
export { U64_MAX } from './types.ts';
export type {
  Account,
  Address,
  Amount,
  BondBody,
  Evidence,
  EvidenceBody,
  EvidenceContext,
  RotateKeyBody,
  SignedMessage,
  SignedTx,
  TransferBody,
  Tx,
  TxBody,
  TxKind,
  UnbondBody,
  UnbondingEntry,
} from './types.ts';

// Transactions: fields, encodings, decoding, checks, signing, limits.
export {
  CHAIN_ID_MAX_BYTES,
  TAGGED_PUBLIC_KEY_MAX_BYTES,
  TAGGED_SIGNATURE_MAX_BYTES,
  addressCodec,
  amountCodec,
  chainIdCodec,
  describeCryptoDecodeError,
  publicKeyCodec,
  signatureCodec,
} from './txFields.ts';
export {
  TX_KIND_TAGS,
  TX_SIGNING_CONTEXT,
  encodeSignedTx,
  encodeTx,
  signedTxCodec,
  signedTxHash,
  txBodyCodec,
  txCodec,
  txId,
  txSigningMessage,
} from './txCodec.ts';
export { decodeSignedTx } from './txDecode.ts';
export type { SenderKeyReject, TxReject, TxRejectCode } from './txReject.ts';
export { checkSenderKey, keyDerivesAddress, validateTx } from './txValidate.ts';
export {
  KEY_POSSESSION_CONTEXT,
  keyPossessionItem,
  keyPossessionMessage,
  signKeyPossession,
  signTx,
  txSignatureItem,
  txVerifyItems,
  type KeyPossessionFields,
  type SignTxOptions,
} from './txSign.ts';
export { maxEvidenceTxBytes } from './txLimits.ts';

// Accounts, evidence, parameters, genesis.
export { EMPTY_ACCOUNT, accountCodec, decodeAccount, encodeAccount, isEmptyAccount } from './account.ts';
export {
  EVIDENCE_MESSAGE_MAX_BYTES,
  SLOT_HEADER_BYTES,
  checkEvidence,
  decodeSlotHeader,
  encodeSlotHeader,
  evidenceCodec,
  evidenceVerifyItems,
  slotId,
  verifyEvidence,
  type EvidenceReject,
} from './evidence.ts';
export {
  BPS_PER_UNIT,
  DEFAULT_PARAMS,
  MAX_UNBONDING_ENTRIES_LIMIT,
  PARAM_SPECS,
  type IntParamKey,
  type ParamSpec,
  type ProtocolParams,
} from './params.ts';
export { MAX_GENESIS_ERRORS, parseGenesis } from './genesis.ts';
export { encodeGenesis, genesisAccounts, genesisHash, type GenesisStateEntry } from './genesisCodec.ts';
export { buildExampleGenesisText } from './genesisExample.ts';
export { worstCaseQuorumCount } from './genesisParams.ts';
export { keyPairFromLabel, seedFromLabel } from './genesisSeeds.ts';
export {
  MAX_GENESIS_ACCOUNTS,
  MAX_GENESIS_VALIDATORS,
  type Genesis,
  type GenesisAccount,
  type GenesisError,
  type GenesisValidator,
} from './genesisTypes.ts';

// The ledger state and its key spaces.
export {
  commitLedger,
  getAccount,
  isSlotSlashed,
  ledgerFromGenesis,
  ledgerFromTree,
  proveAccount,
  sameLedgerState,
  stateRoot,
  type AccountProof,
  type Ledger,
  type LedgerChanges,
  type SlashedSlot,
} from './ledger.ts';
export {
  BURNED_KEY,
  EPOCH_KEY,
  FEE_POOL_KEY,
  accountKey,
  decodeAccountLeaf,
  encodeAccountLeaf,
  slashedSlotKey,
  verifyAccountProof,
} from './ledgerKeys.ts';
export { SCAN_PAGE_ENTRIES, ledgerAccounts, scanLedger, type LedgerEntry } from './ledgerScan.ts';

// State snapshots: the whole ledger at a certified checkpoint, as canonical bytes and back.
export { decodeStateSnapshot, encodeStateSnapshot, stateSnapshotChunks, type StateSnapshotDecodeOptions } from './stateSnapshot.ts';
export {
  STATE_SNAPSHOT_MAGIC,
  STATE_SNAPSHOT_MAX_BYTES,
  STATE_SNAPSHOT_MAX_ENTRIES,
  STATE_SNAPSHOT_VALUE_MAX_BYTES,
  STATE_SNAPSHOT_VERSION,
} from './stateSnapshotFormat.ts';
export { STATE_SNAPSHOT_REJECT_CODES, type StateSnapshotReject, type StateSnapshotRejectCode } from './stateSnapshotReject.ts';

// Execution, parallel execution, epoch boundaries, supply.
export { DROPPED_CODES, MAX_BLOCK_TXS, executeBlock, usedNonce, verifyItemWith } from './execute.ts';
export type {
  AccountWrite,
  BlockResult,
  ExecReject,
  ExecRejectCode,
  ExecutionContext,
  GroupResult,
  IndexedTx,
  Receipt,
} from './executeTypes.ts';
export { executeBlockInGroups, executeGroup, mergeGroups, planGroups, touchedAddresses } from './parallel.ts';
export { groupReadKeys, ledgerFromReadSet, readSetOf, type ReadEntry, type ReadSet } from './groupInput.ts';
export {
  MAX_EVIDENCE_PER_CALL,
  applyEvidence,
  type EvidenceApplyReject,
  type EvidenceOutcome,
  type EvidenceResult,
} from './executeEvidence.ts';
export { applyEpochBoundary, type EpochBoundaryResult } from './epoch.ts';
export { distributeFees, type FeeShare } from './epochFees.ts';
export { selectValidatorSet, validatorCandidates, type ValidatorEntry } from './epochValidators.ts';
export { expectedSupplyChange, genesisSupply, supplyOf, type SupplyBreakdown } from './supply.ts';

export * as smt from './smt/index.ts';
