/**
 * State sync as a node starts (stateSync.ts decides and checks): wait a bounded moment for
 * peers, ask them, and when a peer's point is taken, make it the node's own — written to the
 * store as its newest resume point (with the end-of-epoch certificates that anchor it), the
 * commits held below it dropped — so a restart a minute later starts there without asking.
 *
 * Anything that goes wrong here leaves the node where it was: it starts from its own point (or
 * genesis) and catches up by ranges as far as peers can give them.
 */
import { decodeCertificate, encodeCertificate } from '../../core/consensus/certificate.ts';
import { MAX_CERTIFICATE_BYTES } from '../../core/net/protocols.ts';
import type { NetPeerId } from './contracts.ts';
import type { KaldrixPeerNetwork } from './net/index.ts';
import type { LoadedResumePoint, ResumeTrust } from './resumePoints.ts';
import { syncFromPeers, type StateSyncOutcome, type SyncAsk, type SyncedPoint } from './stateSync.ts';
import type { LevelPeerStore } from './store/index.ts';

/** How long a starting node waits for its first peers before it decides without them. */
const SYNC_PEER_WAIT_MS = 5_000;
const PEER_POLL_MS = 100;

export type SyncAtStartInit = {
  readonly network: Pick<KaldrixPeerNetwork, 'peersByScore' | 'request' | 'penalize'>;
  readonly store: Pick<LevelPeerStore, 'putSnapshot' | 'putCertificate' | 'skipCommitsTo' | 'lastCommitIndex'>;
  readonly trust: ResumeTrust;
  /** The node's own resume point, if it has one that checks out. */
  readonly own: LoadedResumePoint | undefined;
  /** Peers to wait for (the configured minimum); fewer after SYNC_PEER_WAIT_MS will do; 0: ask only those already connected (no bootstrap). */
  readonly minPeers: number;
  readonly log: (line: string) => void;
};

/** The point to start from: a peer's, when the node was too far behind for ranges; else `own`. */
export async function syncAtStart(init: SyncAtStartInit): Promise<LoadedResumePoint | undefined> {
  let point: LoadedResumePoint | undefined;
  try {
    point = await choosePoint(init);
  } catch (e) {
    // A store that cannot take the point (a full disk): start as if no peer had offered one.
    init.log(`state sync failed (${(e as Error).message}); starting from ${init.own === undefined ? 'genesis' : `checkpoint ${init.own.point.certificate.checkpoint.sequence}`}`);
    point = init.own;
  }
  if (point !== undefined) {
    const { sequence, lastCommitIndex, epoch } = point.point.certificate.checkpoint;
    init.log(`resuming from checkpoint ${sequence} (commit ${lastCommitIndex}, epoch ${epoch})${point === init.own ? '; only later commits are replayed' : ', taken from a peer'}`);
    // A synced point is stored before the log moves past it, so this also completes a sync the process died in.
    await alignCommitLog(init.store, point);
  }
  return point;
}

async function choosePoint(init: SyncAtStartInit): Promise<LoadedResumePoint | undefined> {
  const peers = init.minPeers === 0 ? init.network.peersByScore() : await waitForPeers(init.network, init.minPeers, SYNC_PEER_WAIT_MS);
  // No peer yet (the first node of a network, or none reachable): ranges will do once they come.
  if (peers.length === 0) return init.own;
  const ownCommit = init.own?.point.certificate.checkpoint.lastCommitIndex ?? 0n;
  const stored = init.store.lastCommitIndex() ?? 0n;
  const outcome = await askPeersForPoint(init, peers, stored > ownCommit ? stored : ownCommit);
  if (outcome.kind === 'not-needed') return init.own;
  if (outcome.kind === 'failed') {
    init.log(`state sync failed (${outcome.reasons.join('; ')}); starting from ${init.own === undefined ? 'genesis' : `checkpoint ${init.own.point.certificate.checkpoint.sequence}`}`);
    return init.own;
  }
  await adoptPeerPoint(init.store, outcome.point);
  return outcome.point.loaded;
}

type AskInit = Pick<SyncAtStartInit, 'network' | 'trust' | 'log'>;

/** State sync's one request over the node's network: the answer's bytes, or none (refused, timed out, gone). */
export function askOver(network: Pick<KaldrixPeerNetwork, 'request'>): SyncAsk {
  return async (peer, name, body) => {
    const answer = await network.request(peer, name, body);
    return answer.ok ? answer.value.bytes : undefined;
  };
}

/** stateSync.ts over the node's network: whether a peer's point is needed, and if so the checked point. */
export function askPeersForPoint(init: AskInit, peers: readonly NetPeerId[], localCommit: bigint): Promise<StateSyncOutcome> {
  return syncFromPeers({
    peers,
    ask: askOver(init.network),
    penalize: (peer, reason) => init.network.penalize(peer, reason),
    trust: init.trust,
    localCommit,
    progress: init.log,
    connected: (peer) => init.network.peersByScore().includes(peer),
  });
}

async function waitForPeers(network: SyncAtStartInit['network'], wanted: number, waitMs: number): Promise<NetPeerId[]> {
  const deadline = Date.now() + waitMs;
  let peers = network.peersByScore();
  while (peers.length < wanted && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, PEER_POLL_MS));
    peers = network.peersByScore();
  }
  return peers;
}

/**
 * Writes a synced point as the node's own newest point, with the certificates that anchor it,
 * and moves the commit log past it: only commits after the point follow. The caller makes sure
 * nothing else writes commits meanwhile (at start: nothing runs yet; while running: the old
 * runtime has halted).
 */
export async function adoptPeerPoint(store: SyncAtStartInit['store'], synced: SyncedPoint): Promise<void> {
  for (const encoded of synced.epochCertificates) {
    const certificate = decodeCertificate(encoded, MAX_CERTIFICATE_BYTES);
    // Decoded and verified already (stateSync.ts); a failure here would be a bug.
    if (!certificate.ok) throw new Error(`state sync: a verified end-of-epoch certificate no longer decodes (${certificate.error.code})`);
    await store.putCertificate(certificate.value, encoded);
  }
  const { certificate } = synced.loaded.point;
  await store.putCertificate(certificate, encodeCertificate(certificate));
  async function* pieces(): AsyncGenerator<Uint8Array> {
    yield* synced.statePieces;
  }
  await store.putSnapshot({ sequence: certificate.checkpoint.sequence, point: synced.record, state: pieces() });
  await alignCommitLog(store, synced.loaded);
}

/** The commit log continues after the point the node starts from. */
async function alignCommitLog(store: SyncAtStartInit['store'], point: LoadedResumePoint): Promise<void> {
  const after = point.point.certificate.checkpoint.lastCommitIndex + 1n;
  const held = store.lastCommitIndex();
  if (held === undefined || held + 1n < after) await store.skipCommitsTo(after);
}
