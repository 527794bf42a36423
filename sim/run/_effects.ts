/**
 * Carrying out a validator's effects, in order, each done before the next (the SHELL CONTRACT
 * in core/validator/types.ts): persist before broadcast, every `verify` and `sign` answered
 * exactly once. Signature work is charged as virtual CPU time (crypto/costs.ts): the answer
 * is delivered when the instance's CPU would have finished it. Timers are set in the
 * validator's local time and mapped back to virtual time through its clock drift.
 * Returns a promise only when the verify pool had to be awaited (real crypto, a cache miss).
 */
import type { KeyPair } from '../../core/crypto/index.ts';
import type { ValidatorEffect } from '../../core/validator/index.ts';
import { behaviourOf, forgeVertexBytes } from './byzantine.ts';
import type { Instance, PeerRequest, SimContext, StepInput } from './_context.ts';
import { observeOutput } from './_observations.ts';
import { deliver, fetchFromAny, liveInstances, reachableCopy, sendRequest } from './_transport.ts';

/** Peers asked for a commit range at once: enough to get past a withholding or crashed few. */
const RANGE_PEERS = 4;

/** Delivers `input` to `inst` itself after `cpuMs` of CPU work queued behind earlier work. */
function afterCpu(ctx: SimContext, inst: Instance, cpuMs: number, input: StepInput): void {
  const doneMs = Math.max(ctx.scheduler.nowMs, inst.cpuFreeAtMs) + cpuMs;
  inst.cpuFreeAtMs = doneMs;
  ctx.scheduler.schedule(doneMs, { kind: 'step', inst, incarnation: inst.incarnation, input });
}

function broadcast(ctx: SimContext, inst: Instance, original: Uint8Array): void {
  const bytes = behaviourOf(ctx.byzantine, inst.index, 'forge') === undefined ? original : forgeVertexBytes(original);
  inst.lastBroadcast = bytes;
  if (inst.dormant) return;
  for (const peer of liveInstances(ctx)) if (peer !== inst) deliver(ctx, inst, peer, bytes, { type: 'vertexReceived', bytes, from: inst.peerId });
}

function askRange(ctx: SimContext, inst: Instance, fromIndex: bigint, epoch: bigint): void {
  const n = ctx.primaries.length;
  let asked = 0;
  // Start after a rotating offset, so a repeated request reaches other peers.
  const start = inst.index + 1 + (Number(fromIndex) % n);
  for (let k = 0; k < n && asked < RANGE_PEERS; k++) {
    const peer = reachableCopy(ctx, inst, (start + k) % n);
    if (peer === undefined) continue;
    sendRequest(ctx, inst, peer, { type: 'range', fromIndex, epoch });
    asked++;
  }
}

export function carryOut(ctx: SimContext, inst: Instance, effect: ValidatorEffect): void | Promise<void> {
  switch (effect.type) {
    case 'persist':
      inst.persisted.set(effect.key, effect.bytes);
      return;
    case 'broadcast':
      return broadcast(ctx, inst, effect.bytes);
    case 'verify': {
      const cpuMs = effect.items.length * ctx.costs.verifyMs;
      const results = ctx.crypto.verifyBatch(effect.items);
      if (Array.isArray(results)) return afterCpu(ctx, inst, cpuMs, { type: 'verified', token: effect.token, results });
      return results.then((r) => afterCpu(ctx, inst, cpuMs, { type: 'verified', token: effect.token, results: r }));
    }
    case 'sign': {
      const keys = ctx.chain.validatorKeys[inst.index] as KeyPair;
      const signature = ctx.crypto.sign(keys, effect.message, effect.context);
      return afterCpu(ctx, inst, ctx.costs.signMs, { type: 'signed', token: effect.token, signature });
    }
    case 'setTimer': {
      const drift = ctx.drifts[inst.index];
      const virtualMs = drift === undefined ? effect.atMs : drift.virtualAtMs(effect.atMs - ctx.chain.genesis.genesisTimeMs);
      ctx.scheduler.schedule(Math.max(ctx.scheduler.nowMs, virtualMs), { kind: 'step', inst, incarnation: inst.incarnation, input: { type: 'timer', timerId: effect.timerId, atLocalMs: effect.atMs } });
      return;
    }
    case 'fetch': {
      if (inst.dormant) return;
      if (effect.from === undefined) return fetchFromAny(ctx, inst, effect.refs);
      const peer = reachableCopy(ctx, inst, Number(effect.from));
      if (peer !== undefined) sendRequest(ctx, inst, peer, { type: 'fetch', refs: effect.refs });
      return;
    }
    case 'requestLatestVertices':
      if (inst.dormant) return;
      for (const peer of liveInstances(ctx)) if (peer.index !== inst.index) sendRequest(ctx, inst, peer, { type: 'latest' });
      return;
    case 'requestCommitRange':
      if (!inst.dormant) askRange(ctx, inst, effect.fromIndex, effect.epoch);
      return;
    case 'penalize':
      ctx.counters.penalties++;
      return;
    default:
      return observeOutput(ctx, inst, effect);
  }
}

/** Answers a peer's request that just arrived at `to`. */
export function answerRequest(ctx: SimContext, from: Instance, to: Instance, request: PeerRequest): void {
  if (!to.alive) return;
  const forging = behaviourOf(ctx.byzantine, to.index, 'forge') !== undefined;
  if (request.type === 'fetch') {
    for (const ref of request.refs) {
      const held = to.validator.vertexBytes(ref);
      if (held === undefined) continue;
      const bytes = forging && ref.author === to.index ? forgeVertexBytes(held) : held;
      deliver(ctx, to, from, bytes, { type: 'vertexReceived', bytes, from: to.peerId });
    }
  } else if (request.type === 'latest') {
    const bytes = to.validator.latestOwnVertex();
    if (bytes !== undefined) deliver(ctx, to, from, bytes, { type: 'latestVertexReceived', bytes, from: to.peerId, fromMember: to.validator.status().selfIndex });
  } else {
    const bytes = to.validator.commitRange(request.fromIndex, request.epoch);
    if (bytes !== undefined) deliver(ctx, to, from, bytes, { type: 'commitRangeReceived', bytes, from: to.peerId });
  }
}
