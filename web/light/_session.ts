/**
 * One light-client session: from the pasted genesis to a followed, verified head.
 * DESIGN.md §2 Light client; docs/light-client.md for the rules core/light applies.
 *
 * `start`: the trust root from the genesis text (core/state `parseGenesis`, core/light
 * `trustGenesis`); the stored state when it has the same chain and trust root and passes the
 * load re-check (`loadLightState`), timed; dial every listed peer; ratchet through the
 * end-of-epoch certificates of the first peer that serves them; then the newest certificate of
 * every connected peer. `poll` (the worker calls it about once a second, never two at once):
 * the newest certificate of every connected peer, storage of a moved head (at most once per
 * `persistIntervalMs`), and redialling while fewer than `minPeers` are connected.
 *
 * `forget` deletes the stored state and stops this session from writing it again.
 *
 * Time, the network, storage and the verifier are components, so tests run the session
 * against fake peers serving real certificates with a fake clock.
 */
import { genesisHash, parseGenesis, type Genesis } from '../../core/state/index.ts';
import { bytesEqual, toHex } from '../../core/crypto/index.ts';
import { encodeLightState, loadLightState, makeReceipt, trustGenesis, type LightState, type LightVerifier } from '../../core/light/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { lookUpAccount } from './_account.ts';
import { askLatest, considerLatest, syncEpochsFrom } from './_certificates.ts';
import { createSerial, type Clock, type SessionContext } from './_context.ts';
import { forgedRecordToJson } from './_describe.ts';
import { isUsable, mayDial, newPeerEntry, parsePeerAddress, peerView, recordDialResult, recordDialStart, markDisconnected, type PeerEntry } from './_peers.ts';
import { lightStoreKey, type LightStore } from './_persist.ts';
import type { LightTransport } from './_transport.ts';
import { headView } from './_views.ts';
import { lightEvidenceToJson } from '../../core/light/index.ts';
import type { ConnectRequest, LightError, LightStatus, SyncPhase, VerifiedAccountView, VerifiedHead } from './protocol.ts';

export type LightSessionComponents = {
  readonly transport: LightTransport;
  readonly verifier: LightVerifier;
  /** Undefined: run without storage (nothing resumed, nothing kept). */
  readonly store: LightStore | undefined;
  readonly clock: Clock;
  /** Called whenever something in `status()` changed (the worker throttles what it posts). */
  readonly onChange: () => void;
};

export type LightSessionInit = {
  /** Connected peers the session keeps by redialling. Default 3 (or every listed peer when fewer). */
  readonly minPeers?: number;
  /** Dial attempts per peer per minute at most. Default 6. */
  readonly maxDialsPerMinute?: number;
  /** Least time between two writes of the verified state. Default 1,000 ms. */
  readonly persistIntervalMs?: number;
};

export const LIGHT_SESSION_DEFAULTS = Object.freeze({ minPeers: 3, maxDialsPerMinute: 6, persistIntervalMs: 1_000 });

export type LightSession = {
  start(): Promise<Result<{ readonly resumed: boolean }, LightError>>;
  poll(): Promise<void>;
  account(addressText: string): Promise<Result<VerifiedAccountView, LightError>>;
  head(): Result<VerifiedHead, LightError>;
  evidence(): Result<{ readonly fileName: string; readonly json: string }, LightError>;
  /** Deletes this trust root's stored state (the session goes on in memory). */
  forget(): Promise<Result<void, LightError>>;
  status(): LightStatus;
  close(): Promise<void>;
};

