/**
 * The peer runtime: the one `core/validator` driven by real effects — the system clock, Node
 * timers, the verify pool on worker threads, the validator key, LevelDB and libp2p.
 *
 * DESIGN.md §3 Full node; core/validator/types.ts (THE SHELL CONTRACT). Events are fed to the
 * validator strictly one at a time through a queue; the effects of one step are carried out in
 * order, and `persist` is awaited (fsync) before the next effect runs, so the own vertex is
 * durable before `broadcast` sends it. `verify` and `sign` are dispatched and answered later as
 * events; timers fire as events. Peers' bytes go to the validator unvalidated: the validator is
 * the one place that validates them, and its `penalize` effects come back to the network.
 *
 * Restart: executed commits and certificates are kept in the store; at start they are handed
 * to the fresh validator as certified commit ranges — the same checked path as catch-up from a
 * peer — and the last persisted own vertex becomes its floor (it never signs that slot again).
 * With a resume point (`init.resume`, resumePoints.ts) the validator starts at that certified
 * checkpoint and only the commits after it are replayed; new points are written as the chain
 * grows and the commits they make redundant are pruned (_snapshotter.ts).
 */
import { decodeCertificate, encodeCertificate, type Certificate } from '../../core/consensus/certificate.ts';
import type { Committee } from '../../core/consensus/committee.ts';
import type { Signer, VerifyPool } from '../../core/crypto/index.ts';
import type { Ledger, ProtocolParams } from '../../core/state/index.ts';
import type { Mempool } from '../../core/state/mempool/index.ts';
import { MAX_RANGE_COMMITS, encodeCommitRange, rangeCommitCodec, type RangeCommit } from '../../core/validator/commitRange.ts';
import { createValidator, seatOf, type Validator } from '../../core/validator/index.ts';
import type { CommittedOutput, ValidatorEffect, ValidatorEvent, ValidatorInit } from '../../core/validator/types.ts';
import type { NetPeerId, PeerNetwork, PeerStore } from './contracts.ts';
import { createClientRelay } from './_clientRelay.ts';
import { createSnapshotter, type PointPosition, type SnapshotWritten } from './_snapshotter.ts';
import type { LoadedResumePoint } from './resumePoints.ts';
import type { LevelPeerStore } from './store/index.ts';
import type { ValidatorBounds } from './config/validatorBounds.ts';

/** What the runtime reports as it goes (metrics, the API's indexes); every hook optional. */
export type RuntimeObserver = {
  committed?(output: CommittedOutput, nowMs: number): void;
  certified?(certificate: Certificate, nowMs: number): void;
  skipped?(): void;
  verified?(items: number): void;
  proposed?(round: number): void;
  /** An effect failed in a way the runtime cannot fix (e.g. the disk): the peer must stop. */
  fatal?(error: unknown): void;
  /** The validator refused a commit range replayed from this node's own store (catch-up from peers takes over). */
  replayRefused?(reason: string): void;
  /** A resume point was written (and what it let the store prune). */
  snapshotWritten?(written: SnapshotWritten): void;
  /** Writing a resume point failed; the next certificate tries again. */
  snapshotFailed?(error: unknown): void;
};

/** Resume points: where the validator starts, how often new ones are written, what is pruned. */
export type RuntimeSnapshots = {
  readonly store: Pick<LevelPeerStore, 'putSnapshot' | 'pruneCommitsBelow' | 'pruneCertificatesBelow'>;
  /** The point to start from (verified by resumePoints.ts), or undefined: the genesis. */
  readonly resume: LoadedResumePoint | undefined;
  readonly intervalCommits: number;
  readonly keepCertificates: number;
};

export type RuntimeInit = {
  readonly committee: Committee;
  readonly ledger: Ledger;
  readonly params: ProtocolParams;
  readonly genesisHash: Uint8Array;
  readonly genesisTimeMs: number;
  readonly leaderSeed: Uint8Array;
  /** The validator's seat, or undefined for a follower (selfAddress required then). */
  readonly selfIndex: number | undefined;
  readonly selfAddress: Uint8Array;
  readonly signer: Signer | undefined;
  readonly mempool: Mempool;
  readonly verifyPool: VerifyPool;
  readonly store: PeerStore;
  readonly network: PeerNetwork;
  /** The store was lost (or the operator says so): learn the last own round from peers first. */
  readonly recoverFromPeers?: boolean;
  /** The operator's bounds from [dag] and [consensus] (config/validatorBounds.ts); the validator's defaults otherwise. */
  readonly validatorBounds?: ValidatorBounds;
  /** Default: no resume points (start at genesis, keep every commit). */
  readonly snapshots?: RuntimeSnapshots;
  readonly observer?: RuntimeObserver;
  /** The clock; `Date.now` unless a test pins it. */
  readonly nowMs?: () => number;
};

