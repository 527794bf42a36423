/**
 * Equivocation evidence waiting for the validator's own next vertices.
 *
 * DESIGN.md §2 Equivocation: two signed vertices of one (epoch, round, author) slot are
 * self-proving evidence; the store reports each pair once, this pool keeps one entry per slot
 * (one pair convicts the slot; more would be refused at execution as ALREADY_SLASHED), at most
 * `maxEntries` waiting, and forgets reported slots below the gc round. What is taken goes into the next
 * own vertex, at most `max_evidence_per_vertex` at a time.
 */
import type { Committee } from '../consensus/committee.ts';
import type { EquivocationPair } from '../dag/index.ts';
import { vertexEquivocationEvidence } from '../dag/index.ts';
import { evidenceCodec, type Evidence } from '../state/index.ts';

export type FoundEvidence = { readonly evidence: Evidence; readonly round: number; readonly author: number };

export type EvidencePool = {
  /** Evidence from a pair the store reported; undefined when its slot is known or the pool is full. */
  offer(pair: EquivocationPair): FoundEvidence | undefined;
  /** Up to `max` encoded entries for the next own vertex (removed from the pool). */
  take(max: number): readonly Uint8Array[];
  /**
   * Forgets which slots below `round` were reported (the store can no longer report them);
   * waiting entries stay: evidence convicts for `unbonding_epochs`, whatever the DAG window.
   */
  prune(belowRound: number): void;
  /**
   * A new epoch: slots are named by the new committee from now on. Waiting entries stay (they
   * were built with the offender's address, which does not change).
   */
  startEpoch(committee: Committee): void;
  size(): number;
};

export function createEvidencePool(initialCommittee: Committee, maxEntries: number): EvidencePool {
  let committee = initialCommittee;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError('createEvidencePool: maxEntries must be a positive integer');
  const seenSlots = new Map<string, number>();
  const waiting: { readonly round: number; readonly bytes: Uint8Array }[] = [];

  const offer = (pair: EquivocationPair): FoundEvidence | undefined => {
    const { round, author } = pair.first.vertex;
    const key = `${round}:${author}`;
    if (seenSlots.has(key) || waiting.length >= maxEntries) return undefined;
    const member = committee.members[author];
    if (member === undefined) throw new RangeError(`evidence pool: author ${author} is not a member`);
    const evidence = vertexEquivocationEvidence(pair.first, pair.second, member.address);
    seenSlots.set(key, round);
    waiting.push({ round, bytes: evidenceCodec.encode(evidence) });
    return Object.freeze({ evidence, round, author });
  };

  const take = (max: number): readonly Uint8Array[] => waiting.splice(0, Math.max(0, max)).map((e) => e.bytes);

  const prune = (belowRound: number): void => {
    for (const [key, round] of seenSlots) if (round < belowRound) seenSlots.delete(key);
  };

  const startEpoch = (next: Committee): void => {
    committee = next;
    seenSlots.clear();
  };

  return Object.freeze({ offer, take, prune, startEpoch, size: () => waiting.length });
}
