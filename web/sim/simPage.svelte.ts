/**
 * State of the simulator page (HOUSE-RULES 17: runes state in a class, replaced data in
 * `$state.raw`, no effect writes state). Components bind the controls and call the methods;
 * the run happens in the worker (simClient.ts), whose messages land here.
 *
 * Event flow: worker batches are queued and ingested into the DAG view model once per
 * animation frame, at most MAX_INGEST_PER_FRAME events per frame, so a burst (a seek that
 * re-runs a minute) never blocks the page. The DAG model is a plain object: `dagVersion`
 * tells the canvas when to redraw.
 */
import type { SimEvent, SimSnapshot } from '../../sim/run/index.ts';
import { createDagModel, type DagModel } from '../dag/model.ts';
import type { SignatureInfo } from '../dag/types.ts';
import { refKey, type VertexKey, type ViewVertex } from '../dag/vertex.ts';
import type { CommitSample } from '../plots/series.ts';
import { signatureInfoOf, toDagEvent } from './adapt.ts';
import { DEFAULT_RUN_CONFIG, type RunConfig } from './config.ts';
import { laneStatesAt } from './lanes.ts';
import type { Explanation, LiveFault, PageMessage, ProtocolError, RunStatus, WorkerMessage } from './protocol.ts';
import { decodeReplayFragment, encodeReplayFragment, replayLinkErrorText } from './replayLink.ts';

/** Events ingested per frame: ~2 ms of model work on a laptop, so frames stay smooth. */
const MAX_INGEST_PER_FRAME = 20_000;
/** Explanation lines kept on screen (newest first). */
const MAX_EXPLANATIONS = 300;
/** Commit samples kept for the plots (one per commit index). */
const MAX_COMMIT_SAMPLES = 20_000;

export type SimPageComponents = {
  /** Starts (lazily) the worker and returns its handle; messages go to the callback. */
  readonly connect: (onMessage: (message: WorkerMessage) => void) => { send(message: PageMessage): void; terminate(): void };
  readonly requestFrame: (callback: () => void) => number;
  readonly cancelFrame: (handle: number) => void;
  /** Origin and path the replay link is built on (`location.origin + location.pathname`). */
  readonly pageUrl: () => string;
};

const IDLE_STATUS: RunStatus = Object.freeze({ nowMs: 0, playing: false, virtualMsPerSecond: 1_000, seeking: false, horizonMs: 0, script: [] });

export class SimulatorPage {
  /** The controls' values; applied by `restart()`. */
  draft = $state<RunConfig>({ ...DEFAULT_RUN_CONFIG });
  running = $state.raw<RunConfig | undefined>(undefined);
  status = $state.raw<RunStatus>(IDLE_STATUS);
  snapshot = $state.raw<SimSnapshot | undefined>(undefined);
  explanations = $state.raw<readonly Explanation[]>([]);
  error = $state.raw<ProtocolError | undefined>(undefined);
  notice = $state('');
  model = $state.raw<DagModel | undefined>(undefined);
  dagVersion = $state(0);
  selectedKey = $state<VertexKey | undefined>(undefined);
  /**
   * A vertex the DAG view should bring into view (the divergence, a navigated parent); `seq`
   * tells a repeated request for the same vertex from the one already served.
   */
  reveal = $state.raw<{ readonly key: VertexKey; readonly seq: number } | undefined>(undefined);
  /** The validator chosen in the DAG (its lane) or in the side panel: the faults menu applies to it. */
  selectedValidator = $state.raw<{ readonly node: number; readonly seq: number } | undefined>(undefined);
  commits = $state.raw<readonly CommitSample[]>([]);
  /** Times of skipped leader slots (view changes), once per slot whoever reported it first. */
  skips = $state.raw<readonly number[]>([]);
  #skippedSlots = new Set<string>();
  /** Speed the person chose, virtual ms per wall second. */
  speed = $state(1_000);
  /** Partition side per validator (0 or 1), for the "cut" button. */
  sides = $state<number[]>([]);
  helpOpen = $state(false);

