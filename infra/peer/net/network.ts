/**
 * `createPeerNetwork`: the full peer's libp2p network behind the `PeerNetwork` contract
 * (infra/peer/contracts.ts): gossip, the request-response protocols, PQ links, peer hygiene
 * and bootstrap redialing, wired together. DESIGN.md §2 Network; docs/pq-links.md.
 *
 * Caveats: bytes in/out count what KALDRIX's own protocols and gossip payloads carry (not
 * libp2p's framing, identify or ping). A stopped network is not restarted: create a new one
 * from the same data directory (the peer id stays the same).
 */
import { randomBytes } from 'node:crypto';
import type { Connection, PeerId } from '@libp2p/interface';
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { createNobleBackend } from '../../../core/crypto/index.ts';
import type { VertexRef } from '../../../core/dag/index.ts';
import { err, type Result } from '../../../core/result.ts';
import type { NetPeerId, PeerNetwork, PeerNetworkStats } from '../contracts.ts';
import { loadOrCreatePeerKey } from './_identity.ts';
import { buildLibp2p, type PeerLibp2p } from './_libp2p.ts';
import { createPqLinks } from './_pqLinks.ts';
import { createRedialer } from './_redial.ts';
import { requestOnce, type Answer } from './_request.ts';
import { createServer } from './_serve.ts';
import type { PeerNetworkEvent, RequestReject } from './events.ts';
import { DEFAULT_GOSSIP_CAPS, MAX_GOSSIP_FRAME_BYTES, attachGossip, transactionTopic, vertexTopic } from './gossip.ts';
import { createPeerHygiene } from './hygiene.ts';
import * as defaults from './options.ts';
import type { PeerNetworkOptions } from './options.ts';
import {
  MAX_VERTEX_REFS_PER_REQUEST,
  PROTOCOLS,
  latestRequestCodec,
  latestResponseCodec,
  rangeRequestCodec,
  rangeResponseCodec,
  verticesRequestCodec,
  verticesResponseCodec,
  type RequestProtocolName,
} from '../../../core/net/protocols.ts';

export interface KaldrixPeerNetwork extends PeerNetwork {
  /** The libp2p node (for metrics, diagnostics and tests); do not register KALDRIX protocols on it. */
  readonly libp2p: PeerLibp2p;
  /** A peer's hygiene score (0 when never penalized). */
  score(peer: NetPeerId): number;
  isBanned(peer: NetPeerId): boolean;
  /** One raw exchange on any protocol (sealed when the protocol is): the light-client queries and diagnostics. */
  request(peer: NetPeerId, name: RequestProtocolName, request: Uint8Array): Promise<Result<Answer, RequestReject>>;
  /** Connected peers that are not banned, best-scored first (state sync asks them all). */
  peersByScore(): NetPeerId[];
}

/** Inbound streams per protocol per connection: the requests in flight per peer, with room. */
const MAX_INBOUND_STREAMS_PER_PROTOCOL = 16;

