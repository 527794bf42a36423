/**
 * What state sync's transfer costs (infra/peer/stateSync.ts): a state snapshot stored in a real
 * LevelDB store, served piece by piece by a real libp2p node (resumeServing.ts) and fetched by
 * another over loopback TCP — noise, yamux, and the PQ link's sealing, one 1 MiB piece per
 * request, as a syncing node asks. The point's checks (certificate, state rebuild against the
 * root) are not in this figure: the decode figure of this suite is that part.
 */
// libp2p 3 needs what Node 20 lacks (Promise.withResolvers, …); the `kaldrix` command loads the same.
import '../../infra/node/polyfill.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resumePieceRequestCodec, resumePieceResponseCodec } from '../../core/net/protocols.ts';
import { cleanup, connect, startNode, waitFor } from '../../infra/peer/net/_testing.ts';
import { createResumeServing } from '../../infra/peer/resumeServing.ts';
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
    let bytes = 0;
    const started = performance.now();
    for (let index = 0; index < pieces.length; index++) {
      const answer = await client.net.request(server.net.peerId, 'resumePiece', resumePieceRequestCodec.encode({ sequence: 1n, part: 'state', index }));
      if (!answer.ok) throw new Error(`bench: piece ${index} was not answered (${answer.error.code})`);
      const piece = resumePieceResponseCodec.decode(answer.value.bytes);
      if (!piece.ok || piece.value === undefined) throw new Error(`bench: piece ${index} came back empty or malformed`);
      bytes += piece.value.length;
    }
    return { bytes, pieces: pieces.length, ms: performance.now() - started };
  } finally {
    await cleanup();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
