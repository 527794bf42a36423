/**
 * Synthetic DAG streams for the view's tests and its perf script: every validator proposes one
 * vertex per round linking to every vertex of the round below, unless the options say a
 * validator is silent, a link is missing, or an author equivocates (two vertices in a slot).
 * Deterministic: digests are a function of (round, author, variant).
 */
import type { CommittedEvent, DagEvent, DagRef, SkippedEvent, VertexProposedEvent } from '../types.ts';

export type SyntheticDagOptions = {
  readonly validators: number;
  readonly rounds: number;
  /** Whether `author` proposes at `round` (a crashed validator does not); default always. */
  readonly proposes?: (round: number, author: number) => boolean;
  /** Whether `child` may name `parent` (a vertex one round below) as a parent; default always. */
  readonly links?: (child: { readonly round: number; readonly author: number }, parent: DagRef) => boolean;
  /** Slots whose author proposes two vertices (variants 0 and 1). */
  readonly equivocations?: readonly { readonly round: number; readonly author: number }[];
  readonly roundDurationMs?: number;
  readonly transactionsPerVertex?: number;
};

/** Round-robin leader schedule used by the synthetic streams. */
export const roundRobinLeader = (validators: number) => (round: number): number => round % validators;

export function syntheticDigest(round: number, author: number, variant = 0): string {
  return (round * 1_000_000 + author * 10 + variant).toString(16).padStart(16, '0');
}

export function syntheticRef(round: number, author: number, variant = 0): DagRef {
  return { round, author, digest: syntheticDigest(round, author, variant) };
}

export function syntheticDag(options: SyntheticDagOptions): VertexProposedEvent[] {
  const { validators, rounds } = options;
  const proposes = options.proposes ?? (() => true);
  const twins = new Set((options.equivocations ?? []).map((e) => `${e.round}/${e.author}`));
  const links = options.links ?? (() => true);
  const events: VertexProposedEvent[] = [];
  let previous: DagRef[] = [];
  for (let round = 1; round <= rounds; round++) {
    const current: DagRef[] = [];
    for (let author = 0; author < validators; author++) {
      if (!proposes(round, author)) continue;
      const variants = twins.has(`${round}/${author}`) ? [0, 1] : [0];
      for (const variant of variants) {
        const ref = syntheticRef(round, author, variant);
        const parents = previous.filter((p) => links({ round, author }, p));
        // At most one parent per author (protocol rule). Twins split the votes: where both
        // variants are linkable, an even author takes variant 0 and an odd one variant 1.
        const onePerAuthor = parents.filter((p) => {
          const sameSlot = parents.filter((q) => q.author === p.author);
          if (sameSlot.length === 1) return true;
          return parseInt(p.digest, 16) % 10 === author % 2;
        });
        events.push({
          type: 'vertexProposed', timeMs: round * (options.roundDurationMs ?? 100), epoch: 0, author, round,
          digest: ref.digest, parents: onePerAuthor, transactions: options.transactionsPerVertex ?? 10, bytes: 3_000,
          signature: { scheme: 'ml-dsa-44', bytes: 2_420 },
        });
        current.push(ref);
      }
    }
    previous = current;
  }
  return events;
}

export function committed(by: number, index: number, leader: DagRef, timeMs = 0): CommittedEvent {
  return { type: 'committed', timeMs, by, index, leader, how: 'direct' };
}

export function skipped(by: number, round: number, leader: number, timeMs = 0): SkippedEvent {
  return { type: 'skipped', timeMs, by, round, leader, how: 'direct' };
}

/** A deterministic shuffle (xorshift32) so order-independence tests need no ambient randomness. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export type { DagEvent };
