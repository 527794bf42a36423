/**
 * `createSimulation(config)`: N real `core/validator` instances (never a model of one) over the
 * simulated network and virtual clock, every effect carried out in order, checked after every
 * event, one seed deciding everything (issue "Simulator"; HOUSE-RULES 2–4, 9; TigerBeetle VOPR,
 * Sui msim, Mysticeti's simulator, Twins).
 *
 * The API serves the CLI and the web UI alike: `runUntil(virtualMs | predicate)`, `step()`,
 * live faults at any time, `observe(listener)` for the event stream a UI draws, `snapshot()`
 * for metrics and the verdict. Pure: no clock, no timers, no ambient randomness; wall time,
 * when wanted, is passed in by the caller.
 * Determinism: events run in (time, sequence) order; every random draw and every dispatched
 * event is folded into a digest (sim/engine/digest.ts), so two runs of one seed give one digest.
 * Caveat: a twin shares its validator's network node (uplink, latency, partition membership).
 */
import { toHex } from '../../core/crypto/index.ts';
import { createDigest, createScheduler, createSeeds, DEFAULT_MAX_EVENTS_PER_RUN, type RunOutcome } from '../engine/index.ts';
import { createClockDrift, createNetwork, PRESETS, presetLatency, type LatencyModel, type PartitionSpec, type ReorderSpec } from '../network/index.ts';
import type { ValidatorEffect, ValidatorEvent, ValidatorStatus } from '../../core/validator/index.ts';
import { behaviourOf, createByzantineState, spamMessage, SPAM_INTERVAL_MS } from './byzantine.ts';
import { buildChain } from './chain.ts';
import { createLivenessChecker } from './checkers/liveness.ts';
import { createSafetyChecker, refView } from './checkers/safety.ts';
import { cryptoCostsOf } from './crypto/costs.ts';
import { createSimCrypto } from './crypto/simCrypto.ts';
import { createMetricsRecorder } from './metrics.ts';
import { emit, localNowMs, type Instance, type SimContext, type StepInput, type Task } from './_context.ts';
import { answerRequest, carryOut } from './_effects.ts';
import { applyFault } from './_faults.ts';
import { createInstance } from './_instances.ts';
import { deliver, liveInstances } from './_transport.ts';
import { createWorkload, usersForTps, WORKLOAD_TICK_MS } from './_workload.ts';
import type { ByzantineBehaviour, Fault, RestartStore, SimConfig, SimEvent, SimSnapshot, Verdict } from './types.ts';

/** Default real-crypto transfer cap: ~15 s of pure-JS signing at most. */
export const DEFAULT_MAX_REAL_TRANSFERS = 2_000;
/** Default liveness bound in leader timeouts (20 × 200 ms = 4 s). */
export const DEFAULT_LIVENESS_TIMEOUTS = 20;

export type RunUntilOptions = { readonly maxEvents?: number };

export type Simulation = {
  readonly config: SimConfig;
  readonly validators: number;
  /** Virtual time, ms since genesis. */
  readonly nowMs: number;
  /** Events dispatched so far. */
  readonly events: number;
  /** Runs events until virtual time `until` (then the clock is set to it) or until the predicate holds. */
  runUntil(until: number | ((sim: Simulation) => boolean), options?: RunUntilOptions): Promise<RunOutcome>;
  /** Runs exactly one event; false when none is pending. */
  step(): Promise<boolean>;
  /** Applies a fault now. */
  apply(fault: Fault): void;
  /** Applies a fault at virtual time `atMs` (≥ now). */
  scheduleFault(atMs: number, fault: Fault): void;
  partition(spec: PartitionSpec): void;
  heal(): void;
  crash(node: number): void;
  restart(node: number, store: RestartStore): void;
  byzantine(node: number, behaviour: ByzantineBehaviour): void;
  setLoss(probability: number): void;
  setDuplicate(probability: number): void;
  setReorder(spec: ReorderSpec | undefined): void;
  /** Subscribes to the event stream; returns the unsubscribe function. */
  observe(listener: (event: SimEvent) => void): () => void;
  verdict(): Verdict;
  /** Metrics and verdicts now; `wallMs` (measured by the caller) adds events/s and virtual/wall. */
  snapshot(wallMs?: number): SimSnapshot;
  /** The primary instance's status of validator `node`. */
  status(node: number): ValidatorStatus;
};

