/**
 * The run engine's vocabulary: the configuration of a simulation, the faults it can apply, the
 * typed event stream a UI draws, verdicts, violations and the snapshot of metrics.
 *
 * DESIGN.md §3 (simulator flags and the --json contract), §5 (reliability); issue "Simulator".
 * Validators are named by their member index in the genesis committee (0..n−1); a Twins
 * equivocator runs a second instance of the same index (`instance: 'twin'`).
 * Every value here is plain data, so it crosses a Web Worker boundary as it is.
 */
import type { LatencyDistribution, PartitionSpec, ReorderSpec } from '../network/index.ts';
import type { PresetName } from '../network/presets.ts';
import type { ByzantineBehaviour, CryptoMode, DriftSpec, RestartStore, StakeSpec, Verdict } from '../scenario/types.ts';
import type { CryptoCosts } from './crypto/costs.ts';

export type { ByzantineBehaviour, CryptoMode, RestartStore, Verdict };

export type SimLatency = { readonly kind: 'distribution'; readonly distribution: LatencyDistribution } | { readonly kind: 'preset'; readonly preset: PresetName };

export type SimConfig = {
  readonly validators: number;
  /** The root seed (u32): every random choice of the run derives from it. */
  readonly seed: number;
  /** Default equal stakes. */
  readonly stake?: StakeSpec;
  /** Default constant 50 ms (DESIGN.md §4's reference network). */
  readonly latency?: SimLatency;
  /** Egress bandwidth of every validator, bits per second. Default unlimited. */
  readonly bandwidthBitsPerSecond?: number;
  /** Default 0. */
  readonly loss?: number;
  /** Default 0. */
  readonly duplicate?: number;
  readonly reorder?: ReorderSpec;
  readonly drifts?: readonly DriftSpec[];
  /** Default 'real'. */
  readonly crypto?: CryptoMode;
  /** Virtual CPU time charged per signature operation; default the measured figures (crypto/costs.ts). */
  readonly cryptoCosts?: Partial<CryptoCosts>;
  /** Offered transfers per second (all users together). Default 0. */
  readonly tps?: number;
  /** Real-crypto runs sign at most this many transfers (pure-JS signing costs milliseconds each). Default 2,000. */
  readonly maxRealTransfers?: number;
  /**
   * Validators that will equivocate at some point: each gets a dormant twin from the start that
   * sees exactly what the validator sees and sends nothing until `byzantine(i, equivocate)`, so
   * it is a faithful copy when it wakes. Others can still equivocate live (the twin then starts
   * from the validator's persisted store and catches up).
   */
  readonly twins?: readonly number[];
  /** Leader-timeout multiples without a new commit after the last fault before the verdict is `no-progress`. Default 20. */
  readonly livenessTimeouts?: number;
};

/** Faults and changes that can be applied at any time (from a scenario or live). */
export type Fault =
  | { readonly kind: 'partition'; readonly spec: PartitionSpec }
  | { readonly kind: 'heal' }
  | { readonly kind: 'crash'; readonly node: number }
  | { readonly kind: 'restart'; readonly node: number; readonly store: RestartStore }
  | { readonly kind: 'byzantine'; readonly node: number; readonly behaviour: ByzantineBehaviour }
  | { readonly kind: 'loss'; readonly probability: number }
  | { readonly kind: 'duplicate'; readonly probability: number }
  | { readonly kind: 'reorder'; readonly spec: ReorderSpec | undefined };

export type RefView = { readonly round: number; readonly author: number; readonly digest: string };

/** What a UI draws; `time` is virtual ms since genesis. */
export type SimEvent =
  | { readonly type: 'vertexProposed'; readonly time: number; readonly author: number; readonly instance: InstanceKind; readonly round: number; readonly digest: string; readonly parents: readonly RefView[]; readonly txs: number; readonly bytes: number }
  | { readonly type: 'vertexAccepted'; readonly time: number; readonly by: number; readonly ref: RefView }
  | { readonly type: 'committed'; readonly time: number; readonly by: number; readonly index: number; readonly leader: RefView; readonly vertices: number; readonly txs: number; readonly how: string }
  | { readonly type: 'skipped'; readonly time: number; readonly by: number; readonly round: number; readonly leader: number }
  | { readonly type: 'certified'; readonly time: number; readonly by: number; readonly sequence: number; readonly lastCommitIndex: number }
  | { readonly type: 'evidence'; readonly time: number; readonly by: number; readonly offender: number; /** `round R` (two vertices) or `checkpoint S` (two checkpoint votes). */ readonly slot: string }
  | { readonly type: 'fault'; readonly time: number; readonly fault: Fault }
  | { readonly type: 'violation'; readonly time: number; readonly violation: Violation }
  | { readonly type: 'verdict'; readonly time: number; readonly verdict: Verdict };

export type SimEventType = SimEvent['type'];

export type InstanceKind = 'primary' | 'twin';

export type Violation =
  /** Two honest validators committed different commits at one index. */
  | { readonly kind: 'commit-divergence'; readonly index: number; readonly first: CommitWitness; readonly second: CommitWitness }
  /** Two certificates for one checkpoint sequence with different checkpoint hashes. */
  | { readonly kind: 'certificate-conflict'; readonly sequence: number; readonly first: { readonly by: number; readonly checkpointHash: string }; readonly second: { readonly by: number; readonly checkpointHash: string } }
  /** Σ supply + burned differs from the genesis supply. */
  | { readonly kind: 'supply'; readonly by: number; readonly expected: string; readonly found: string };

export type CommitWitness = { readonly by: number; readonly commitDigest: string; readonly leader: RefView; readonly stateRoot: string };

export type Percentiles = { readonly p50: number; readonly p90: number; readonly p99: number; readonly samples: number };

export type SimSnapshot = {
  readonly seed: number;
  readonly virtualMs: number;
  readonly events: number;
  readonly verdict: Verdict;
  readonly violations: readonly Violation[];
  /** Why the verdict is `no-progress`, when it is. */
  readonly stall: { readonly sinceMs: number; readonly boundMs: number } | undefined;
  /** Highest commit index per validator (primary instance; -1 before the first commit). */
  readonly committedHeights: readonly number[];
  /** Distinct commit indices the honest validators reached. */
  readonly commits: number;
  readonly committedTxs: number;
  readonly committedTxPerSecond: number;
  readonly submittedTxs: number;
  readonly finalityMs: Percentiles;
  /**
   * The newest finality latencies (submission to certificate), oldest first, ms: at most
   * RECENT_FINALITY_SAMPLES (metrics.ts), for a histogram; `finalityMs` covers every sample.
   */
  readonly recentFinalityMs: readonly number[];
  /** Skipped leader slots (view changes), the most any honest validator saw. */
  readonly viewChanges: number;
  readonly leaderTimeouts: number;
  readonly certificates: number;
  readonly evidence: { readonly count: number; readonly offenders: readonly number[] };
  readonly bytesSent: readonly number[];
  readonly byzantine: readonly number[];
  readonly digest: string;
  /** Events/s and virtual/wall ratio, when the caller gave the wall time it measured. */
  readonly performance: { readonly wallMs: number; readonly eventsPerWallSecond: number; readonly virtualPerWall: number } | undefined;
  /** Submission to the first honest commit that executed the transaction. */
  readonly commitLatencyMs: Percentiles;
  readonly penalties: number;
  /** The commit digest (a hash chain over the whole committed sequence) at the highest honest commit index, hex: equal runs, equal value. */
  readonly commitDigest: string;
};
