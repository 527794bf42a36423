/**
 * core/validator — one KALDRIX validator as a pure state machine (events in, effects out): the
 * code the simulator, the browser and the Node peer all run. DESIGN.md §2 "DAG and consensus";
 * the rules as built: docs/protocol.md "The validator".
 */
export { VALIDATOR_DEFAULTS, createValidator, type Validator } from './validator.ts';
export { seatOf } from './_epoch.ts';
export {
  MAX_RESUME_COMMITTED_REFS,
  MAX_RESUME_POINT_BYTES,
  decodeResumePoint,
  encodeResumePoint,
  resumeEpochOf,
  resumePointRecordCodec,
  type ResumePointRecord,
  type ValidatorResumePoint,
} from './resumePoint.ts';
export type {
  CommittedOutput,
  EvidenceSlot,
  PeerId,
  ReceiveReject,
  ReceiveRejectCode,
  ValidatorComponents,
  ValidatorEffect,
  ValidatorEffectType,
  ValidatorEvent,
  ValidatorEventType,
  ValidatorInit,
  ValidatorLogger,
  ValidatorMempool,
  ValidatorMetrics,
  ValidatorStatus,
} from './types.ts';
