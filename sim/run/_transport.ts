/**
 * Who can talk to whom, and message delivery through the link model (folder-private).
 *
 * Every message goes through `network.send` with its real byte length (bandwidth queueing,
 * latency, loss, duplication, partitions), then Byzantine outbound rules (withhold, delay).
 * Twins (the Twins paper; aptos-core consensus/src/twins): both copies of an equivocating
 * validator use its network node; the honest validators are split in two halves by index (the
 * first half is world A), and each copy talks only to its own world (and the other equivocators'
 * copies of that world). Honest validators talk to each other whatever their worlds.
 * A dormant twin sends nothing and receives a copy of everything its primary receives.
 * Requests (fetch, latest vertex, commit range) are answered by the asked instance when the
 * request arrives, from what it holds then.
 */
import type { VertexRef } from '../../core/dag/index.ts';
import { outboundDelayMs, withholds } from './byzantine.ts';
import type { Instance, PeerRequest, SimContext, StepInput, World } from './_context.ts';

/** Bytes of a request on the wire: a small header plus 40 bytes per vertex reference. */
const REQUEST_HEADER_BYTES = 64;
const REF_BYTES = 40;

export function worldOfHonest(ctx: SimContext, index: number): World {
  let before = 0;
  let total = 0;
  for (let i = 0; i < ctx.primaries.length; i++) {
    if (ctx.equivocators.has(i)) continue;
    total++;
    if (i < index) before++;
  }
  return before < Math.ceil(total / 2) ? 'A' : 'B';
}

const worldOf = (ctx: SimContext, inst: Instance): World => inst.world ?? worldOfHonest(ctx, inst.index);

/** Whether `from` may send to `to` at all (before the network's own cuts and Byzantine rules). */
export function canTalk(ctx: SimContext, from: Instance, to: Instance): boolean {
  if (from.index === to.index || from.dormant || to.dormant || !from.alive) return false;
  if (from.world === undefined && to.world === undefined) return true;
  return worldOf(ctx, from) === worldOf(ctx, to);
}

/** Every instance that could receive a broadcast now (primaries and awake twins). */
export function liveInstances(ctx: SimContext): Instance[] {
  const out: Instance[] = [];
  for (const p of ctx.primaries) {
    out.push(p);
    const twin = ctx.twins.get(p.index);
    if (twin !== undefined && !twin.dormant) out.push(twin);
  }
  return out;
}

/** The copy of validator `index` that `asker` reaches (primary first). */
export function reachableCopy(ctx: SimContext, asker: Instance, index: number): Instance | undefined {
  const primary = ctx.primaries[index];
  if (primary !== undefined && primary.alive && canTalk(ctx, asker, primary)) return primary;
  const twin = ctx.twins.get(index);
  return twin !== undefined && twin.alive && canTalk(ctx, asker, twin) ? twin : undefined;
}

/** Sends `bytes` from `from` to `to`, delivered as `input`; mirrored to `to`'s dormant twin. */
export function deliver(ctx: SimContext, from: Instance, to: Instance, bytes: Uint8Array, input: StepInput): void {
  if (!canTalk(ctx, from, to) || withholds(ctx.byzantine, from.index, to.index)) return;
  const extraMs = outboundDelayMs(ctx.byzantine, from.index);
  const twin = to.kind === 'primary' ? ctx.twins.get(to.index) : undefined;
  for (const copy of ctx.network.send(from.index, to.index, bytes.length, ctx.scheduler.nowMs)) {
    const atMs = copy.atMs + extraMs;
    ctx.scheduler.schedule(atMs, { kind: 'step', inst: to, incarnation: to.incarnation, input });
    if (twin !== undefined && twin.dormant) ctx.scheduler.schedule(atMs, { kind: 'step', inst: twin, incarnation: twin.incarnation, input });
  }
}

export function sendRequest(ctx: SimContext, from: Instance, to: Instance, request: PeerRequest): void {
  if (!canTalk(ctx, from, to) || withholds(ctx.byzantine, from.index, to.index)) return;
  const bytes = REQUEST_HEADER_BYTES + (request.type === 'fetch' ? REF_BYTES * request.refs.length : 0);
  const [first] = ctx.network.send(from.index, to.index, bytes, ctx.scheduler.nowMs);
  if (first === undefined) return;
  ctx.scheduler.schedule(first.atMs + outboundDelayMs(ctx.byzantine, from.index), { kind: 'request', from, fromIncarnation: from.incarnation, to, request });
}

/** Holders asked for one reference by a fetch without a named peer (the Node peer asks two of its best peers too). */
export const FETCH_FANOUT = 2;

/**
 * A fetch without a named peer: each reference is asked of the first FETCH_FANOUT reachable
 * copies holding it, starting with its author. Asking more than one matters: an author that
 * answers with a forged signature would otherwise be the only one ever asked, and a validator
 * missing that vertex would wait for ever although honest peers hold it. (Looking up who holds a
 * vertex is the simulator's shortcut; the answers still travel the network.)
 */
export function fetchFromAny(ctx: SimContext, asker: Instance, refs: readonly VertexRef[]): void {
  const byPeer = new Map<Instance, VertexRef[]>();
  const n = ctx.primaries.length;
  for (const ref of refs) {
    let asked = 0;
    for (let k = 0; k < n && asked < FETCH_FANOUT; k++) {
      const peer = reachableCopy(ctx, asker, (ref.author + k) % n);
      if (peer === undefined || peer === asker || ctx.network.isCut(asker.index, peer.index) || peer.validator.vertexBytes(ref) === undefined) continue;
      const list = byPeer.get(peer) ?? [];
      list.push(ref);
      byPeer.set(peer, list);
      asked++;
    }
  }
  for (const [peer, list] of byPeer) sendRequest(ctx, asker, peer, { type: 'fetch', refs: list });
}
