/**
 * The safety checker, run on every commit and certificate an honest validator produces
 * (HOUSE-RULES 9; TigerBeetle's state checker; Mysticeti's simulator verdicts).
 *
 * - Commits: the first honest commit at each index becomes the reference; every later honest
 *   commit at that index must carry the same commit digest (a hash chain over the whole
 *   sequence), the same leader and the same state root.
 * - Certificates: one checkpoint hash per sequence across all honest validators.
 * - Supply: Σ balances + stakes + unbonding + fee pool + burned = the genesis supply (audited
 *   by the caller at a bounded rate: `supplyOf` walks the whole tree).
 * A violation is recorded and reported, never thrown: with more than f Byzantine validators it
 * is the expected outcome the run exists to show. Incremental: O(1) per commit.
 */
import { toHex } from '../../../core/crypto/index.ts';
import { checkpointHash, type Certificate } from '../../../core/consensus/index.ts';
import type { VertexRef } from '../../../core/dag/index.ts';
import { supplyOf, type Ledger } from '../../../core/state/index.ts';
import type { CommittedOutput } from '../../../core/validator/index.ts';
import type { CommitWitness, RefView, Violation } from '../types.ts';

/** Violations kept: the first ones tell the story; a diverged run would otherwise repeat one per commit. */
const MAX_VIOLATIONS = 64;

export type ReferenceCommit = CommitWitness & { readonly index: number; readonly receipts: CommittedOutput['receipts'] };

export type SafetyChecker = {
  /** Checks one honest commit; returns the reference commit when this is the first at its index. */
  onCommitted(by: number, commit: CommittedOutput): { readonly first: boolean; readonly violation: Violation | undefined };
  onCertified(by: number, certificate: Certificate): { readonly first: boolean; readonly violation: Violation | undefined };
  checkSupply(by: number, ledger: Ledger, genesisSupply: bigint): Violation | undefined;
  violations(): readonly Violation[];
  /** Distinct commit indices reached by honest validators. */
  commits(): number;
  highestIndex(): number;
  certificates(): number;
  /** The reference commit digest of the highest index (hex), '' before any commit. */
  lastCommitDigest(): string;
};

export const refView = (ref: VertexRef): RefView => ({ round: ref.round, author: ref.author, digest: toHex(ref.digest) });

const sameRef = (a: RefView, b: RefView): boolean => a.round === b.round && a.author === b.author && a.digest === b.digest;

export function createSafetyChecker(): SafetyChecker {
  const reference = new Map<number, CommitWitness>();
  const certified = new Map<string, { by: number; checkpointHash: string }>();
  const found: Violation[] = [];
  let highest = -1;
  const record = (violation: Violation): Violation => {
    if (found.length < MAX_VIOLATIONS) found.push(violation);
    return violation;
  };
  return {
    onCommitted(by, commit) {
      const index = Number(commit.commitIndex);
      const witness: CommitWitness = { by, commitDigest: toHex(commit.commitDigest), leader: refView(commit.leader), stateRoot: toHex(commit.stateRoot) };
      const known = reference.get(index);
      if (known === undefined) {
        reference.set(index, witness);
        if (index > highest) highest = index;
        return { first: true, violation: undefined };
      }
      const agrees = known.commitDigest === witness.commitDigest && sameRef(known.leader, witness.leader) && known.stateRoot === witness.stateRoot;
      return { first: false, violation: agrees ? undefined : record({ kind: 'commit-divergence', index, first: known, second: witness }) };
    },
    onCertified(by, certificate) {
      const sequence = certificate.checkpoint.sequence;
      const key = `${certificate.checkpoint.epoch}/${sequence}`;
      const hash = toHex(checkpointHash(certificate.checkpoint));
      const known = certified.get(key);
      if (known === undefined) {
        certified.set(key, { by, checkpointHash: hash });
        return { first: true, violation: undefined };
      }
      if (known.checkpointHash === hash) return { first: false, violation: undefined };
      return { first: false, violation: record({ kind: 'certificate-conflict', sequence: Number(sequence), first: known, second: { by, checkpointHash: hash } }) };
    },
    checkSupply(by, ledger, genesisSupply) {
      const total = supplyOf(ledger).total + ledger.burned;
      return total === genesisSupply ? undefined : record({ kind: 'supply', by, expected: String(genesisSupply), found: String(total) });
    },
    violations: () => found,
    commits: () => reference.size,
    highestIndex: () => highest,
    certificates: () => certified.size,
    lastCommitDigest: () => reference.get(highest)?.commitDigest ?? '',
  };
}
