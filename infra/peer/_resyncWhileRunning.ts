/**
 * State sync while running: a node that falls further behind than every peer's commit log after
 * it started (its process paused, its network cut for longer than the peers keep commits) would
 * ask for ranges nobody can give it forever. This watch notices the stall — no new commit for a
 * whole check interval — and asks the peers the same question as a starting node
 * (_syncAtStart.ts, stateSync.ts): when most say their logs still serve the next commit, ranges
 * will do and nothing happens; else a peer's resume point is fetched and checked while the
 * validator keeps running, and only a point that checks out replaces it (`swap`).
 *
 * Cheap while nothing is wrong: one comparison per interval; a stalled network costs one small
 * offer exchange per peer per interval.
 */
import type { NetPeerId } from './contracts.ts';
import type { KaldrixPeerNetwork } from './net/index.ts';
import type { ResumeTrust } from './resumePoints.ts';
import type { SyncedPoint } from './stateSync.ts';
import { askPeersForPoint } from './_syncAtStart.ts';

/** A node that commits nothing for this long asks whether it fell behind every peer's log. */
const STALL_CHECK_MS = 10_000;

export type ResyncInit = {
  readonly network: Pick<KaldrixPeerNetwork, 'peersByScore' | 'request' | 'penalize'>;
  readonly trust: ResumeTrust;
  /** The last commit the node can start from by itself (its validator's, or its store's if further); undefined while no validator runs (the check waits). */
  readonly localCommit: () => bigint | undefined;
  /** Halts the running validator and starts one from the checked point (stored as the node's own). */
  readonly swap: (synced: SyncedPoint) => Promise<void>;
  readonly log: (line: string) => void;
  /** Default STALL_CHECK_MS. */
  readonly checkEveryMs?: number;
};

export type ResyncWatch = {
  /** Points taken from peers while running. */
  count(): number;
  stop(): void;
};

export function watchForResync(init: ResyncInit): ResyncWatch {
  const interval = init.checkEveryMs ?? STALL_CHECK_MS;
  let lastSeen: bigint | undefined;
  let busy = false;
  let stopped = false;
  let taken = 0;

  const check = async (): Promise<void> => {
    const commit = init.localCommit();
    if (commit === undefined) return;
    if (commit !== lastSeen) {
      lastSeen = commit;
      return;
    }
    const peers: NetPeerId[] = init.network.peersByScore();
    if (peers.length === 0) return;
    const outcome = await askPeersForPoint(init, peers, commit);
    if (stopped || outcome.kind === 'not-needed') return;
    if (outcome.kind === 'failed') {
      init.log(`stalled at commit ${commit}, behind every peer's commit log; state sync failed (${outcome.reasons.join('; ')}); trying again in ${(interval / 1000).toFixed(0)} s`);
      return;
    }
    const { sequence, lastCommitIndex } = outcome.point.loaded.point.certificate.checkpoint;
    init.log(`stalled at commit ${commit}, behind every peer's commit log: moving to checkpoint ${sequence} (commit ${lastCommitIndex}) taken from a peer`);
    await init.swap(outcome.point);
    taken++;
    lastSeen = undefined;
  };

  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    check()
      .catch((e: unknown) => init.log(`state sync while running failed: ${(e as Error).message}`))
      .finally(() => (busy = false));
  }, interval);
  timer.unref();

  return {
    count: () => taken,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