export type PeerRuntime = {
  readonly validator: Validator;
  /** Creates the validator and starts it: after this the validator and its status exist. */
  open(): Promise<void>;
  /** Replays the stored commits (restart); resolves when done or given up (peers take over). */
  replay(): Promise<void>;
  /** `open` then `replay`. */
  start(): Promise<void>;
  /** Stops timers and the queue (the network and store are closed by their owner). */
  stop(): void;
  /** `stop`, then waits for the step being carried out and any resume point being written: after it, nothing of this runtime touches the store. */
  halt(): Promise<void>;
  /** Raw transaction bytes from a client (`api`: proposed here, gossiped on if no vertex carries it soon: _clientRelay.ts) or from gossip (already spreading). */
  submitTransaction(bytes: Uint8Array, from: NetPeerId | 'api'): Promise<Awaited<ReturnType<Mempool['admit']>>>;
  /** A signed vertex from gossip or a fetch answer: straight to the validator, which validates it. */
  receiveVertex(bytes: Uint8Array, from: NetPeerId): void;
  /** The committee of the validator's current epoch (changes at epoch switches). */
  committee(): Committee;
  /** The newest certificate seen, if any. */
  latestCertificate(): Certificate | undefined;
  /** Events waiting in the queue (for /status and tests). */
  queueLength(): number;
  /** The newest resume point written or started from. */
  newestResumePoint(): PointPosition | undefined;
  /** Resolves when no resume point is being written (before closing the store). */
  snapshotsIdle(): Promise<void>;
};

/** The `from` of ranges replayed from the own store at start: never a peer to penalize. */
const REPLAY_SOURCE = 'self';
/** How long one replayed range may take to verify and execute before the replay gives up (peers take over). */
const REPLAY_RANGE_TIMEOUT_MS = 60_000;
/** The replay checks the validator's progress this often (it runs once, at start). */
const REPLAY_POLL_MS = 5;

/** Client transactions a seated node holds back from gossip at once (25,000 tx/s for the default 400 ms). */
const CLIENT_RELAY_MAX_HELD = 10_000;

/** Certificates this peer stored itself: bounded generously (10,000 signers of the largest scheme fit). */
export const STORED_CERTIFICATE_MAX_BYTES = 64 * 1024 * 1024;

