/**
 * Applying evidence that consensus carried in a vertex (not in a transaction): `applyEvidence`.
 *
 * DESIGN.md §2 ("equivocation … is put in a vertex and slashes the offender at execution").
 * A validator that sees two signed vertices of one slot puts the encoded evidence in its next
 * vertex; when that vertex is committed, every validator applies the evidence at the same
 * position of the committed sequence. The rules are those of an evidence transaction's body
 * (`executeBody.ts`): the offender's account key IN FORCE verifies both messages, the slot's
 * epoch is neither in the future nor older than `unbonding_epochs`, and each slot id slashes
 * at most once (`ALREADY_SLASHED` afterwards, whoever reported it first). There is no sender,
 * no fee and no nonce: the reporter is the vertex author, paid nothing (a reward would let an
 * offender recoup part of its loss by reporting itself).
 *
 * Evidence bytes that do not decode, or fail the stateless check, are rejected as values: the
 * author of the carrying vertex signed them, so every node sees the same bytes and reaches the
 * same verdict. Signatures are judged through `ctx.verifyItem` (the caller's verdicts).
 */
import { err, ok, type Result } from '../result.ts';
import type { DecodeError } from '../codec/index.ts';
import type { Hash32 } from '../crypto/index.ts';
import { checkEvidence, evidenceCodec, type EvidenceReject } from './evidence.ts';
import { slashForEvidence } from './executeBody.ts';
import { createGroupState, type GroupState } from './executeState.ts';
import type { ExecutionContext } from './executeTypes.ts';
import { commitLedger, stateRoot, type Ledger } from './ledger.ts';
import { addU64 } from './ledgerMath.ts';
import type { Amount, Evidence } from './types.ts';

export type EvidenceApplyReject =
  | { readonly code: 'MALFORMED'; readonly decodeError: DecodeError }
  | { readonly code: 'UNKNOWN_OFFENDER' }
  | { readonly code: 'BAD_EVIDENCE'; readonly reason: EvidenceReject }
  | { readonly code: 'EVIDENCE_FROM_FUTURE'; readonly slotEpoch: bigint; readonly epoch: bigint }
  | { readonly code: 'EVIDENCE_EXPIRED'; readonly slotEpoch: bigint; readonly epoch: bigint }
  | { readonly code: 'ALREADY_SLASHED' };

/** What one evidence entry did: the slot it convicted and the amount burned, or why not. */
export type EvidenceOutcome = Result<{ readonly evidence: Evidence; readonly slashed: Amount }, EvidenceApplyReject>;

export type EvidenceResult = {
  readonly ledger: Ledger;
  /** One per entry, in order. */
  readonly outcomes: readonly EvidenceOutcome[];
  readonly stateRoot: Hash32;
  readonly burned: Amount;
};

/** Most entries one call applies: far above what one commit carries (max_evidence_per_vertex × vertices). */
export const MAX_EVIDENCE_PER_CALL = 65_536;

type ApplyCtx = Pick<ExecutionContext, 'params' | 'verifyItem'>;

function applyOne(state: GroupState, bytes: Uint8Array, epoch: bigint, ctx: ApplyCtx): EvidenceOutcome {
  const decoded = evidenceCodec.decode(bytes);
  if (!decoded.ok) return err({ code: 'MALFORMED', decodeError: decoded.error });
  const evidence = decoded.value;
  const checked = checkEvidence(evidence);
  if (!checked.ok) return err({ code: 'BAD_EVIDENCE', reason: checked.error });
  const slashed = slashForEvidence(state, evidence, epoch, ctx);
  return slashed.ok ? ok(Object.freeze({ evidence, slashed: slashed.value.slashed })) : slashed;
}

/**
 * Applies encoded evidence entries in order on `ledger` (unchanged); one tree batch. Entries
 * are independent of fees and nonces, so their position after the commit's transactions is
 * the only ordering rule (the validator documents it).
 */
export function applyEvidence(ledger: Ledger, entries: readonly Uint8Array[], ctx: ApplyCtx): EvidenceResult {
  if (entries.length > MAX_EVIDENCE_PER_CALL) throw new RangeError(`applyEvidence: more than ${MAX_EVIDENCE_PER_CALL} entries`);
  if (entries.length === 0) return Object.freeze({ ledger, outcomes: Object.freeze([]), stateRoot: stateRoot(ledger), burned: 0n });
  const state = createGroupState(ledger);
  const outcomes = entries.map((bytes) => applyOne(state, bytes, ledger.epoch, ctx));
  const finished = state.finish();
  const next = commitLedger(ledger, {
    accounts: finished.accounts,
    slashedSlots: finished.slashedSlots,
    epoch: ledger.epoch,
    feePool: ledger.feePool,
    burned: addU64(ledger.burned, finished.burned, 'burned total'),
  });
  return Object.freeze({ ledger: next, outcomes: Object.freeze(outcomes), stateRoot: stateRoot(next), burned: finished.burned });
}