function latencyModel(config: SimConfig): LatencyModel {
  const latency = config.latency ?? { kind: 'distribution', distribution: { kind: 'constant', valueMs: 50 } };
  return latency.kind === 'preset' ? presetLatency(PRESETS[latency.preset], config.validators) : latency.distribution;
}

function toValidatorEvent(ctx: SimContext, inst: Instance, input: StepInput): ValidatorEvent {
  let nowMs = localNowMs(ctx, inst, ctx.chain.genesis.genesisTimeMs);
  if (input.type === 'timer') {
    // A timer never fires before its local deadline (the drift inverse is a float division).
    nowMs = Math.max(nowMs, input.atLocalMs);
    inst.lastLocalMs = nowMs;
    return { type: 'timer', nowMs, timerId: input.timerId };
  }
  return { ...input, nowMs } as ValidatorEvent;
}

export async function createSimulation(config: SimConfig): Promise<Simulation> {
  const n = config.validators;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`createSimulation: validators must be a positive integer, got ${n}`);
  if (!Number.isInteger(config.seed) || config.seed < 0 || config.seed > 0xffff_ffff) throw new RangeError(`createSimulation: seed must be a u32, got ${config.seed}`);
  const tps = config.tps ?? 0;
  if (!(tps >= 0)) throw new RangeError(`createSimulation: tps must be >= 0, got ${tps}`);
  const crypto = await createSimCrypto(config.crypto ?? 'real');
  const chain = buildChain(crypto, n, usersForTps(tps), config.stake);
  const digest = createDigest();
  const seeds = createSeeds(config.seed, { digest });
  const scheduler = createScheduler<Task>({ startMs: 0, digest });
  const bandwidth = config.bandwidthBitsPerSecond;
  const network = createNetwork({ seeds }, {
    nodes: n,
    latency: latencyModel(config),
    ...(bandwidth === undefined ? {} : { bandwidthBytesPerSecond: bandwidth / 8 }),
    loss: config.loss ?? 0,
    duplicate: config.duplicate ?? 0,
    ...(config.reorder === undefined ? {} : { reorder: config.reorder }),
  });
  const drifts = Array.from({ length: n }, (_, i) => {
    const d = config.drifts?.find((x) => x.node === i);
    return createClockDrift(d === undefined ? {} : { offsetMs: d.offsetMs, ratePpm: d.ratePpm });
  });
  const twinsPlanned = new Set(config.twins ?? []);
  const ctx: SimContext = {
    chain,
    crypto,
    costs: cryptoCostsOf(config.cryptoCosts),
    scheduler,
    seeds,
    digest,
    network,
    drifts,
    primaries: Array.from({ length: n }, (_, i) => createInstance(chain, crypto, i, 'primary', false)),
    twins: new Map(),
    byzantine: createByzantineState(),
    faulty: new Set(),
    equivocators: new Set(),
    safety: createSafetyChecker(),
    liveness: createLivenessChecker((config.livenessTimeouts ?? DEFAULT_LIVENESS_TIMEOUTS) * chain.params.leaderTimeoutMs),
    metrics: createMetricsRecorder(),
    listeners: new Set(),
    counters: { offenders: new Set(), penalties: 0, lastSupplyCheckMs: -Infinity },
    refsByBytes: new WeakMap(),
    memberByAddress: new Map(chain.committee.members.map((m) => [toHex(m.address), m.index] as const)),
    evidenceSlots: new Set(),
  };
  for (const node of twinsPlanned) {
    if (!Number.isInteger(node) || node < 0 || node >= n) throw new RangeError(`createSimulation: twins names validator ${node}, not in 0..${n - 1}`);
    ctx.twins.set(node, createInstance(chain, crypto, node, 'twin', true));
  }
  const workload = tps > 0 ? createWorkload(ctx, tps, (config.crypto ?? 'real') === 'real' ? (config.maxRealTransfers ?? DEFAULT_MAX_REAL_TRANSFERS) : Number.POSITIVE_INFINITY) : undefined;
  for (const inst of [...ctx.primaries, ...ctx.twins.values()]) scheduler.schedule(0, { kind: 'step', inst, incarnation: 0, input: { type: 'start' } });
  if (workload !== undefined) scheduler.schedule(0, { kind: 'workload' });
  const spamSequence = new Map<number, number>();
  let verdict: Verdict = 'pass';
  let events = 0;

  const runEffects = (inst: Instance, effects: readonly ValidatorEffect[], from: number): void | Promise<void> => {
    for (let i = from; i < effects.length; i++) {
      const pending = carryOut(ctx, inst, effects[i] as (typeof effects)[number]);
      if (pending !== undefined) return pending.then(() => runEffects(inst, effects, i + 1));
    }
  };

  const trackAccepted = (inst: Instance): void => {
    inst.acceptedInStep = false;
    if (ctx.listeners.size === 0) return;
    for (const [key, ref] of inst.unaccepted) {
      if (inst.validator.vertexBytes(ref) === undefined) continue;
      inst.unaccepted.delete(key);
      emit(ctx, () => ({ type: 'vertexAccepted', time: scheduler.nowMs, by: inst.index, ref: refView(ref) }));
    }
  };

  const stepInstance = (inst: Instance, input: StepInput): void | Promise<void> => {
    if (input.type === 'vertexReceived' && ctx.listeners.size > 0) {
      const ref = ctx.refsByBytes.get(input.bytes);
      if (ref !== undefined && inst.unaccepted.size < 4 * n) inst.unaccepted.set(`${ref.round}/${ref.author}/${toHex(ref.digest)}`, ref);
    }
    const effects = inst.validator.step(toValidatorEvent(ctx, inst, input));
    const pending = runEffects(inst, effects, 0);
    if (pending !== undefined) return pending.then(() => (inst.acceptedInStep ? trackAccepted(inst) : undefined));
    if (inst.acceptedInStep) trackAccepted(inst);
  };

  const spamTick = (node: number): void => {
    if (behaviourOf(ctx.byzantine, node, 'spam') === undefined) return;
    const spammer = ctx.primaries[node] as Instance;
    const sequence = spamSequence.get(node) ?? 0;
    spamSequence.set(node, sequence + 1);
    const prng = seeds.streamFor('spam', node, sequence);
    for (const peer of liveInstances(ctx)) {
      if (peer.index === node) continue;
      const bytes = spamMessage(prng, sequence + peer.index, spammer.validator.latestOwnVertex());
      deliver(ctx, spammer, peer, bytes, { type: 'vertexReceived', bytes, from: spammer.peerId });
    }
    scheduler.scheduleAfter(SPAM_INTERVAL_MS, { kind: 'spam', node });
  };

  const dispatch = (task: Task): void | Promise<void> => {
    switch (task.kind) {
      case 'step':
        if (!task.inst.alive || task.incarnation !== task.inst.incarnation) return;
        return stepInstance(task.inst, task.input);
      case 'request':
        if (!task.from.alive || task.from.incarnation !== task.fromIncarnation) return;
        return answerRequest(ctx, task.from, task.to, task.request);
      case 'fault':
        return applyFault(ctx, task.fault);
      case 'workload':
        scheduler.scheduleAfter(WORKLOAD_TICK_MS, { kind: 'workload' });
        return workload?.tick();
      case 'spam':
        return spamTick(task.node);
    }
  };

  const updateVerdict = (): void => {
    const next: Verdict = ctx.safety.violations().length > 0 ? 'diverged' : ctx.liveness.check(scheduler.nowMs) !== undefined ? 'no-progress' : 'pass';
    if (next === verdict) return;
    verdict = next;
    emit(ctx, () => ({ type: 'verdict', time: scheduler.nowMs, verdict: next }));
  };

  const stepOnce = (): void | Promise<void> => {
    const next = scheduler.next();
    if (next === undefined) return;
    events++;
    const pending = dispatch(next.event);
    if (pending !== undefined) return pending.then(updateVerdict);
    updateVerdict();
  };

  const apply = (fault: Fault): void => {
    applyFault(ctx, fault);
    updateVerdict();
  };

  const sim: Simulation = {
    config,
    validators: n,
    get nowMs() {
      return scheduler.nowMs;
    },
    get events() {
      return events;
    },
    runUntil: async (until, options = {}) => {
      const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS_PER_RUN;
      let ran = 0;
      for (;;) {
        if (typeof until === 'number') {
          const head = scheduler.peekTime();
          if (head === undefined || head > until) {
            if (until > scheduler.nowMs) scheduler.runUntil(until, () => undefined, { maxEvents: 0 });
            updateVerdict();
            return { stop: 'time', events: ran, nowMs: scheduler.nowMs };
          }
        } else if (until(sim)) {
          return { stop: 'predicate', events: ran, nowMs: scheduler.nowMs };
        } else if (scheduler.size === 0) {
          return { stop: 'empty', events: ran, nowMs: scheduler.nowMs };
        }
        if (ran >= maxEvents) return { stop: 'maxEvents', events: ran, nowMs: scheduler.nowMs };
        const pending = stepOnce();
        if (pending !== undefined) await pending;
        ran++;
      }
    },
    step: async () => {
      if (scheduler.size === 0) return false;
      const pending = stepOnce();
      if (pending !== undefined) await pending;
      return true;
    },
    apply,
    scheduleFault: (atMs, fault) => {
      scheduler.schedule(atMs, { kind: 'fault', fault });
    },
    partition: (spec) => apply({ kind: 'partition', spec }),
    heal: () => apply({ kind: 'heal' }),
    crash: (node) => apply({ kind: 'crash', node }),
    restart: (node, store) => apply({ kind: 'restart', node, store }),
    byzantine: (node, behaviour) => apply({ kind: 'byzantine', node, behaviour }),
    setLoss: (probability) => apply({ kind: 'loss', probability }),
    setDuplicate: (probability) => apply({ kind: 'duplicate', probability }),
    setReorder: (spec) => apply({ kind: 'reorder', spec }),
    observe: (listener) => {
      ctx.listeners.add(listener);
      return () => {
        ctx.listeners.delete(listener);
      };
    },
    verdict: () => verdict,
    snapshot: (wallMs) => snapshotOf(ctx, verdict, events, wallMs),
    status: (node) => {
      const inst = ctx.primaries[node];
      if (inst === undefined) throw new RangeError(`status: validator ${node} does not exist (0..${n - 1})`);
      return inst.validator.status();
    },
  };
  return Object.freeze(sim);
}