export function createPeerRuntime(init: RuntimeInit): PeerRuntime {
  const now = init.nowMs ?? Date.now;
  const { store, network, verifyPool, observer } = init;
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const queue: ValidatorEvent[] = [];
  let draining = false;
  /** The drain in progress (halt waits for its last step's effects). */
  let drained: Promise<void> = Promise.resolve();
  let validator: Validator;
  const resume = init.snapshots?.resume;
  let committee = resume?.committee ?? init.committee;
  /** Whether this node proposes in the current epoch: it signs and the committee gives it a seat (kept at epoch switches). */
  let seated = init.signer !== undefined && seatOf(committee, init.selfAddress) !== undefined;
  let latestCertificate: Certificate | undefined = resume?.point.certificate;
  const resumedFrom = resume === undefined ? undefined : { sequence: resume.point.certificate.checkpoint.sequence, commitIndex: resume.point.certificate.checkpoint.lastCommitIndex };
  const snapshotter = createSnapshotter({
    store: init.snapshots?.store ?? { putSnapshot: async () => 0, pruneCommitsBelow: async () => 0, pruneCertificatesBelow: async () => 0 },
    intervalCommits: init.snapshots?.intervalCommits ?? 0,
    keepCertificates: init.snapshots?.keepCertificates ?? 0,
    resumedFrom,
    nowMs: now,
    ...(observer?.snapshotWritten === undefined ? {} : { onWritten: observer.snapshotWritten }),
    onError: (error) => observer?.snapshotFailed?.(error),
  });

  /** Set by `open`: what arrives before the validator exists (gossip on a network started first) is dropped, and its first event is `start`. */
  let opened = false;
  const enqueue = (event: ValidatorEvent): void => {
    if (stopped || !opened) return;
    queue.push(event);
    if (!draining) drained = drain();
  };

  /** One event at a time; effects of a step in order; persist awaited before what follows. */
  const drain = async (): Promise<void> => {
    draining = true;
    try {
      for (let event = queue.shift(); event !== undefined && !stopped; event = queue.shift()) {
        // Events carry the time they are handled at (time must not run backwards per validator).
        const effects = validator.step({ ...event, nowMs: Math.max(event.nowMs, now()) } as ValidatorEvent);
        for (const effect of effects) await carryOut(effect);
      }
    } catch (e) {
      stopped = true;
      observer?.fatal?.(e);
    } finally {
      draining = false;
    }
  };

  const carryOut = async (effect: ValidatorEffect): Promise<void> => {
    switch (effect.type) {
      case 'persist':
        await store.putDurable(effect.key, effect.bytes);
        return;
      case 'broadcast':
        network.publishVertex(effect.bytes);
        if (effect.resend === true) {
          // Gossip drops a message it has already seen, so a resend alone may go nowhere (and a
          // vertex published before the mesh formed reached nobody). A stalled validator also
          // pulls every peer's latest vertex: whoever is stuck on the same round gets unstuck.
          network.requestLatestVertices((bytes, from, fromMember) => enqueue({ type: 'latestVertexReceived', nowMs: now(), bytes, from, fromMember }));
        } else {
          observer?.proposed?.(effect.round);
        }
        return;
      case 'verify': {
        const { token, items } = effect;
        verifyPool.verifyBatch(items).then(
          (results) => {
            observer?.verified?.(items.length);
            enqueue({ type: 'verified', nowMs: now(), token, results });
          },
          // A failed pool (queue full, a worker died): the verdict is a function of the items, retry.
          () => retryLater(() => carryOut(effect)),
        );
        return;
      }
      case 'sign': {
        const signer = init.signer;
        if (signer === undefined) throw new Error('peer runtime: asked to sign without a validator key');
        const { token, message, context } = effect;
        signer.sign(message, context).then(
          (signature) => enqueue({ type: 'signed', nowMs: now(), token, signature }),
          (e: unknown) => {
            stopped = true;
            observer?.fatal?.(e);
          },
        );
        return;
      }
      case 'setTimer': {
        const { timerId, atMs } = effect;
        const handle = setTimeout(() => {
          timers.delete(handle);
          enqueue({ type: 'timer', nowMs: now(), timerId });
        }, Math.max(0, atMs - now()));
        timers.add(handle);
        return;
      }
      case 'fetch':
        network.fetchVertices(effect.refs, effect.from);
        return;
      case 'requestLatestVertices':
        network.requestLatestVertices((bytes, from, fromMember) => enqueue({ type: 'latestVertexReceived', nowMs: now(), bytes, from, fromMember }));
        return;
      case 'requestCommitRange':
        network.requestCommitRange(effect.fromIndex, effect.epoch, (bytes, from) => enqueue({ type: 'commitRangeReceived', nowMs: now(), bytes, from }));
        return;
      case 'penalize':
        // The own store's range was refused: a fact about this node's data, not about a peer.
        if (effect.peer === REPLAY_SOURCE) observer?.replayRefused?.(effect.reason);
        else network.penalize(effect.peer, effect.reason);
        return;
      case 'committed':
        await recordCommit(effect);
        observer?.committed?.(effect, now());
        return;
      case 'checkpointCertified':
        await store.putCertificate(effect.certificate, encodeCertificate(effect.certificate));
        if (latestCertificate === undefined || effect.certificate.checkpoint.sequence > latestCertificate.checkpoint.sequence) latestCertificate = effect.certificate;
        observer?.certified?.(effect.certificate, now());
        snapshotter.certified(effect.certificate, () => validator.resumePoint());
        return;
      case 'epochChanged':
        committee = effect.committee;
        seated = init.signer !== undefined && effect.selfIndex !== undefined;
        return;
      case 'skipped':
        observer?.skipped?.();
        return;
      default:
        return;
    }
  };

  const retryLater = (action: () => Promise<void>): void => {
    const handle = setTimeout(() => {
      timers.delete(handle);
      if (!stopped) void action();
    }, 50);
    timers.add(handle);
  };

  /** The commit's vertices, encoded as a range commit, so a restart can replay it through a range. */
  const recordCommit = async (output: CommittedOutput): Promise<void> => {
    const commit: RangeCommit = { index: output.commitIndex, how: output.how, vertices: output.signedVertices };
    await store.appendCommit(output.commitIndex, validator.status().epoch, rangeCommitCodec.encode(commit));
  };

  /**
   * Resolves true once the validator has executed commit `index` and is not between an epoch's
   * last commit and its certificate; false when it did not get there within the bound (the
   * stored range was refused: the rest comes from peers by catch-up).
   */
  const appliedThrough = async (index: bigint): Promise<boolean> => {
    const deadlineMs = now() + REPLAY_RANGE_TIMEOUT_MS;
    while (!stopped && now() < deadlineMs) {
      const status = validator.status();
      if (status.lastCommitIndex >= index && !status.epochClosing) return true;
      await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
    }
    return false;
  };

  /**
   * Replays the stored commits as certified ranges, each ending at a stored certificate: the
   * furthest one of the same epoch within MAX_RANGE_COMMITS (a range never crosses an epoch),
   * so a long chain replays in few ranges rather than one per checkpoint — each range costs a
   * certificate verification and a wait for its execution.
   */
  const replayStored = async (): Promise<void> => {
    const certificates = (await store.certificatesFrom((resumedFrom?.sequence ?? 0n) + 1n, Number.MAX_SAFE_INTEGER))
      .map((bytes) => decodeCertificate(bytes, STORED_CERTIFICATE_MAX_BYTES))
      .filter((r) => r.ok)
      .map((r) => (r as { ok: true; value: Certificate }).value);
    // From a resume point only the commits after it are replayed.
    let next = (resumedFrom?.commitIndex ?? 0n) + 1n;
    for (let i = 0; i < certificates.length; i++) {
      let certificate = certificates[i] as Certificate;
      if (certificate.checkpoint.lastCommitIndex < next) continue;
      for (let j = i + 1; j < certificates.length; j++) {
        const later = certificates[j] as Certificate;
        if (later.checkpoint.epoch !== certificate.checkpoint.epoch || later.checkpoint.lastCommitIndex - next + 1n > BigInt(MAX_RANGE_COMMITS)) break;
        certificate = later;
        i = j;
      }
      const end = certificate.checkpoint.lastCommitIndex;
      while (next <= end) {
        const stored = await store.commitsFrom(next, Math.min(MAX_RANGE_COMMITS, Number(end - next + 1n)));
        if (stored.length === 0) return;
        const commits: RangeCommit[] = [];
        for (const s of stored) {
          const decoded = rangeCommitCodec.decode(s.encoded, { maxBytes: s.encoded.length });
          if (!decoded.ok) return;
          commits.push(decoded.value);
        }
        const last = commits[commits.length - 1] as RangeCommit;
        // A range must end at its certificate: replay only whole certified stretches.
        if (last.index !== end) return;
        enqueue({ type: 'commitRangeReceived', nowMs: now(), bytes: encodeCommitRange({ commits, certificate }), from: REPLAY_SOURCE });
        // One range at a time: its certificate is verified asynchronously, and the next range
        // (possibly of the next epoch) is acceptable only once this one is executed.
        if (!(await appliedThrough(end))) return;
        next = end + 1n;
      }
    }
  };

  const open = async (): Promise<void> => {
    const latestOwn = await store.latestOwnVertex();
    const lastOwnVertex = latestOwn === undefined ? undefined : { epoch: latestOwn.epoch, round: latestOwn.round };
    const restart: ValidatorInit['restart'] = init.recoverFromPeers === true ? { kind: 'store-lost' } : lastOwnVertex === undefined ? undefined : { kind: 'store-kept', lastOwnVertex };
    validator = createValidator(
      { committee, ledger: resume?.point.ledger ?? init.ledger, mempool: init.mempool },
      {
        // The genesis seat is not the seat in a later epoch: from a resume point the validator finds its own.
        ...(init.selfIndex === undefined || resume !== undefined ? { selfAddress: init.selfAddress } : { selfIndex: init.selfIndex }),
        params: init.params,
        leaderSeed: resume?.point.leaderSeed ?? init.leaderSeed,
        ...(resume === undefined ? {} : { resume: resume.point }),
        genesisHash: init.genesisHash,
        genesisTimeMs: init.genesisTimeMs,
        ...(restart === undefined ? {} : { restart }),
        ...init.validatorBounds,
      },
    );
    opened = true;
    enqueue({ type: 'start', nowMs: now() });
  };

  // A seated node's own vertex carries its clients' transactions; gossip is the fallback (_clientRelay.ts).
  const clientRelay = createClientRelay({
    publish: (bytes) => network.publishTransaction(bytes),
    proposes: () => seated,
    waiting: (id) => init.mempool.has(id) && !(opened && validator.rides(id)),
    relayAfterMs: 2 * init.params.leaderTimeoutMs,
    maxHeld: CLIENT_RELAY_MAX_HELD,
  });

  const stop = (): void => {
    stopped = true;
    clientRelay.stop();
    for (const t of timers) clearTimeout(t);
    timers.clear();
    queue.length = 0;
  };

  return {
    get validator() {
      return validator;
    },
    open,
    replay: replayStored,
    async start() {
      await open();
      await replayStored();
    },
    stop,
    async halt() {
      stop();
      await drained;
      await snapshotter.idle();
    },
    async submitTransaction(bytes, from) {
      // A client's transaction is this node's to propose; a relayed one waits for its first node (core/validator/_txChoice.ts).
      const result = await init.mempool.admit(bytes, { origin: from === 'api' ? 'local' : 'peer' });
      if (result.ok && from === 'api') clientRelay.admitted(bytes, result.value.id);
      return result;
    },
    receiveVertex(bytes, from) {
      enqueue({ type: 'vertexReceived', nowMs: now(), bytes, from });
    },
    committee: () => committee,
    latestCertificate: () => latestCertificate,
    queueLength: () => queue.length,
    newestResumePoint: () => snapshotter.newest(),
    snapshotsIdle: () => snapshotter.idle(),
  };
}

