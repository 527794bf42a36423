/**
 * The effect of each transaction body on state, after the fee was charged and the nonce
 * advanced (`executeTx.ts`). Each handler checks everything first and writes only on success,
 * so a failing body leaves the charged sender as the only change.
 *
 * DESIGN.md §2 Ledger. Rules, with their reasons:
 * - transfer / bond: the balance left after the fee must cover the amount.
 * - unbond: stake ≥ amount; the amount joins the entry released at `epoch + unbonding_epochs`
 *   (merged with an entry of the same release epoch, so the account stays canonical), and a new
 *   release epoch beyond `max_unbonding_entries` is refused (Cosmos SDK's MaxEntries).
 * - rotate-key: the new key waits in `pendingKey` until the next epoch boundary (a later
 *   rotation in the same epoch replaces it); the possession proof was a signature job.
 * - evidence: verified against the offender's key IN FORCE (`account.key`); slashes
 *   ⌊stake × slash_fraction⌋ and the same fraction of every unbonding entry (stake on its way
 *   out stays accountable), once per slot id. Slashed amounts are BURNED, not paid to the
 *   reporter: a reward would let an offender recover part of its loss by reporting itself from
 *   another account. Caveat: evidence signed with a key rotated away at an earlier boundary no
 *   longer verifies (the ledger keeps only the key in force).
 */
import { bytesEqual } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import { decodeSlotHeader, evidenceVerifyItems, slotId } from './evidence.ts';
import type { ExecReject, ExecutionContext } from './executeTypes.ts';
import type { GroupState } from './executeState.ts';
import { addU64, mulDivFloor, subU64 } from './ledgerMath.ts';
import { BPS_PER_UNIT } from './params.ts';
import type { Account, Address, Evidence, TxBody, UnbondingEntry } from './types.ts';

/** What an applied body reports back for the receipt. */
export type BodyOutcome = { readonly slashed?: bigint };

export type BodyInput = {
  readonly state: GroupState;
  readonly sender: Address;
  /** The sender's account with the fee already taken and the nonce advanced. */
  readonly account: Account;
  readonly epoch: bigint;
  readonly ctx: ExecutionContext;
};

const APPLIED: Result<BodyOutcome, never> = ok(Object.freeze({}));

function transfer(input: BodyInput, to: Address, amount: bigint): Result<BodyOutcome, ExecReject> {
  const { state, sender, account } = input;
  if (account.balance < amount) return err({ code: 'INSUFFICIENT_BALANCE', needed: amount, available: account.balance });
  state.write(sender, { ...account, balance: account.balance - amount });
  const recipient = state.read(to) ?? { balance: 0n, nonce: 0n, stake: 0n, unbonding: [] };
  state.write(to, { ...recipient, balance: addU64(recipient.balance, amount, 'recipient balance') });
  return APPLIED;
}

function bond(input: BodyInput, amount: bigint): Result<BodyOutcome, ExecReject> {
  const { state, sender, account } = input;
  if (account.balance < amount) return err({ code: 'INSUFFICIENT_BALANCE', needed: amount, available: account.balance });
  state.write(sender, { ...account, balance: account.balance - amount, stake: addU64(account.stake, amount, 'stake') });
  return APPLIED;
}

/** `entries` with `amount` added at `releaseEpoch`, kept sorted and merged; undefined when full. */
export function addUnbonding(
  entries: readonly UnbondingEntry[],
  amount: bigint,
  releaseEpoch: bigint,
  maxEntries: number,
): readonly UnbondingEntry[] | undefined {
  const at = entries.findIndex((e) => e.releaseEpoch >= releaseEpoch);
  const same = at >= 0 ? entries[at] : undefined;
  if (same !== undefined && same.releaseEpoch === releaseEpoch) {
    return entries.map((e, i) => (i === at ? { amount: addU64(e.amount, amount, 'unbonding entry'), releaseEpoch } : e));
  }
  if (entries.length >= maxEntries) return undefined;
  const position = at >= 0 ? at : entries.length;
  return [...entries.slice(0, position), { amount, releaseEpoch }, ...entries.slice(position)];
}

function unbond(input: BodyInput, amount: bigint): Result<BodyOutcome, ExecReject> {
  const { state, sender, account, epoch, ctx } = input;
  if (account.stake < amount) return err({ code: 'INSUFFICIENT_STAKE', needed: amount, available: account.stake });
  const releaseEpoch = addU64(epoch, BigInt(ctx.params.unbondingEpochs), 'release epoch');
  const unbonding = addUnbonding(account.unbonding, amount, releaseEpoch, ctx.params.maxUnbondingEntries);
  if (unbonding === undefined) return err({ code: 'TOO_MANY_UNBONDING_ENTRIES', max: ctx.params.maxUnbondingEntries });
  state.write(sender, { ...account, stake: account.stake - amount, unbonding });
  return APPLIED;
}

