/**
 * Byzantine behaviours as transformations of what a validator sends (issue "Simulator",
 * faults). The validator itself always runs the honest code: misbehaviour is done to its
 * messages on the way out, the way Twins (duplicated keys) gets equivocation without attack
 * code. Equivocation itself is carried out by the simulation (a twin instance); this file holds
 * the per-message rules and the spam generator.
 *
 * - withhold: nothing reaches the listed validators (vertices, answers, everything).
 * - forge: the validator's own vertices leave with their last signature byte flipped.
 * - delay: every outbound message leaves `delayMs` late.
 * - spam: at a bounded rate (SPAM_INTERVAL_MS), each peer gets one of: junk bytes, a validly
 *   framed vertex 10,000 rounds in the future (re-encoded from the spammer's own latest vertex),
 *   or a truncated vertex. Honest validators must refuse all three with typed rejects.
 */
import type { Prng } from '../../core/prng.ts';
import { decodeSignedVertex, encodeSignedVertex } from '../../core/dag/index.ts';
import type { ByzantineBehaviour } from '../scenario/types.ts';

/** One spam message per peer every 100 ms: 10/s per link, enough to exercise every reject path, bounded. */
export const SPAM_INTERVAL_MS = 100;
/** Junk messages are 1..256 bytes. */
const MAX_JUNK_BYTES = 256;
/** Far enough ahead that any bound on future rounds refuses it. */
const FUTURE_ROUND_OFFSET = 10_000;

export type ByzantineState = {
  /** The behaviours of each misbehaving validator, by kind (a later one of a kind replaces the earlier). */
  readonly behaviours: Map<number, Map<ByzantineBehaviour['kind'], ByzantineBehaviour>>;
};

export function createByzantineState(): ByzantineState {
  return { behaviours: new Map() };
}

export function addBehaviour(state: ByzantineState, node: number, behaviour: ByzantineBehaviour): void {
  let kinds = state.behaviours.get(node);
  if (kinds === undefined) {
    kinds = new Map();
    state.behaviours.set(node, kinds);
  }
  kinds.set(behaviour.kind, behaviour);
}

export function behaviourOf<K extends ByzantineBehaviour['kind']>(state: ByzantineState, node: number, kind: K): Extract<ByzantineBehaviour, { kind: K }> | undefined {
  return state.behaviours.get(node)?.get(kind) as Extract<ByzantineBehaviour, { kind: K }> | undefined;
}

/** Whether `from` withholds everything from `to`. */
export function withholds(state: ByzantineState, from: number, to: number): boolean {
  const withhold = behaviourOf(state, from, 'withhold');
  return withhold !== undefined && withhold.from.includes(to);
}

/** Extra delay of everything `from` sends, ms. */
export function outboundDelayMs(state: ByzantineState, from: number): number {
  return behaviourOf(state, from, 'delay')?.delayMs ?? 0;
}

/** A copy of a signed vertex encoding with its last byte (a signature byte) flipped. */
export function forgeVertexBytes(bytes: Uint8Array): Uint8Array {
  const forged = bytes.slice();
  if (forged.length > 0) forged[forged.length - 1] = (forged[forged.length - 1] as number) ^ 0x01;
  return forged;
}

/** The spam message number `sequence` for one peer: junk, far-future or truncated, in turn. */
export function spamMessage(prng: Prng, sequence: number, latestOwnVertex: Uint8Array | undefined): Uint8Array {
  const kind = latestOwnVertex === undefined ? 0 : sequence % 3;
  if (kind === 0 || latestOwnVertex === undefined) {
    const junk = new Uint8Array(1 + prng.nextInt(MAX_JUNK_BYTES));
    for (let i = 0; i < junk.length; i++) junk[i] = prng.nextInt(256);
    return junk;
  }
  if (kind === 2) return latestOwnVertex.slice(0, Math.max(1, latestOwnVertex.length - 10));
  const decoded = decodeSignedVertex(latestOwnVertex);
  if (!decoded.ok) return latestOwnVertex.slice(0, 1);
  const { vertex, signature } = decoded.value;
  return encodeSignedVertex({ vertex: { ...vertex, round: vertex.round + FUTURE_ROUND_OFFSET }, signature });
}