  readonly verdict = $derived(this.snapshot?.verdict ?? 'pass');
  readonly firstViolation = $derived(this.snapshot?.violations[0]);
  readonly laneStates = $derived(laneStatesAt(this.running?.validators ?? 0, this.status.script, this.status.nowMs));
  readonly replayUrl = $derived.by(() => {
    if (this.running === undefined) return '';
    return `${this.#components.pageUrl()}#${encodeReplayFragment({ config: this.running, script: this.status.script, atMs: Math.round(this.status.nowMs) })}`;
  });
  readonly details = $derived.by(() => {
    void this.dagVersion;
    return this.selectedKey === undefined ? undefined : this.model?.details(this.selectedKey);
  });
  readonly roundsShown = $derived.by(() => {
    void this.dagVersion;
    return this.model?.roundRange()?.highest ?? 0;
  });

  readonly #components: SimPageComponents;
  #client: { send(message: PageMessage): void; terminate(): void } | undefined;
  #pending: SimEvent[][] = [];
  #frame: number | undefined;
  #signature: SignatureInfo = signatureInfoOf('modeled');
  #highestSampledIndex = -1;
  #violationShown = false;

  constructor(components: SimPageComponents) {
    this.#components = components;
  }

  /** Starts the page's run: the replay in `fragment` when it holds one, else the controls' configuration. */
  start(fragment: string): void {
    const replay = decodeReplayFragment(fragment);
    if (replay.ok) {
      this.draft = { ...replay.value.config };
      this.notice = `Replaying a shared run to ${(replay.value.atMs / 1000).toFixed(1)} s.`;
      this.#send({ type: 'configure', config: replay.value.config, script: replay.value.script, untilMs: replay.value.atMs });
    } else {
      if (replay.error.code !== 'NOT_A_REPLAY_LINK') this.notice = `Could not open the replay link: ${replayLinkErrorText(replay.error)}. Started a fresh run instead.`;
      this.restart();
    }
    this.#send({ type: 'speed', virtualMsPerSecond: this.speed });
  }

  /** A new run with the controls' configuration. */
  restart(): void {
    this.#send({ type: 'configure', config: { ...this.draft }, script: [], untilMs: undefined });
  }

  play(): void {
    this.#send({ type: 'play' });
  }

  pause(): void {
    this.#send({ type: 'pause' });
  }

  togglePlay(): void {
    if (this.status.playing || this.status.seeking) this.pause();
    else this.play();
  }

  step(): void {
    this.#send({ type: 'step' });
  }

  setSpeed(virtualMsPerSecond: number): void {
    this.speed = virtualMsPerSecond;
    this.#send({ type: 'speed', virtualMsPerSecond });
  }

  seek(timeMs: number): void {
    this.#send({ type: 'seek', timeMs: Math.round(timeMs) });
  }

  branch(): void {
    this.#send({ type: 'branch' });
  }

  inject(fault: LiveFault): void {
    this.#send({ type: 'fault', fault });
  }

  /** Cuts the network between the two sides chosen in `sides`. */
  cut(): void {
    const n = this.running?.validators ?? 0;
    const groups = [0, 1].map((side) => Array.from({ length: n }, (_, i) => i).filter((i) => (this.sides[i] ?? 0) === side));
    if (groups.some((g) => g.length === 0)) {
      this.notice = 'Put at least one validator on each side of the cut.';
      return;
    }
    this.inject({ kind: 'partition', spec: { kind: 'groups', groups } });
  }

  select(vertex: ViewVertex | undefined): void {
    this.selectedKey = vertex?.key;
  }

  /** Selects a vertex and asks the DAG view to bring it into view. */
  focusVertex(key: VertexKey): void {
    this.selectedKey = key;
    this.reveal = { key, seq: (this.reveal?.seq ?? 0) + 1 };
  }

  /** Chooses the validator the side panel's faults apply to; choosing it again opens its menu again. */
  selectValidator(node: number): void {
    const validators = this.running?.validators ?? 0;
    if (!Number.isInteger(node) || node < 0 || node >= validators) throw new RangeError(`selectValidator: validator ${node} does not exist (0..${validators - 1})`);
    this.selectedValidator = { node, seq: (this.selectedValidator?.seq ?? 0) + 1 };
  }

