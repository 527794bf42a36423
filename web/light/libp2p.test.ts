// The browser transport (_libp2p.ts) run in Node against a real libp2p node listening on
// WebSockets, whose light protocols are handled here the way a full peer frames them (one
// length-prefixed frame each way): an answer arrives whole; an over-long answer is refused
// from its length prefix; a peer that never answers hits the deadline; a peer that closes the
// stream without answering, or is not connected, is an error value; a dial to a dead address
// fails as a value.
import type { Libp2p, Stream } from '@libp2p/interface';
import { noise } from '@libp2p/noise';
import { webSockets } from '@libp2p/websockets';
import { yamux } from '@libp2p/yamux';
import { createLibp2p } from 'libp2p';
import * as lp from 'it-length-prefixed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOLS, latestCertificateResponseCodec } from '../../core/net/index.ts';
import { createLibp2pTransport } from './_libp2p.ts';
import type { LightTransport } from './_transport.ts';

type Behaviour = 'answer' | 'oversized' | 'silent' | 'close';
let behaviour: Behaviour = 'answer';
let server: Libp2p;
let address: string;
let client: LightTransport;
const CERTIFICATE = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);

async function serveLatest(stream: Stream): Promise<void> {
  const frames = lp.decode(stream, { maxDataLength: 16 })[Symbol.asyncIterator]();
  await frames.next();
  if (behaviour === 'silent') return;
  if (behaviour === 'close') {
    await stream.close();
    return;
  }
  const body = behaviour === 'oversized' ? new Uint8Array(64) : latestCertificateResponseCodec.encode(CERTIFICATE);
  // An over-long answer declares a length far past the cap in its prefix.
  const frame = behaviour === 'oversized' ? Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x7f, ...body) : lp.encode.single(body).subarray();
  if (!stream.send(frame)) await stream.onDrain();
  await stream.close();
}

beforeAll(async () => {
  server = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] }, transports: [webSockets()], connectionEncrypters: [noise()], streamMuxers: [yamux()] });
  await server.start();
  await server.handle(PROTOCOLS.latestCertificate, (stream) => {
    serveLatest(stream).catch(() => stream.abort(new Error('test server failed')));
  });
  address = server.getMultiaddrs()[0]?.toString() ?? '';
  client = await createLibp2pTransport({ allowLoopback: true, requestTimeoutMs: 1_500, dialTimeoutMs: 3_000 });
}, 30_000);

afterAll(async () => {
  await client?.stop();
  await server?.stop();
});

describe('the browser transport against a real libp2p node', () => {
  it('dials a /ws/p2p multiaddr and gets one whole answer', async () => {
    const peerId = server.peerId.toString();
    expect((await client.ask(peerId, 'latestCertificate', new Uint8Array())).ok ? 'answered' : 'NOT_CONNECTED').toBe('NOT_CONNECTED');
    expect(await client.dial(address, peerId)).toEqual({ ok: true, value: undefined });
    behaviour = 'answer';
    const answer = await client.ask(peerId, 'latestCertificate', new Uint8Array());
    if (!answer.ok) throw new Error(answer.error.message);
    const decoded = latestCertificateResponseCodec.decode(answer.value);
    expect(decoded.ok && decoded.value).toEqual(CERTIFICATE);
  });

  it('an over-long answer is TOO_LARGE, a silent peer TIMEOUT, a closed stream STREAM_ERROR', async () => {
    const peerId = server.peerId.toString();
    behaviour = 'oversized';
    expect(await client.ask(peerId, 'latestCertificate', new Uint8Array())).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    behaviour = 'silent';
    expect(await client.ask(peerId, 'latestCertificate', new Uint8Array())).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    behaviour = 'close';
    expect(await client.ask(peerId, 'latestCertificate', new Uint8Array())).toMatchObject({ ok: false, error: { code: 'STREAM_ERROR' } });
    behaviour = 'answer';
    expect((await client.ask(peerId, 'latestCertificate', new Uint8Array())).ok).toBe(true);
  });

  it('a hang-up is heard; a dial to a dead address is DIAL_FAILED', async () => {
    const peerId = server.peerId.toString();
    const heard: string[] = [];
    client.onDisconnect((id) => heard.push(id));
    await client.hangUp(peerId);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toContain(peerId);
    expect(await client.ask(peerId, 'latestCertificate', new Uint8Array())).toMatchObject({ ok: false, error: { code: 'NOT_CONNECTED' } });
    // Once hung up, a dial to an address where nothing listens fails as a value.
    const dead = await client.dial(`/ip4/127.0.0.1/tcp/1/ws/p2p/${peerId}`, peerId);
    expect(!dead.ok && dead.error.code).toBe('DIAL_FAILED');
  });
});