function snapshotOf(ctx: SimContext, verdict: Verdict, events: number, wallMs: number | undefined): SimSnapshot {
  const nowMs = ctx.scheduler.nowMs;
  const honest = ctx.primaries.filter((p) => !ctx.faulty.has(p.index));
  const statuses = honest.map((p) => p.validator.status());
  const committedTxs = ctx.metrics.committedTxs();
  return Object.freeze({
    seed: ctx.seeds.rootSeed,
    virtualMs: nowMs,
    events,
    verdict,
    violations: [...ctx.safety.violations()],
    stall: ctx.liveness.check(nowMs),
    committedHeights: ctx.primaries.map((p) => p.highestCommit),
    commits: ctx.safety.commits(),
    committedTxs,
    committedTxPerSecond: nowMs > 0 ? Math.round((committedTxs * 1000 * 1000) / nowMs) / 1000 : 0,
    submittedTxs: ctx.metrics.submitted(),
    finalityMs: ctx.metrics.finalityMs(),
    recentFinalityMs: ctx.metrics.recentFinalityMs(),
    commitLatencyMs: ctx.metrics.commitLatencyMs(),
    viewChanges: Math.max(0, ...statuses.map((s) => s.skippedLeaders)),
    leaderTimeouts: Math.max(0, ...statuses.map((s) => s.leaderTimeouts)),
    certificates: ctx.safety.certificates(),
    evidence: { count: ctx.evidenceSlots.size, offenders: [...ctx.counters.offenders].sort((a, b) => a - b) },
    bytesSent: ctx.network.stats().bytesSent,
    byzantine: [...ctx.faulty].sort((a, b) => a - b),
    penalties: ctx.counters.penalties,
    digest: ctx.digest.hex(),
    commitDigest: ctx.safety.lastCommitDigest(),
    performance: wallMs === undefined || !(wallMs > 0) ? undefined : { wallMs, eventsPerWallSecond: Math.round((events * 1000) / wallMs), virtualPerWall: Math.round((nowMs / wallMs) * 1000) / 1000 },
  });
}


