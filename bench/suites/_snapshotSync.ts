/**
 * What state sync's transfer costs (infra/peer/stateSync.ts): a state snapshot stored in a real
 * LevelDB store, served piece by piece by a real libp2p node (resumeServing.ts) and fetched by
 * another over loopback TCP — noise, yamux, and the PQ link's sealing, one 1 MiB piece per
 * request — by state sync's own fetch (`fetchResumePart`: four pieces in flight, refused ones
 * asked again), so the server's rate limit (32 requests a second after a burst of 64) is in the
 * figure as a syncing node meets it. The point's checks (certificate, state rebuild against the
 * root) are not in this figure: the decode figure of this suite is that part.
 */
// libp2p 3 needs what Node 20 lacks (Promise.withResolvers, …); the `kaldrix` command loads the same.
import '../../infra/node/polyfill.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, connect, startNode, waitFor } from '../../infra/peer/net/_testing.ts';
import { createResumeServing } from '../../infra/peer/resumeServing.ts';
import { askOver } from '../../infra/peer/_syncAtStart.ts';
import { fetchResumePart } from '../../infra/peer/stateSync.ts';
import { openPeerStore } from '../../infra/peer/store/index.ts';

export type SyncTransfer = { readonly bytes: number; readonly pieces: number; readonly ms: number };

/** Stores `pieces` as one point, serves them from one node, fetches them all from another; the time is the fetch alone. */
export async function measureSyncTransfer(pieces: readonly Uint8Array[]): Promise<SyncTransfer> {
  const dir = await mkdtemp(join(tmpdir(), 'kaldrix-bench-sync-'));
  const opened = await openPeerStore(dir);
  if (!opened.ok) throw new Error(`bench: the store does not open (${opened.error.code})`);
  const store = opened.value;
  try {
    async function* state(): AsyncGenerator<Uint8Array> {
      yield* pieces;
    }
    await store.putSnapshot({ sequence: 1n, point: Uint8Array.of(0), state: state() });
    const server = await startNode();
    const client = await startNode();
    server.handlers = { ...server.handlers, ...createResumeServing(store, () => undefined) };
    await connect(client, server);
    await waitFor('the PQ link', () => server.events.some((e) => e.type === 'pq-link') && client.events.some((e) => e.type === 'pq-link'), 30_000);
    const started = performance.now();
    const fetched = await fetchResumePart(
      {
        ask: askOver(client.net),
        penalize: (peer, reason) => {
          throw new Error(`bench: the fetch penalized ${peer} (${reason})`);
        },
      },
      server.net.peerId,
      1n,
      'state',
      pieces.length,
      Number.MAX_SAFE_INTEGER,
    );
    if (typeof fetched === 'string') throw new Error(`bench: the state was not fetched: ${fetched}`);
    const bytes = fetched.reduce((sum, piece) => sum + piece.length, 0);
    return { bytes, pieces: pieces.length, ms: performance.now() - started };
  } finally {
    await cleanup();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