function rotateKey(input: BodyInput, body: Extract<TxBody, { kind: 'rotate-key' }>['value']): Result<BodyOutcome, ExecReject> {
  const { state, sender, account } = input;
  const current = account.key;
  if (current !== undefined && current.scheme === body.newKey.scheme && bytesEqual(current.publicKey, body.newKey.publicKey)) {
    return err({ code: 'KEY_UNCHANGED' });
  }
  state.write(sender, { ...account, pendingKey: body.newKey });
  return APPLIED;
}

/** `account` after losing `bps` basis points of its stake and of each unbonding entry. */
export function slashAccount(account: Account, bps: number): { readonly account: Account; readonly slashed: bigint } {
  const cut = (amount: bigint): bigint => mulDivFloor(amount, BigInt(bps), BigInt(BPS_PER_UNIT));
  const stakeCut = cut(account.stake);
  let slashed = stakeCut;
  const unbonding: UnbondingEntry[] = [];
  for (const entry of account.unbonding) {
    const entryCut = cut(entry.amount);
    slashed = addU64(slashed, entryCut, 'slashed');
    // Entries keep positive amounts (the account codec's canonical rule): drop emptied ones.
    if (entry.amount > entryCut) unbonding.push({ amount: entry.amount - entryCut, releaseEpoch: entry.releaseEpoch });
  }
  return { account: { ...account, stake: subU64(account.stake, stakeCut, 'stake'), unbonding }, slashed };
}

/** Why double-signing evidence convicts nobody: shared by evidence transactions and vertex-carried evidence. */
export type SlashReject = Extract<ExecReject, { readonly code: 'UNKNOWN_OFFENDER' | 'BAD_EVIDENCE' | 'EVIDENCE_FROM_FUTURE' | 'EVIDENCE_EXPIRED' | 'ALREADY_SLASHED' }>;

/**
 * Convicts the offender of checked double-signing evidence in `epoch`: the offender's key in
 * force verifies both messages, the slot's epoch is within the unbonding window, each slot
 * slashes once; the cut is burned. The one slashing rule, for every way evidence arrives.
 */
export function slashForEvidence(
  state: GroupState,
  ev: Evidence,
  epoch: bigint,
  ctx: Pick<ExecutionContext, 'params' | 'verifyItem'>,
): Result<{ readonly slashed: bigint }, SlashReject> {
  const offender = state.read(ev.offender);
  if (offender?.key === undefined) return err({ code: 'UNKNOWN_OFFENDER' });
  const header = decodeSlotHeader(ev.first.message);
  // Checked evidence (validateTx / checkEvidence) always starts with a slot header.
  if (header === undefined) throw new Error('slashForEvidence: checked evidence without a slot header');
  if (header.epoch > epoch) return err({ code: 'EVIDENCE_FROM_FUTURE', slotEpoch: header.epoch, epoch });
  if (header.epoch + BigInt(ctx.params.unbondingEpochs) < epoch) return err({ code: 'EVIDENCE_EXPIRED', slotEpoch: header.epoch, epoch });
  const slot = slotId(ev);
  // Cheap checks before the two post-quantum verifications.
  if (state.isSlashed(slot)) return err({ code: 'ALREADY_SLASHED' });
  const items = evidenceVerifyItems(ev, offender.key);
  if (!items.ok) return err({ code: 'BAD_EVIDENCE', reason: items.error });
  if (!ctx.verifyItem(items.value[0])) return err({ code: 'BAD_EVIDENCE', reason: { code: 'BAD_SIGNATURE', which: 'first' } });
  if (!ctx.verifyItem(items.value[1])) return err({ code: 'BAD_EVIDENCE', reason: { code: 'BAD_SIGNATURE', which: 'second' } });
  const result = slashAccount(offender, ctx.params.slashFractionBps);
  state.write(ev.offender, result.account);
  state.markSlashed(slot);
  state.addBurned(result.slashed);
  return ok(Object.freeze({ slashed: result.slashed }));
}

function evidence(input: BodyInput, ev: Evidence): Result<BodyOutcome, ExecReject> {
  return slashForEvidence(input.state, ev, input.epoch, input.ctx);
}

/** Applies `body` for the (already charged) sender. */
export function applyBody(input: BodyInput, body: TxBody): Result<BodyOutcome, ExecReject> {
  switch (body.kind) {
    case 'transfer':
      return transfer(input, body.value.to, body.value.amount);
    case 'bond':
      return bond(input, body.value.amount);
    case 'unbond':
      return unbond(input, body.value.amount);
    case 'rotate-key':
      return rotateKey(input, body.value);
    case 'evidence':
      return evidence(input, body.value.evidence);
  }
}