/** Checks the request and builds the session; a bad genesis or peer address is refused here, before any dial. */
export function createLightSession(components: LightSessionComponents, request: ConnectRequest, init: LightSessionInit = {}): Result<LightSession, LightError> {
  const genesis = parseGenesis(request.trust.genesisText);
  if (!genesis.ok) {
    const lines = genesis.error.slice(0, 5).map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`));
    return err({ code: 'BAD_TRUST_ROOT', message: `the genesis was refused: ${lines.join('; ')}` });
  }
  const peers: PeerEntry[] = [];
  for (const text of request.peers) {
    const parsed = parsePeerAddress(text, request.allowLoopback);
    if (!parsed.ok) return err({ code: 'BAD_PEER_ADDRESS', message: parsed.error });
    if (!peers.some((p) => p.peerId === parsed.value.peerId)) peers.push(newPeerEntry(parsed.value.multiaddr, parsed.value.peerId));
  }
  if (peers.length === 0) return err({ code: 'BAD_PEER_ADDRESS', message: 'no peer given: list at least one /ws/p2p/<peer id> multiaddr' });
  return ok(buildSession(components, genesis.value, peers, init));
}

function buildSession(components: LightSessionComponents, genesis: Genesis, peers: PeerEntry[], init: LightSessionInit): LightSession {
  const options = { ...LIGHT_SESSION_DEFAULTS, ...init };
  const minPeers = Math.min(options.minPeers, peers.length);
  const { store, clock } = components;
  const root = trustGenesis(genesis);
  const storeKey = lightStoreKey(root.chainId, toHex(genesisHash(genesis)));
  const ctx: SessionContext = {
    transport: components.transport,
    verifier: components.verifier,
    clock,
    changed: components.onChange,
    light: root,
    head: undefined,
    peers,
    alarms: [],
    evidence: undefined,
    epochSync: { done: 0, total: 0 },
    dirty: false,
    closed: false,
    serial: createSerial(),
  };
  let phase: SyncPhase = 'idle';
  let resumed: LightStatus['resumed'];
  let storageError: string | undefined;
  let lastSaveMs = Number.NEGATIVE_INFINITY;
  let polling = false;
  /** Set by `forget`: this session keeps nothing more, so the next connect starts from the root. */
  let forgotten = false;

  const setPhase = (next: SyncPhase): void => {
    if (phase === next) return;
    phase = next;
    ctx.changed();
  };
  const settledPhase = (): SyncPhase => (ctx.light.head !== undefined && peers.some(isUsable) ? 'following' : 'stalled');

  ctx.transport.onDisconnect((peerId) => {
    const peer = peers.find((p) => p.peerId === peerId);
    if (peer === undefined || peer.state === 'banned' || ctx.closed) return;
    markDisconnected(peer, clock.nowMs(), 'the connection closed');
    ctx.changed();
  });

  async function resume(): Promise<boolean> {
    if (store === undefined) return false;
    const startedMs = clock.nowMs();
    const stored = await store.load(storeKey);
    if (!stored.ok) {
      storageError = stored.error.message;
      return false;
    }
    if (stored.value === undefined) return false;
    const loaded = loadLightState(stored.value);
    const accepted = loaded.ok && sameRoot(loaded.value, root) ? loaded.value : undefined;
    resumed = Object.freeze({ fromStorage: accepted !== undefined, loadMs: clock.nowMs() - startedMs });
    if (accepted?.head === undefined) return false;
    ctx.light = accepted;
    ctx.head = { receipt: makeReceipt(accepted.head, 'certificate-cached', []), served: undefined, certifyingCommittee: accepted.committee };
    ctx.changed();
    return true;
  }

  async function persist(force: boolean): Promise<void> {
    if (store === undefined || forgotten || !ctx.dirty) return;
    const nowMs = clock.nowMs();
    if (!force && nowMs - lastSaveMs < options.persistIntervalMs) return;
    ctx.dirty = false;
    lastSaveMs = nowMs;
    const saved = await store.save(storeKey, encodeLightState(ctx.light));
    const message = saved.ok ? undefined : saved.error.message;
    if (message !== storageError) {
      storageError = message;
      ctx.changed();
    }
  }

  async function dial(peer: PeerEntry): Promise<void> {
    recordDialStart(peer, clock.nowMs());
    ctx.changed();
    const dialled = await ctx.transport.dial(peer.multiaddr, peer.peerId);
    if (ctx.closed) return;
    recordDialResult(peer, clock.nowMs(), dialled.ok ? undefined : `${dialled.error.code}: ${dialled.error.message}`);
    ctx.changed();
  }

  async function keepPeers(): Promise<void> {
    if (peers.filter(isUsable).length >= minPeers) return;
    const nowMs = clock.nowMs();
    await Promise.all(peers.filter((p) => mayDial(p, nowMs, options.maxDialsPerMinute)).map(dial));
  }

  /** The newest certificate of every connected peer, the highest first (lower ones are then stale or cached). */
  async function followAll(): Promise<void> {
    const served = await Promise.all(peers.filter(isUsable).map(async (peer) => ({ peer, latest: await askLatest(ctx, peer) })));
    served.sort((a, b) => Number((b.latest?.certificate.checkpoint.sequence ?? -1n) - (a.latest?.certificate.checkpoint.sequence ?? -1n)));
    for (const { peer, latest } of served) {
      if (latest === undefined || ctx.closed) continue;
      const admitted = await considerLatest(ctx, peer, latest.certificate, latest.bytes);
      if (admitted === 'ahead' && (await syncEpochsFrom(ctx, peer)) === 'done') await considerLatest(ctx, peer, latest.certificate, latest.bytes);
    }
  }

  async function syncFromFirstPeer(): Promise<void> {
    setPhase('syncing-epochs');
    for (const peer of peers) {
      if (!isUsable(peer) || ctx.closed) continue;
      const outcome = await syncEpochsFrom(ctx, peer);
      await persist(true);
      if (outcome === 'done') return;
    }
  }

  const session: LightSession = {
    async start() {
      const fromStorage = await resume();
      setPhase('connecting');
      await Promise.all(peers.map(dial));
      await syncFromFirstPeer();
      await followAll();
      await persist(true);
      setPhase(settledPhase());
      return ok(Object.freeze({ resumed: fromStorage }));
    },
    async poll() {
      if (polling || ctx.closed) return;
      polling = true;
      try {
        await followAll();
        await persist(false);
        await keepPeers();
        setPhase(settledPhase());
      } finally {
        polling = false;
      }
    },
    account: (addressText) => lookUpAccount(ctx, addressText),
    head() {
      const head = ctx.head;
      if (head === undefined || ctx.light.head === undefined) return err({ code: 'NO_VERIFIED_HEAD', message: 'no certified checkpoint verified yet' });
      return ok(headView(ctx.light, head));
    },
    evidence() {
      const evidence = ctx.evidence;
      if (evidence === undefined || evidence.kind === 'conflict-unprovable') return err({ code: 'NO_EVIDENCE', message: evidence === undefined ? 'no alarm this session' : 'the conflicting head came from storage: its certificate is not kept, so there is no evidence to export' });
      if (evidence.kind === 'forged') {
        const { record } = evidence;
        return ok({ fileName: `kaldrix-forged-certificate-${record.peerId.slice(-12)}-${record.atMs}.json`, json: forgedRecordToJson(record) });
      }
      const { report } = evidence;
      return ok({ fileName: `kaldrix-light-evidence-${report.chainId}-${report.sequence}.json`, json: lightEvidenceToJson(evidence.evidence, report) });
    },
    async forget() {
      if (store === undefined) return err({ code: 'STORAGE_FAILED', message: 'no storage in this session' });
      forgotten = true;
      return store.remove(storeKey);
    },
    status() {
      return Object.freeze({
        phase,
        peers: Object.freeze(peers.map(peerView)),
        epochSync: Object.freeze({ ...ctx.epochSync }),
        head: ctx.head === undefined || ctx.light.head === undefined ? undefined : headView(ctx.light, ctx.head),
        resumed,
        alarms: Object.freeze([...ctx.alarms]),
        ...(storageError === undefined ? {} : { storageError }),
      });
    },
    async close() {
      if (ctx.closed) return;
      await persist(true);
      ctx.closed = true;
      await ctx.transport.stop();
    },
  };
  return Object.freeze(session);
}

/** Same chain, same genesis and the same committee after it: only then is a stored state this root's. */
function sameRoot(stored: LightState, root: LightState): boolean {
  const a = stored.root;
  const b = root.root;
  return stored.chainId === root.chainId && a.kind === 'genesis' && b.kind === 'genesis' && bytesEqual(a.genesisHash, b.genesisHash) && bytesEqual(a.committeeHash, b.committeeHash);
}
