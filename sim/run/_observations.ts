/**
 * What the simulation learns from a validator's informational outputs (folder-private):
 * proposals, commits, skipped leaders, certificates and evidence feed the checkers, the metrics
 * and the event stream. Only honest validators' outputs count for safety and metrics (a
 * Byzantine validator's own view proves nothing); every instance's outputs are streamed.
 */
import { toHex } from '../../core/crypto/index.ts';
import type { ValidatorEffect } from '../../core/validator/index.ts';
import { refView } from './checkers/safety.ts';
import { emit, isHonest, type Instance, type SimContext } from './_context.ts';

/** Supply audits walk the whole ledger: at most one per virtual second. */
const SUPPLY_CHECK_INTERVAL_MS = 1000;

function onCommitted(ctx: SimContext, inst: Instance, effect: Extract<ValidatorEffect, { type: 'committed' }>): void {
  const index = Number(effect.commitIndex);
  const nowMs = ctx.scheduler.nowMs;
  if (index > inst.highestCommit) inst.highestCommit = index;
  ctx.digest.foldU32(index);
  ctx.digest.foldU32(((effect.commitDigest[0] as number) << 24) | ((effect.commitDigest[1] as number) << 16) | ((effect.commitDigest[2] as number) << 8) | (effect.commitDigest[3] as number));
  if (inst.kind === 'primary' && isHonest(ctx, inst.index)) {
    const previousHighest = ctx.safety.highestIndex();
    const { first, violation } = ctx.safety.onCommitted(inst.index, effect);
    if (first) ctx.metrics.onReferenceCommit(index, effect.receipts, nowMs);
    if (index > previousHighest) ctx.liveness.onProgress(nowMs);
    if (violation !== undefined) emit(ctx, () => ({ type: 'violation', time: nowMs, violation }));
  }
  emit(ctx, () => ({ type: 'committed', time: nowMs, by: inst.index, index, leader: refView(effect.leader), vertices: effect.vertices.length, txs: effect.receipts.length, how: effect.how }));
}

function onCertified(ctx: SimContext, inst: Instance, effect: Extract<ValidatorEffect, { type: 'checkpointCertified' }>): void {
  const nowMs = ctx.scheduler.nowMs;
  const { checkpoint } = effect.certificate;
  if (inst.kind === 'primary' && isHonest(ctx, inst.index)) {
    const { first, violation } = ctx.safety.onCertified(inst.index, effect.certificate);
    if (first) ctx.metrics.onCertified(Number(checkpoint.lastCommitIndex), nowMs);
    if (violation !== undefined) emit(ctx, () => ({ type: 'violation', time: nowMs, violation }));
    if (nowMs - ctx.counters.lastSupplyCheckMs >= SUPPLY_CHECK_INTERVAL_MS) {
      ctx.counters.lastSupplyCheckMs = nowMs;
      const supply = ctx.safety.checkSupply(inst.index, inst.validator.ledger(), ctx.chain.supply);
      if (supply !== undefined) emit(ctx, () => ({ type: 'violation', time: nowMs, violation: supply }));
    }
  }
  emit(ctx, () => ({ type: 'certified', time: nowMs, by: inst.index, sequence: Number(checkpoint.sequence), lastCommitIndex: Number(checkpoint.lastCommitIndex) }));
}

export function observeOutput(ctx: SimContext, inst: Instance, effect: ValidatorEffect): void {
  const nowMs = ctx.scheduler.nowMs;
  switch (effect.type) {
    case 'committed':
      return onCommitted(ctx, inst, effect);
    case 'checkpointCertified':
      return onCertified(ctx, inst, effect);
    case 'proposed': {
      const bytes = inst.lastBroadcast;
      if (bytes !== undefined && ctx.listeners.size > 0) ctx.refsByBytes.set(bytes, effect.ref);
      emit(ctx, () => ({
        type: 'vertexProposed', time: nowMs, author: inst.index, instance: inst.kind, round: effect.ref.round, digest: toHex(effect.ref.digest),
        parents: effect.parents.map(refView), txs: effect.transactions, bytes: bytes?.length ?? 0,
      }));
      return;
    }
    case 'skipped':
      emit(ctx, () => ({ type: 'skipped', time: nowMs, by: inst.index, round: effect.round, leader: effect.leader }));
      return;
    case 'evidenceFound': {
      const offender = ctx.memberByAddress.get(toHex(effect.evidence.offender)) ?? -1;
      const slot = effect.slot.context === 'vertex' ? `round ${effect.slot.round}` : `checkpoint ${effect.slot.sequence}`;
      if (isHonest(ctx, inst.index) && offender >= 0) {
        ctx.counters.offenders.add(offender);
        ctx.evidenceSlots.add(`${offender}/${slot}`);
      }
      emit(ctx, () => ({ type: 'evidence', time: nowMs, by: inst.index, offender, slot }));
      return;
    }
    default:
      return;
  }
}