  /** Selects the first conflicting commit's leader vertex and brings it into view (the divergence highlight). */
  showDivergence(): void {
    const v = this.firstViolation;
    if (v?.kind === 'commit-divergence') this.focusVertex(refKey(v.first.leader));
  }

  dispose(): void {
    if (this.#frame !== undefined) this.#components.cancelFrame(this.#frame);
    this.#client?.terminate();
    this.#client = undefined;
  }

  #send(message: PageMessage): void {
    this.#client ??= this.#components.connect((m) => this.#receive(m));
    this.#client.send(message);
  }

  #receive(message: WorkerMessage): void {
    switch (message.type) {
      case 'ready':
        return this.#reset(message.config, message.stakes);
      case 'events':
        this.#pending.push([...message.events]);
        this.#frame ??= this.#components.requestFrame(() => this.#ingest());
        return;
      case 'status':
        this.status = message.status;
        return;
      case 'metrics':
        this.snapshot = message.snapshot;
        return;
      case 'explanations':
        this.explanations = [...[...message.lines].reverse(), ...this.explanations].slice(0, MAX_EXPLANATIONS);
        return;
      case 'error':
        this.error = message.error;
        return;
    }
  }

  #reset(config: RunConfig, stakes: readonly number[]): void {
    this.running = config;
    this.model = createDagModel({ stakes });
    this.#signature = signatureInfoOf(config.crypto);
    this.#pending = [];
    this.#highestSampledIndex = -1;
    this.#violationShown = false;
    this.commits = [];
    this.skips = [];
    this.#skippedSlots = new Set();
    this.explanations = [];
    this.snapshot = undefined;
    this.selectedKey = undefined;
    this.reveal = undefined;
    // A seek back re-runs the same committee: the chosen validator stays chosen.
    if (this.selectedValidator !== undefined && this.selectedValidator.node >= config.validators) this.selectedValidator = undefined;
    this.error = undefined;
    if (this.sides.length !== config.validators) this.sides = Array.from({ length: config.validators }, (_, i) => (i < config.validators / 2 ? 0 : 1));
    this.dagVersion = this.model.version();
  }

  #ingest(): void {
    this.#frame = undefined;
    const model = this.model;
    if (model === undefined) return;
    const samples: CommitSample[] = [];
    const skips: number[] = [];
    let budget = MAX_INGEST_PER_FRAME;
    while (budget > 0 && this.#pending.length > 0) {
      const batch = this.#pending[0] as SimEvent[];
      const taken = batch.splice(0, budget);
      if (batch.length === 0) this.#pending.shift();
      budget -= taken.length;
      for (const event of taken) this.#ingestOne(model, event, samples, skips);
    }
    if (samples.length > 0) this.commits = [...this.commits, ...samples].slice(-MAX_COMMIT_SAMPLES);
    if (skips.length > 0) this.skips = [...this.skips, ...skips].slice(-MAX_COMMIT_SAMPLES);
    this.dagVersion = model.version();
    if (this.#pending.length > 0) this.#frame = this.#components.requestFrame(() => this.#ingest());
  }

  #ingestOne(model: DagModel, event: SimEvent, samples: CommitSample[], skips: number[]): void {
    if (event.type === 'skipped') {
      const slot = `${event.round}/${event.leader}`;
      if (!this.#skippedSlots.has(slot)) {
        this.#skippedSlots.add(slot);
        skips.push(event.time);
      }
    }
    if (event.type === 'committed' && event.index > this.#highestSampledIndex) {
      this.#highestSampledIndex = event.index;
      samples.push({ timeMs: event.time, transactions: event.txs });
    }
    if (event.type === 'violation' && event.violation.kind === 'commit-divergence' && !this.#violationShown) {
      this.#violationShown = true;
      this.focusVertex(refKey(event.violation.first.leader));
    }
    const dagEvent = toDagEvent(event, this.#signature);
    if (dagEvent === undefined) return;
    try {
      model.ingest(dagEvent);
    } catch (error) {
      // A malformed event is a bug between engine and view; show it rather than freeze the page.
      this.error = { code: 'MALFORMED_MESSAGE', message: `the DAG view refused an event: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
