/**
 * Stake arithmetic of the view: per-validator stakes as plain numbers and the BFT quorum.
 *
 * DESIGN.md §2 "DAG and consensus": a quorum is MORE than two thirds of the total stake, the
 * same threshold as core/consensus/committee.ts (`floor(2·total/3) + 1`). The view takes stakes
 * as safe integers (an adapter converts the ledger's bigint amounts; a view never needs more
 * than 2^53 units of stake to tell a quorum apart).
 */

export type StakeTable = {
  readonly stakes: readonly number[];
  readonly totalStake: number;
  /** Smallest stake that is more than 2/3 of the total. */
  readonly quorumStake: number;
};

/** Validates and freezes a stake table. Bad stakes are a caller's bug: they throw. */
export function createStakeTable(stakes: readonly number[]): StakeTable {
  if (stakes.length === 0) throw new RangeError('stakes: at least one validator is needed');
  let totalStake = 0;
  stakes.forEach((stake, index) => {
    if (!Number.isSafeInteger(stake) || stake <= 0) throw new RangeError(`stakes[${index}]: a positive safe integer is needed, got ${stake}`);
    totalStake += stake;
  });
  if (!Number.isSafeInteger(totalStake)) throw new RangeError('stakes: the total exceeds 2^53 - 1');
  return Object.freeze({ stakes: Object.freeze([...stakes]), totalStake, quorumStake: Math.floor((2 * totalStake) / 3) + 1 });
}

/**
 * Stake of the distinct authors among `authors`: an equivocator's two vertices never count
 * twice (docs/protocol.md "The rule").
 */
export function distinctAuthorStake(table: StakeTable, authors: Iterable<number>): number {
  const seen = new Set<number>();
  let stake = 0;
  for (const author of authors) {
    if (seen.has(author)) continue;
    seen.add(author);
    stake += table.stakes[author] ?? 0;
  }
  return stake;
}
