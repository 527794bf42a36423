// State sync against real servers without sockets: each "peer" is a real LevelDB store holding
// real resume points (real ML-DSA certificates from a 4-validator run across epoch changes),
// answered by the same code that answers on the wire (net/_answers.ts + resumeServing.ts). The
// libp2p path is exercised by devnet.process.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCertificate } from '../../core/consensus/certificate.ts';
import { isEndOfEpoch } from '../../core/consensus/checkpoint.ts';
import { toHex } from '../../core/crypto/index.ts';
import { resumePieceRequestCodec, resumeOfferResponseCodec, type RequestProtocolName } from '../../core/net/protocols.ts';
import type { ValidatorResumePoint } from '../../core/validator/index.ts';
import type { Node } from '../../core/validator/test/harness.ts';
import { answerRequest } from './net/_answers.ts';
import { createPeerHygiene } from './net/hygiene.ts';
import { cleanup, connect, emptyHandlers, startNode, waitFor } from './net/_testing.ts';
import { loadResumePoint, snapshotWriteOf, type ResumeTrust } from './resumePoints.ts';
import { createResumeServing } from './resumeServing.ts';
import { syncFromPeers, BAD_RESUME_POINT, type SyncAsk } from './stateSync.ts';
import { syncAtStart } from './_syncAtStart.ts';
import { watchForResync } from './_resyncWhileRunning.ts';
import type { SyncedPoint } from './stateSync.ts';
import type { LevelPeerStore } from './store/index.ts';
import { closeStores, freshStore, takeResumePoints } from './testing/resumePointsFixture.ts';

afterAll(async () => {
  await cleanup();
  await closeStores();
});

let v1: Node;
let points: readonly ValidatorResumePoint[] = [];
let trust: ResumeTrust;

beforeAll(async () => {
  ({ v1, points, trust } = await takeResumePoints());
}, 120_000);

/** Checkpoints of epoch 0 (certified by the genesis committee), oldest first: the last one ends the epoch. */
const epoch0Points = () => points.filter((p) => p.certificate.checkpoint.epoch === 0n);
const laterEpoch = () => points.find((p) => p.certificate.checkpoint.epoch >= 1n && !isEndOfEpoch(p.certificate.checkpoint)) as ValidatorResumePoint;
const lastCommitOf = (p: ValidatorResumePoint) => p.certificate.checkpoint.lastCommitIndex;
/** The first and the last point of epoch 0 (two different ones). */
function oldestAndNewestOfEpoch0(): [ValidatorResumePoint, ValidatorResumePoint] {
  const epoch0 = epoch0Points();
  const [older, newer] = [epoch0[0], epoch0.at(-1)];
  if (older === undefined || newer === undefined || older === newer) throw new Error('two epoch-0 points needed');
  return [older, newer];
}

type Peer = { readonly id: string; readonly store: LevelPeerStore; commitLogFrom: bigint | undefined; epochCertificates: Uint8Array[]; readonly asked: { name: RequestProtocolName; body: Uint8Array }[] };

/** A peer serving `stored` (written in small pieces, so the state travels in several). */
async function peerWith(id: string, stored: ValidatorResumePoint[], commitLogFrom: bigint | undefined, pieceBytes = 4096): Promise<Peer> {
  const store = await freshStore();
  for (const p of stored) await store.putSnapshot(snapshotWriteOf(p, pieceBytes));
  return { id, store, commitLogFrom, epochCertificates: [], asked: [] };
}

/** One request to one peer through the wire's answering code; penalties recorded. */
function transport(peers: readonly Peer[]) {
  const penalized: [string, string][] = [];
  const ask: SyncAsk = async (id, name, body) => {
    const peer = peers.find((p) => p.id === id);
    if (peer === undefined) return undefined;
    peer.asked.push({ name, body });
    const handlers = {
      ...emptyHandlers(),
      epochCertificates: (from: bigint, max: number) => peer.epochCertificates.slice(Number(from), Number(from) + max),
      ...createResumeServing(peer.store, () => peer.commitLogFrom),
    };
    const answer = await answerRequest(name, body, { handlers, ownSeat: () => undefined });
    return answer.ok ? answer.value : undefined;
  };
  return { ask, penalized, penalize: (peer: string, reason: string) => void penalized.push([peer, reason]) };
}

