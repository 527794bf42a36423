/**
 * Applying a fault, scheduled or live (folder-private). Crashes stop an instance (its pending
 * timers, answers and messages are dropped by incarnation); restarts build a new validator from
 * the genesis ledger with the store kept or wiped; Byzantine behaviours mark the validator
 * faulty for the checkers and change what it sends; `equivocate` wakes its twin (or makes one
 * from its persisted store when none was prepared).
 *
 * Reconnect hello: when a partition change brings a cut link back, the two ends exchange their
 * latest own vertex, as a transport does when a connection comes back up (a status exchange).
 * Without it, vertices sent while the link was cut are lost for good, and a round that had no
 * quorum on either side when the partition began never completes (the validator does not
 * re-announce its vertex by itself; see the simulator's README).
 */
import { addBehaviour } from './byzantine.ts';
import { emit, type Instance, type SimContext } from './_context.ts';
import { restartInstance, twinFromStore } from './_instances.ts';
import { deliver, liveInstances } from './_transport.ts';
import type { Fault } from './types.ts';

function startNow(ctx: SimContext, inst: Instance): void {
  ctx.scheduler.schedule(ctx.scheduler.nowMs, { kind: 'step', inst, incarnation: inst.incarnation, input: { type: 'start' } });
}

function copiesOf(ctx: SimContext, node: number): Instance[] {
  const primary = ctx.primaries[node];
  if (primary === undefined) throw new RangeError(`fault: validator ${node} does not exist (0..${ctx.primaries.length - 1})`);
  const twin = ctx.twins.get(node);
  return twin === undefined ? [primary] : [primary, twin];
}

function activateTwin(ctx: SimContext, node: number): void {
  const primary = copiesOf(ctx, node)[0] as Instance;
  ctx.equivocators.add(node);
  let twin = ctx.twins.get(node);
  if (twin === undefined) {
    twin = twinFromStore(ctx.chain, ctx.crypto, primary);
    ctx.twins.set(node, twin);
    if (primary.alive) startNow(ctx, twin);
    else twin.alive = false;
  }
  twin.dormant = false;
  primary.world = 'A';
  twin.world = 'B';
}

/** Links cut now, as a bitmap of from·n + to (n² bits: 125 KB at n = 1,000). */
function cutLinks(ctx: SimContext): Uint8Array {
  const n = ctx.primaries.length;
  const cut = new Uint8Array(Math.ceil((n * n) / 8));
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b && ctx.network.isCut(a, b)) cut[(a * n + b) >> 3] = (cut[(a * n + b) >> 3] as number) | (1 << ((a * n + b) & 7));
  return cut;
}

function changePartition(ctx: SimContext, change: () => void): void {
  const n = ctx.primaries.length;
  const before = cutLinks(ctx);
  change();
  const copies = liveInstances(ctx);
  for (const from of copies) {
    const bytes = from.alive ? from.validator.latestOwnVertex() : undefined;
    if (bytes === undefined) continue;
    for (const to of copies) {
      const bit = from.index * n + to.index;
      if (from.index === to.index || ((before[bit >> 3] as number) & (1 << (bit & 7))) === 0 || ctx.network.isCut(from.index, to.index)) continue;
      deliver(ctx, from, to, bytes, { type: 'vertexReceived', bytes, from: from.peerId });
    }
  }
}

export function applyFault(ctx: SimContext, fault: Fault): void {
  switch (fault.kind) {
    case 'partition':
      changePartition(ctx, () => ctx.network.setPartition(fault.spec));
      break;
    case 'heal':
      changePartition(ctx, () => ctx.network.heal());
      break;
    case 'loss':
      ctx.network.setLoss(fault.probability);
      break;
    case 'duplicate':
      ctx.network.setDuplicate(fault.probability);
      break;
    case 'reorder':
      ctx.network.setReorder(fault.spec);
      break;
    case 'crash':
      for (const inst of copiesOf(ctx, fault.node)) {
        inst.alive = false;
        inst.incarnation++;
      }
      break;
    case 'restart':
      for (const inst of copiesOf(ctx, fault.node)) {
        restartInstance(ctx.chain, ctx.crypto, inst, fault.store);
        startNow(ctx, inst);
      }
      break;
    case 'byzantine':
      copiesOf(ctx, fault.node);
      ctx.faulty.add(fault.node);
      addBehaviour(ctx.byzantine, fault.node, fault.behaviour);
      if (fault.behaviour.kind === 'equivocate') activateTwin(ctx, fault.node);
      if (fault.behaviour.kind === 'spam') ctx.scheduler.schedule(ctx.scheduler.nowMs, { kind: 'spam', node: fault.node });
      break;
  }
  const nowMs = ctx.scheduler.nowMs;
  ctx.liveness.onFault(nowMs);
  emit(ctx, () => ({ type: 'fault', time: nowMs, fault }));
}