export async function createPeerNetwork(options: PeerNetworkOptions): Promise<KaldrixPeerNetwork> {
  if (typeof options.chainId !== 'string' || options.chainId.length === 0) throw new TypeError('createPeerNetwork: chainId must be a non-empty string');
  if (typeof options.dataDir !== 'string' || options.dataDir.length === 0) throw new TypeError('createPeerNetwork: dataDir must be a non-empty string');
  const bootstrap = (options.bootstrap ?? []).map(parseBootstrap);
  const minPeers = options.minPeers ?? Math.min(bootstrap.length, defaults.DEFAULT_MAX_MIN_PEERS);
  const requestTimeoutMs = options.requestTimeoutMs ?? defaults.DEFAULT_REQUEST_TIMEOUT_MS;
  const nowMs = () => performance.now();
  const emit = (event: PeerNetworkEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // An observer's bug must not break the network.
    }
  };
  const reportError = (what: string, error: unknown) => emit({ type: 'error', what, message: error instanceof Error ? error.message : String(error) });

  const privateKey = await loadOrCreatePeerKey(options.dataDir);
  const peerId = peerIdFromPrivateKey(privateKey).toString();
  const hygiene = createPeerHygiene({
    nowMs,
    ...(options.banThreshold !== undefined ? { banThreshold: options.banThreshold } : {}),
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    ...(options.maxInflightPerPeer !== undefined ? { maxInflightPerPeer: options.maxInflightPerPeer } : {}),
  });
  const bytes = { sent: 0, received: 0 };
  const countIn = (n: number) => void (bytes.received += n);
  const countOut = (n: number) => void (bytes.sent += n);
  const onBytes = (direction: 'in' | 'out', n: number) => (direction === 'in' ? countIn(n) : countOut(n));
  const refused = (id: PeerId) => hygiene.isBanned(id.toString());

  const built = await buildLibp2p({
    privateKey,
    dataDir: options.dataDir,
    listen: options.listen ?? defaults.DEFAULT_LISTEN,
    announce: options.announce ?? [],
    gater: { denyDialPeer: refused, denyInboundEncryptedConnection: refused, denyOutboundEncryptedConnection: refused },
    topics: [vertexTopic(options.chainId), transactionTopic(options.chainId)],
    maxGossipFrameBytes: MAX_GOSSIP_FRAME_BYTES,
    maxConnections: options.maxConnections ?? defaults.DEFAULT_MAX_CONNECTIONS,
  });
  const node = built.node;

  const penalize = (peer: NetPeerId, reason: string) => {
    const outcome = hygiene.penalize(peer, reason);
    emit({ type: 'penalized', peer, reason, score: outcome.score });
    if (!outcome.newlyBanned) return;
    emit({ type: 'banned', peer });
    // A caller's bug (a name that is no peer id) must not take the node down with it.
    let remote;
    try {
      remote = peerIdFromString(peer);
    } catch (error) {
      reportError(`banning ${peer}: not a peer id`, error);
      return;
    }
    node.hangUp(remote).catch((error: unknown) => reportError(`hanging up on ${peer}`, error));
  };

  const links = createPqLinks({
    chainId: options.chainId,
    localPeerId: peerId,
    random: (length) => new Uint8Array(randomBytes(length)),
    seat: options.validatorSeat,
    validatorKeys: options.validatorKeys ?? (() => []),
    backend: options.signatureBackend ?? createNobleBackend(),
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? defaults.DEFAULT_HANDSHAKE_TIMEOUT_MS,
    onBytes,
    onLink: (connection, seat, sessionId) => emit({ type: 'pq-link', peer: connection.remotePeer.toString(), seat, sessionId }),
    onFailure: (connection, reject) => {
      const peer = connection.remotePeer.toString();
      emit({ type: 'pq-link-failed', peer, reject });
      // A stream that broke off may be a peer going away; anything it sent that was wrong is not.
      const blamed = reject.code !== 'FRAME' || reject.error.code === 'FRAME_TOO_LARGE';
      if (blamed) penalize(peer, 'handshake-failed');
      connection.close().catch((error: unknown) => connection.abort(error instanceof Error ? error : new Error(String(error))));
    },
  });

  const gossip = attachGossip(node.services.pubsub, {
    chainId: options.chainId,
    caps: { ...DEFAULT_GOSSIP_CAPS, ...options.gossipCaps },
    inbound: options.inbound,
    onOversized: (peer, topic, sizeBytes, maxBytes) => {
      emit({ type: 'gossip-rejected', peer, topic, sizeBytes, maxBytes });
      penalize(peer, 'oversized-gossip');
    },
    onMalformed: (peer, topic, reason) => {
      emit({ type: 'gossip-malformed', peer, topic, reason });
      penalize(peer, 'malformed-gossip');
    },
    onInvalid: (peer, topic, reason) => {
      emit({ type: 'gossip-invalid', peer, topic, reason });
      penalize(peer, 'invalid-gossip');
    },
    onBytes,
    onError: reportError,
  });

  const serve = createServer({
    handlers: options.requests,
    ownSeat: () => options.validatorSeat?.index(),
    links,
    hygiene,
    timeoutMs: requestTimeoutMs,
    countIn,
    countOut,
    onReject: (peer, protocol, reject, penalty) => {
      emit({ type: 'request-rejected', peer, protocol, reject });
      if (penalty !== undefined) penalize(peer, penalty);
    },
    onError: reportError,
  });

  node.addEventListener('connection:open', (event) => links.onConnectionOpen(event.detail));
  node.addEventListener('connection:close', (event) => links.onConnectionClose(event.detail));

  const openConnection = (peer: NetPeerId): Connection | undefined =>
    node.getConnections(peerIdFromString(peer)).find((c) => c.status === 'open');
  const connectedPeers = (): NetPeerId[] => [...new Set(node.getConnections().map((c) => c.remotePeer.toString()))];
  /**
   * The `count` best-scored peers, ties in random order: a fixed order would ask the same two
   * peers for a missing vertex on every retry, and if neither holds it (it reached only a third
   * before its author died) the asker would wait forever.
   */
  const bestPeers = (count: number): NetPeerId[] =>
    connectedPeers()
      .filter((p) => !hygiene.isBanned(p))
      .map((p) => ({ p, score: hygiene.score(p), tie: Math.random() }))
      .sort((a, b) => b.score - a.score || a.tie - b.tie)
      .slice(0, count)
      .map((entry) => entry.p);

  const responseRejected = (peer: NetPeerId, protocol: RequestProtocolName, reject: RequestReject) => {
    emit({ type: 'response-rejected', peer, protocol, reject });
    const penalty = responsePenalty(reject);
    if (penalty !== undefined) penalize(peer, penalty);
  };

  const request = async (peer: NetPeerId, name: RequestProtocolName, body: Uint8Array): Promise<Result<Answer, RequestReject>> => {
    const connection = openConnection(peer);
    if (connection === undefined) return err({ code: 'NOT_CONNECTED' });
    const answer = await requestOnce({ links, timeoutMs: requestTimeoutMs, countIn, countOut }, connection, name, body);
    if (!answer.ok) responseRejected(peer, name, answer.error);
    return answer;
  };

  /** Runs `ask` without awaiting it; an observer's or handler's exception becomes an event. */
  const detach = (what: string, ask: () => Promise<void>) => void ask().catch((error: unknown) => reportError(what, error));

  const redialer = createRedialer({
    bootstrap,
    minPeers,
    checkIntervalMs: options.redialIntervalMs ?? defaults.DEFAULT_REDIAL_INTERVAL_MS,
    initialBackoffMs: options.redialBackoffMs?.initial ?? defaults.DEFAULT_REDIAL_BACKOFF_MS.initial,
    maxBackoffMs: options.redialBackoffMs?.max ?? defaults.DEFAULT_REDIAL_BACKOFF_MS.max,
    connectedPeers: () => connectedPeers().length,
    isConnected: (peer) => openConnection(peer) !== undefined,
    isBanned: (peer) => hygiene.isBanned(peer),
    dial: async (address) => void (await node.dial(multiaddr(address), { signal: AbortSignal.timeout(requestTimeoutMs) })),
    nowMs,
  });

  let state: 'created' | 'started' | 'stopped' = 'created';
  return Object.freeze({
    peerId,
    libp2p: node,
    multiaddrs: () => node.getMultiaddrs().map((m) => m.toString()),
    async start() {
      if (state !== 'created') throw new Error(`PeerNetwork.start: the network is ${state}`);
      state = 'started';
      await node.handle(PROTOCOLS.pqHandshake, (stream, connection) => links.handleInbound(stream, connection), { maxInboundStreams: 1 });
      for (const name of Object.keys(PROTOCOL_NAMES) as RequestProtocolName[]) {
        await node.handle(PROTOCOLS[name], serve(name), { maxInboundStreams: MAX_INBOUND_STREAMS_PER_PROTOCOL });
      }
      await node.start();
      gossip.subscribe();
      redialer.start();
    },
    async stop() {
      if (state === 'stopped') return;
      state = 'stopped';
      redialer.stop();
      // Transactions accepted from clients in the last few ms still go out.
      gossip.flush();
      await node.stop();
      await built.close();
    },
    publishVertex: gossip.publishVertex,
    publishTransaction: gossip.publishTransaction,
    fetchVertices(refs: readonly VertexRef[], peer: NetPeerId | undefined) {
      if (refs.length > defaults.MAX_FETCH_REFS) throw new RangeError(`fetchVertices: at most ${defaults.MAX_FETCH_REFS} refs, got ${refs.length}`);
      const targets = peer !== undefined ? [peer] : bestPeers(defaults.FETCH_FANOUT);
      for (let at = 0; at < refs.length; at += MAX_VERTEX_REFS_PER_REQUEST) {
        const body = verticesRequestCodec.encode(refs.slice(at, at + MAX_VERTEX_REFS_PER_REQUEST));
        for (const target of targets) {
          detach('fetchVertices', async () => {
            const answer = await request(target, 'vertices', body);
            if (!answer.ok) return;
            const vertices = verticesResponseCodec.decode(answer.value.bytes);
            if (!vertices.ok) return responseRejected(target, 'vertices', { code: 'DECODE', error: vertices.error });
            for (const vertex of vertices.value) options.inbound.vertex(vertex, target);
          });
        }
      }
    },
    requestLatestVertices(onAnswer: (bytes: Uint8Array, from: NetPeerId, fromMember: number | undefined) => void) {
      const body = latestRequestCodec.encode({});
      for (const target of bestPeers(defaults.LATEST_FANOUT)) {
        detach('requestLatestVertices', async () => {
          const answer = await request(target, 'latest', body);
          if (!answer.ok) return;
          const latest = latestResponseCodec.decode(answer.value.bytes);
          if (!latest.ok) return responseRejected(target, 'latest', { code: 'DECODE', error: latest.error });
          if (latest.value.vertex === undefined) return;
          // The seat in the answer is only a claim; the handshake's verified seat decides.
          const proven = answer.value.session?.remoteSeat;
          onAnswer(latest.value.vertex, target, proven !== undefined && proven === latest.value.claimedSeat ? proven : undefined);
        });
      }
    },
    requestCommitRange(fromIndex: bigint, epoch: bigint, onAnswer: (bytes: Uint8Array, from: NetPeerId) => void) {
      const body = rangeRequestCodec.encode({ fromIndex, epoch });
      for (const target of bestPeers(defaults.RANGE_FANOUT)) {
        detach('requestCommitRange', async () => {
          const answer = await request(target, 'range', body);
          if (!answer.ok) return;
          const range = rangeResponseCodec.decode(answer.value.bytes);
          if (!range.ok) return responseRejected(target, 'range', { code: 'DECODE', error: range.error });
          if (range.value !== undefined) onAnswer(range.value, target);
        });
      }
    },
    penalize,
    score: (peer: NetPeerId) => hygiene.score(peer),
    isBanned: (peer: NetPeerId) => hygiene.isBanned(peer),
    request,
    peersByScore: () => bestPeers(Number.POSITIVE_INFINITY),
    stats: (): PeerNetworkStats =>
      Object.freeze({ connectedPeers: connectedPeers().length, bytesSent: bytes.sent, bytesReceived: bytes.received, bannedPeers: hygiene.bannedCount() }),
  });
}

const PROTOCOL_NAMES: Readonly<Record<RequestProtocolName, true>> = Object.freeze({
  vertices: true,
  latest: true,
  range: true,
  latestCertificate: true,
  epochCertificates: true,
  accountProof: true,
  resumeOffer: true,
  resumePiece: true,
});

function responsePenalty(reject: RequestReject): string | undefined {
  switch (reject.code) {
    case 'DECODE':
      return 'malformed-response';
    case 'SEAL':
      return 'bad-seal';
    case 'FRAME':
      return reject.error.code === 'FRAME_TOO_LARGE' ? 'malformed-response' : reject.error.code === 'TIMEOUT' ? 'timeout' : undefined;
    default:
      return undefined;
  }
}

function parseBootstrap(address: string): { address: string; peerId: string } {
  const peer = multiaddr(address).getComponents().findLast((c) => c.name === 'p2p')?.value;
  if (peer === undefined) throw new RangeError(`bootstrap address ${address} must end in /p2p/<peer id>`);
  return { address, peerId: peer };
}