/** The node network's three calls state sync uses, over `transport`. */
function networkOf(peers: readonly Peer[], net: ReturnType<typeof transport>) {
  return {
    peersByScore: () => peers.map((p) => p.id),
    request: async (peer: string, name: RequestProtocolName, body: Uint8Array) => ({ ok: true as const, value: { bytes: (await net.ask(peer, name as never, body)) ?? new Uint8Array(), session: undefined } }),
    penalize: net.penalize,
  };
}

const statePiecesAsked = (peer: Peer) => peer.asked.filter((a) => a.name === 'resumePiece' && resumePieceRequestCodec.decode(a.body).ok && (resumePieceRequestCodec.decode(a.body) as { value: { part: string } }).value.part === 'state').length;

describe('state sync', () => {
  it('a peer whose commit log still serves the next commit: no point is fetched', async () => {
    const [older] = epoch0Points();
    if (older === undefined) throw new Error('no epoch-0 point');
    const serving = await peerWith('serving', [older], 1n);
    const net = transport([serving]);
    const outcome = await syncFromPeers({ peers: [serving.id], ...net, trust, localCommit: 0n });
    expect(outcome).toEqual({ kind: 'not-needed', reason: '1 of 1 peers serve ranges from commit 1 (serving)' });
    expect(serving.asked.map((a) => a.name)).toEqual(['resumeOffer']);
  });

  it('one peer claiming to serve ranges against two that do not cannot keep the node from syncing', async () => {
    const newest = epoch0Points().at(-1);
    if (newest === undefined) throw new Error('no epoch-0 point');
    const claimant = await peerWith('claimant', [], 1n);
    const b = await peerWith('b', [newest], lastCommitOf(newest));
    const c = await peerWith('c', [newest], lastCommitOf(newest));
    const net = transport([claimant, b, c]);
    const outcome = await syncFromPeers({ peers: [claimant.id, b.id, c.id], ...net, trust, localCommit: 0n });
    expect(outcome.kind).toBe('synced');
  });

  it('behind every log: the newest point is fetched in pieces, checked, and becomes the own point a later restart starts from', async () => {
    const [older, newer] = oldestAndNewestOfEpoch0();
    const a = await peerWith('a', [older], lastCommitOf(older));
    const b = await peerWith('b', [older, newer], lastCommitOf(newer));
    const net = transport([a, b]);
    const lines: string[] = [];
    const own = await freshStore();
    const started = await syncAtStart({
      network: networkOf([a, b], net),
      store: own,
      trust,
      own: undefined,
      minPeers: 2,
      log: (line) => lines.push(line),
    });
    expect(started?.point.certificate.checkpoint.sequence).toBe(newer.certificate.checkpoint.sequence);
    expect(toHex(started?.point.ledger.tree.root() ?? new Uint8Array())).toBe(toHex(newer.ledger.tree.root()));
    expect(statePiecesAsked(b)).toBeGreaterThan(1);
    expect(statePiecesAsked(a)).toBe(0);
    expect(net.penalized).toEqual([]);
    expect(lines.some((l) => l.includes(`checkpoint ${newer.certificate.checkpoint.sequence} from b verified`))).toBe(true);
    // Written as the own point, the commit log moved past it: a restart needs no peer.
    expect(own.lastCommitIndex()).toBe(lastCommitOf(newer));
    const reloaded = await loadResumePoint(own, trust, () => undefined);
    expect(reloaded?.point.certificate.checkpoint.sequence).toBe(newer.certificate.checkpoint.sequence);
    await own.appendCommit(lastCommitOf(newer) + 1n, 0n, Uint8Array.of(1));
  });

  it('a server that refuses requests beyond its rate limit: each refused piece is asked again until it comes', async () => {
    const newer = epoch0Points().at(-1);
    if (newer === undefined) throw new Error('no epoch-0 point');
    const limited = await peerWith('limited', [newer], lastCommitOf(newer), 64);
    // The server side's own load shedding (net/_serve.ts asks the same hygiene before answering).
    const hygiene = createPeerHygiene({ nowMs: () => performance.now(), rateLimit: { burst: 3, perSecond: 50 } });
    const net = transport([limited]);
    let refused = 0;
    const ask: SyncAsk = async (peer, name, body) => {
      if (hygiene.allowRequest(peer)) return net.ask(peer, name, body);
      refused++;
      return undefined;
    };
    const outcome = await syncFromPeers({ peers: [limited.id], ask, penalize: net.penalize, trust, localCommit: 0n, pieceRetryMs: 20 });
    expect(outcome.kind).toBe('synced');
    expect(statePiecesAsked(limited)).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(0);
    expect(net.penalized).toEqual([]);
  });

  it('a peer that went away mid-sync is given up at its first unanswered piece, and the next offer is taken', async () => {
    const [older, newer] = oldestAndNewestOfEpoch0();
    const leaving = await peerWith('leaving', [newer], lastCommitOf(newer), 64);
    const staying = await peerWith('staying', [older], lastCommitOf(older));
    const net = transport([leaving, staying]);
    let gone = false;
    let askedAfterLeaving = 0;
    // It answers the offer and its first state piece, then the connection is gone.
    const ask: SyncAsk = async (peer, name, body) => {
      if (peer === leaving.id && gone) return void askedAfterLeaving++;
      const answer = await net.ask(peer, name, body);
      if (peer === leaving.id && statePiecesAsked(leaving) >= 1) gone = true;
      return answer;
    };
    const outcome = await syncFromPeers({ peers: [leaving.id, staying.id], ask, penalize: net.penalize, trust, localCommit: 0n, pieceRetryMs: 50, connected: (peer) => peer !== leaving.id || !gone });
    expect(outcome.kind).toBe('synced');
    if (outcome.kind !== 'synced') return;
    expect(outcome.point.peer).toBe('staying');
    // Each of the four lanes asked once more at most: no retries of a peer that left.
    expect(askedAfterLeaving).toBeGreaterThan(0);
    expect(askedAfterLeaving).toBeLessThanOrEqual(4);
    expect(net.penalized).toEqual([]);
  });

  it('a point whose state does not rebuild its certified root: its peer is penalized and the next offer is taken', async () => {
    const [older, newer] = oldestAndNewestOfEpoch0();
    const liar = await peerWith('liar', [], lastCommitOf(newer));
    const pieces: Uint8Array[] = [];
    for await (const piece of snapshotWriteOf(newer, 4096).state) pieces.push(piece);
    const last = (pieces.at(-1) as Uint8Array).slice();
    last[last.length - 1] = (last[last.length - 1] ?? 0) ^ 0x01;
    async function* tampered(): AsyncGenerator<Uint8Array> {
      yield* pieces.slice(0, -1);
      yield last;
    }
    await liar.store.putSnapshot({ ...snapshotWriteOf(newer), state: tampered() });
    const honest = await peerWith('honest', [older], lastCommitOf(older));
    const net = transport([liar, honest]);
    const outcome = await syncFromPeers({ peers: [liar.id, honest.id], ...net, trust, localCommit: 0n });
    expect(outcome.kind).toBe('synced');
    if (outcome.kind !== 'synced') return;
    expect(outcome.point.peer).toBe('honest');
    expect(outcome.point.loaded.point.certificate.checkpoint.sequence).toBe(older.certificate.checkpoint.sequence);
    expect(net.penalized).toEqual([['liar', BAD_RESUME_POINT]]);
  });

  it('a forged certificate is refused before any state is fetched', async () => {
    const [point] = epoch0Points();
    if (point === undefined) throw new Error('no epoch-0 point');
    const forged = { ...point, certificate: { ...point.certificate, signatures: point.certificate.signatures.map((s) => ({ ...s, bytes: s.bytes.map((b, i) => (i === 7 ? b ^ 0xff : b)) })) } };
    const liar = await peerWith('liar', [forged], lastCommitOf(point));
    const net = transport([liar]);
    const outcome = await syncFromPeers({ peers: [liar.id], ...net, trust, localCommit: 0n });
    expect(outcome.kind).toBe('failed');
    if (outcome.kind === 'failed') expect(outcome.reasons[0]).toMatch(/^liar: its certificate does not verify \(BAD_SIGNATURES\)/);
    expect(statePiecesAsked(liar)).toBe(0);
    expect(net.penalized).toEqual([['liar', BAD_RESUME_POINT]]);
  });

  it('a later epoch\'s point is anchored by the chain of end-of-epoch certificates its peer gives, and they are stored with it', async () => {
    const point = laterEpoch();
    const { epoch } = point.certificate.checkpoint;
    const handOvers = v1.certified.filter((c) => isEndOfEpoch(c.checkpoint) && c.checkpoint.epoch < epoch).sort((x, y) => Number(x.checkpoint.epoch - y.checkpoint.epoch));
    expect(handOvers.map((c) => c.checkpoint.epoch)).toEqual([...Array(Number(epoch)).keys()].map(BigInt));
    // Without the chain: refused, and the peer that offered it is to blame.
    const bare = await peerWith('bare', [point], lastCommitOf(point));
    let net = transport([bare]);
    const refused = await syncFromPeers({ peers: [bare.id], ...net, trust, localCommit: 0n });
    expect(refused.kind).toBe('failed');
    if (refused.kind === 'failed') expect(refused.reasons[0]).toContain('no end-of-epoch certificate for epoch 0');
    expect(net.penalized).toEqual([['bare', BAD_RESUME_POINT]]);
    // With it.
    const anchored = await peerWith('anchored', [point], lastCommitOf(point));
    anchored.epochCertificates = handOvers.map(encodeCertificate);
    net = transport([anchored]);
    const own = await freshStore();
    const started = await syncAtStart({
      network: { peersByScore: () => [anchored.id], request: async (peer, name, body) => ({ ok: true, value: { bytes: (await net.ask(peer, name as never, body)) ?? new Uint8Array(), session: undefined } }), penalize: net.penalize },
      store: own,
      trust,
      own: undefined,
      minPeers: 1,
      log: () => undefined,
    });
    expect(started?.committee.epoch).toBe(epoch);
    expect(net.penalized).toEqual([]);
    expect((await own.epochCertificatesFrom(0n, 10)).length).toBe(Number(epoch));
    expect((await loadResumePoint(own, trust, () => undefined))?.committee.epoch).toBe(epoch);
  });

  it('an offer that does not decode costs its peer; a request that does not decode gets no answer', async () => {
    const net = transport([]);
    const outcome = await syncFromPeers({ peers: ['junk'], ask: async () => Uint8Array.of(9, 9, 9), penalize: net.penalize, trust, localCommit: 0n });
    expect(outcome).toEqual({ kind: 'not-needed', reason: 'no peer answered with an offer' });
    expect(net.penalized).toEqual([['junk', 'malformed-response']]);
    const handlers = { ...emptyHandlers(), ...createResumeServing(await freshStore(), () => undefined) };
    expect((await answerRequest('resumePiece', Uint8Array.of(1, 2, 3), { handlers, ownSeat: () => undefined })).ok).toBe(false);
    const tooFar = resumePieceRequestCodec.encode({ sequence: 1n, part: 'state', index: 0 }).slice();
    tooFar.set([0xff, 0xff, 0xff, 0xff], tooFar.length - 4);
    expect((await answerRequest('resumePiece', tooFar, { handlers, ownSeat: () => undefined })).ok).toBe(false);
    // An empty store offers nothing, but says so in a well-formed answer.
    const offer = await answerRequest('resumeOffer', new Uint8Array(0), { handlers, ownSeat: () => undefined });
    expect(offer.ok && resumeOfferResponseCodec.decode(offer.value)).toEqual({ ok: true, value: { commitLogFrom: undefined, point: undefined } });
  });

  it('over real libp2p connections: the offer and every piece travel sealed under the PQ link, and the point is taken', async () => {
    const epoch0 = epoch0Points();
    const newest = epoch0.at(-1);
    if (newest === undefined) throw new Error('no epoch-0 point');
    const server = await peerWith('server', [newest], lastCommitOf(newest));
    const a = await startNode();
    const b = await startNode();
    a.handlers = { ...a.handlers, ...createResumeServing(server.store, () => server.commitLogFrom) };
    await connect(b, a);
    await waitFor('the PQ link', () => a.events.some((e) => e.type === 'pq-link') && b.events.some((e) => e.type === 'pq-link'));
    const penalized: string[] = [];
    const outcome = await syncFromPeers({
      peers: b.net.peersByScore(),
      ask: async (peer, name, body) => {
        const answer = await b.net.request(peer, name, body);
        // Sealed protocols answer only through a PQ session: a plain answer would mean an unsealed wire.
        expect(answer.ok && answer.value.session !== undefined).toBe(true);
        return answer.ok ? answer.value.bytes : undefined;
      },
      penalize: (peer, reason) => void penalized.push(`${peer} ${reason}`),
      trust,
      localCommit: 0n,
    });
    expect(outcome.kind).toBe('synced');
    if (outcome.kind === 'synced') {
      expect(outcome.point.peer).toBe(a.net.peerId);
      expect(toHex(outcome.point.loaded.point.ledger.tree.root())).toBe(toHex(newest.ledger.tree.root()));
    }
    expect(penalized).toEqual([]);
  });
});

