/**
 * Weight tally for `verifyUntilQuorum`: decides as soon as the valid items' weights reach the
 * threshold, or as soon as the items still undecided can no longer lift it there.
 *
 * DESIGN.md §2 Light client: "signatures last, spread over a pool of workers, stopping as soon
 * as a quorum of stake has verified". Weights may be numbers (non-negative safe integers) or
 * bigints; the sum is kept in bigint so large stakes never lose precision.
 */
import type { JobOutcome } from './_verifyQueue.ts';
import type { VerifyItem } from './types.ts';

/** Per item: verified valid, verified invalid, or never verified because the tally had decided. */
export type SignerOutcome = 'valid' | 'invalid' | 'skipped';

export type QuorumOutcome<W extends number | bigint> = {
  readonly reached: boolean;
  /** Sum of the weights of the items verified valid before the decision. */
  readonly validWeight: W;
  /** One entry per item, in order. */
  readonly outcomes: readonly SignerOutcome[];
};

export function checkQuorumArguments<W extends number | bigint>(items: readonly VerifyItem[], weights: readonly W[], threshold: W): void {
  if (!Array.isArray(items)) throw new TypeError('items must be an array');
  if (!Array.isArray(weights) || weights.length !== items.length) throw new RangeError('weights must have one entry per item');
  weights.forEach((w, i) => toWeight(w, `weights[${i}]`));
  if (toWeight(threshold, 'threshold') <= 0n) throw new RangeError('threshold must be positive');
  const kind = typeof threshold;
  if (weights.some((w) => typeof w !== kind)) throw new TypeError('weights and threshold must all be numbers or all bigints');
}

type TallyEvents<W extends number | bigint> = {
  onDecided(outcome: QuorumOutcome<W>): void;
  onError(error: Error): void;
};

export function createQuorumTally<W extends number | bigint>(weights: readonly W[], threshold: W, events: TallyEvents<W>) {
  const target = toWeight(threshold, 'threshold');
  const outcomes = new Array<SignerOutcome>(weights.length).fill('skipped');
  let validWeight = 0n;
  let undecidedWeight = weights.reduce((sum, w) => sum + toWeight(w, 'weight'), 0n);
  let decided = false;

  const decide = (reached: boolean): void => {
    decided = true;
    const weight = (typeof threshold === 'bigint' ? validWeight : Number(validWeight)) as W;
    events.onDecided(Object.freeze({ reached, validWeight: weight, outcomes: Object.freeze([...outcomes]) }));
  };

  const record = (index: number, outcome: JobOutcome): void => {
    if (decided) return;
    if (outcome instanceof Error) {
      decided = true;
      return events.onError(outcome);
    }
    const weight = toWeight(weights[index] as W, 'weight');
    undecidedWeight -= weight;
    outcomes[index] = outcome ? 'valid' : 'invalid';
    if (outcome) validWeight += weight;
    if (validWeight >= target) decide(true);
    else if (validWeight + undecidedWeight < target) decide(false);
  };

  // With no items at all (or zero total weight) the answer is known before anything runs.
  if (undecidedWeight < target) decide(false);

  return Object.freeze({ record, isDecided: (): boolean => decided });
}

function toWeight(value: number | bigint, name: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError(`${name} must be non-negative`);
    return value;
  }
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer or a bigint`);
  return BigInt(value);
}
