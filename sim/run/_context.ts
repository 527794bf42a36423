/**
 * The simulation's internal state shared by its parts (folder-private): validator instances,
 * scheduled tasks, and the context object the effect, delivery, fault and workload modules
 * work on. Not exported from sim/run/index.ts.
 */
import type { Signature } from '../../core/crypto/index.ts';
import type { VertexRef } from '../../core/dag/index.ts';
import type { Mempool } from '../../core/state/mempool/index.ts';
import type { Validator } from '../../core/validator/index.ts';
import type { DeterminismDigest, Scheduler, Seeds } from '../engine/index.ts';
import type { ClockDrift, SimNetwork } from '../network/index.ts';
import type { ByzantineState } from './byzantine.ts';
import type { SimChain } from './chain.ts';
import type { LivenessChecker } from './checkers/liveness.ts';
import type { SafetyChecker } from './checkers/safety.ts';
import type { CryptoCosts } from './crypto/costs.ts';
import type { SimCrypto } from './crypto/simCrypto.ts';
import type { MetricsRecorder } from './metrics.ts';
import type { Fault, InstanceKind, SimEvent } from './types.ts';

export type World = 'A' | 'B';

/** One running copy of a validator: the primary, or a Twins copy sharing its key. */
export type Instance = {
  readonly index: number;
  readonly kind: InstanceKind;
  /** How peers name it in events (`from`, `fetch.from`, `penalize.peer`): the member index. */
  readonly peerId: string;
  validator: Validator;
  mempool: Mempool;
  /** +1 at every crash and restart: tasks for an older incarnation are dropped. */
  incarnation: number;
  alive: boolean;
  readonly persisted: Map<string, Uint8Array>;
  /** The local clock never goes back (drift is applied, then clamped). */
  lastLocalMs: number;
  /** Virtual CPU: busy with signature work until this virtual time. */
  cpuFreeAtMs: number;
  /** A twin before its validator turns equivocator: it sees what the primary sees and sends nothing. */
  dormant: boolean;
  /** Set on both copies of an active equivocator: which half of the honest validators each talks to. */
  world: World | undefined;
  lastBroadcast: Uint8Array | undefined;
  highestCommit: number;
  /** Vertices delivered and not yet seen accepted (only tracked while someone observes). */
  readonly unaccepted: Map<string, VertexRef>;
  acceptedInStep: boolean;
};

export type StepInput =
  | { readonly type: 'start' }
  | { readonly type: 'vertexReceived'; readonly bytes: Uint8Array; readonly from: string }
  | { readonly type: 'verified'; readonly token: number; readonly results: readonly boolean[] }
  | { readonly type: 'signed'; readonly token: number; readonly signature: Signature }
  | { readonly type: 'timer'; readonly timerId: string; readonly atLocalMs: number }
  | { readonly type: 'latestVertexReceived'; readonly bytes: Uint8Array; readonly from: string; readonly fromMember: number | undefined }
  | { readonly type: 'commitRangeReceived'; readonly bytes: Uint8Array; readonly from: string };

export type PeerRequest =
  | { readonly type: 'fetch'; readonly refs: readonly VertexRef[] }
  | { readonly type: 'latest' }
  | { readonly type: 'range'; readonly fromIndex: bigint; readonly epoch: bigint };

export type Task =
  | { readonly kind: 'step'; readonly inst: Instance; readonly incarnation: number; readonly input: StepInput }
  | { readonly kind: 'request'; readonly from: Instance; readonly fromIncarnation: number; readonly to: Instance; readonly request: PeerRequest }
  | { readonly kind: 'fault'; readonly fault: Fault }
  | { readonly kind: 'workload' }
  | { readonly kind: 'spam'; readonly node: number };

export type SimContext = {
  readonly chain: SimChain;
  readonly crypto: SimCrypto;
  readonly costs: CryptoCosts;
  readonly scheduler: Scheduler<Task>;
  readonly seeds: Seeds;
  readonly digest: DeterminismDigest;
  readonly network: SimNetwork;
  readonly drifts: readonly ClockDrift[];
  /** Primary instance of each validator. */
  readonly primaries: readonly Instance[];
  /** Twin instance of each validator that has one. */
  readonly twins: Map<number, Instance>;
  readonly byzantine: ByzantineState;
  /** Validators the checkers treat as Byzantine (configured or injected). */
  readonly faulty: Set<number>;
  /** Validators whose twins are awake (equivocating). */
  readonly equivocators: Set<number>;
  readonly safety: SafetyChecker;
  readonly liveness: LivenessChecker;
  readonly metrics: MetricsRecorder;
  readonly listeners: Set<(event: SimEvent) => void>;
  readonly counters: { readonly offenders: Set<number>; penalties: number; lastSupplyCheckMs: number };
  /** The reference of each broadcast vertex encoding (for the `vertexAccepted` stream). */
  readonly refsByBytes: WeakMap<Uint8Array, VertexRef>;
  /** Member index by address (hex), to name evidence offenders. */
  readonly memberByAddress: ReadonlyMap<string, number>;
  /** Distinct (offender, round) equivocations found by honest validators. */
  readonly evidenceSlots: Set<string>;
};

export const emit = (ctx: SimContext, make: () => SimEvent): void => {
  if (ctx.listeners.size === 0) return;
  const event = make();
  for (const listener of ctx.listeners) listener(event);
};

export const isHonest = (ctx: SimContext, index: number): boolean => !ctx.faulty.has(index);

/** The local clock of `inst` now, in the validator's time base (integer ms since the Unix epoch). */
export function localNowMs(ctx: SimContext, inst: Instance, genesisTimeMs: number): number {
  const drift = ctx.drifts[inst.index] as ClockDrift;
  const local = Math.max(inst.lastLocalMs, genesisTimeMs + Math.floor(drift.localMs(ctx.scheduler.nowMs)));
  inst.lastLocalMs = local;
  return local;
}