describe('state sync while running', () => {
  const CHECK_MS = 40;

  /** A watch over `peers` whose node reports `localCommit`; it runs until `until` holds (bounded), then stops. */
  async function watch(peers: readonly Peer[], localCommit: () => bigint, until: (swapped: SyncedPoint[], lines: string[]) => boolean) {
    const swapped: SyncedPoint[] = [];
    const lines: string[] = [];
    const w = watchForResync({
      network: networkOf(peers, transport(peers)),
      trust,
      localCommit,
      swap: async (synced) => void swapped.push(synced),
      log: (line) => lines.push(line),
      checkEveryMs: CHECK_MS,
    });
    await waitFor('the watch to act', () => until(swapped, lines), 10_000);
    w.stop();
    return { swapped, lines, count: w.count() };
  }

  it('a node that stopped committing, behind every log: the newest checked point replaces its runtime, once', async () => {
    const newer = epoch0Points().at(-1);
    if (newer === undefined) throw new Error('no epoch-0 point');
    const a = await peerWith('a', [newer], lastCommitOf(newer));
    const b = await peerWith('b', [newer], lastCommitOf(newer));
    const { swapped, lines, count } = await watch([a, b], () => 0n, (done) => done.length > 0);
    expect(swapped.map((p) => p.loaded.point.certificate.checkpoint.sequence)).toEqual([newer.certificate.checkpoint.sequence]);
    expect(count).toBe(1);
    expect(lines.some((l) => l.startsWith('stalled at commit 0') && l.includes(`checkpoint ${newer.certificate.checkpoint.sequence}`))).toBe(true);
  });

  it('a node still committing asks nobody; a stalled one whose peers still serve ranges fetches nothing', async () => {
    const newer = epoch0Points().at(-1);
    if (newer === undefined) throw new Error('no epoch-0 point');
    const busy = await peerWith('busy', [newer], lastCommitOf(newer));
    let commit = 0n;
    await watch([busy], () => ++commit, () => commit > 5n);
    expect(busy.asked).toEqual([]);
    const serving = await peerWith('serving', [newer], 1n);
    const { swapped } = await watch([serving], () => 0n, () => serving.asked.length >= 2);
    expect(swapped).toEqual([]);
    expect(new Set(serving.asked.map((x) => x.name))).toEqual(new Set(['resumeOffer']));
  });
});
