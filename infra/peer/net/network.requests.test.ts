/**
 * Request-response between real libp2p nodes: vertices and commit ranges round trip through
 * the handlers, consensus answers are sealed on the wire, and a malformed request is a typed
 * rejection that costs the asker score while the server keeps serving others.
 */
import type { Stream } from '@libp2p/interface';
import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '../../../core/crypto/index.ts';
import type { VertexRef } from '../../../core/dag/index.ts';
import { cleanup, connect, startNode, waitFor, type TestNode } from './_testing.ts';
import type { PeerNetworkEvent } from './events.ts';
import { PROTOCOLS, latestCertificateRequestCodec, latestCertificateResponseCodec } from '../../../core/net/protocols.ts';

afterEach(cleanup);

const ref = (round: number, author: number, fill: number): VertexRef => ({ round, author, digest: new Uint8Array(32).fill(fill) });
const MARKER = new TextEncoder().encode('KALDRIX-PLAINTEXT-MARKER-1f2e3d');

function containsMarker(chunks: readonly Uint8Array[]): boolean {
  const hex = chunks.map((c) => toHex(c)).join('');
  return hex.includes(toHex(MARKER));
}

/** Records every byte that arrives on `node`'s outbound streams of `protocol` (above noise, below our sealing). */
function tapInbound(node: TestNode, protocol: string): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  node.net.libp2p.use(protocol, (stream: Stream, connection, next) => {
    stream.addEventListener('message', (event) => chunks.push(event.data.subarray()));
    next(stream, connection);
  });
  return chunks;
}

async function pair(): Promise<[TestNode, TestNode]> {
  const a = await startNode();
  const b = await startNode();
  await connect(b, a);
  await waitFor('the PQ link', () => a.events.some((e) => e.type === 'pq-link') && b.events.some((e) => e.type === 'pq-link'));
  return [a, b];
}

describe('request-response', () => {
  it('fetches vertices through the handlers, only those held', async () => {
    const [a, b] = await pair();
    const held = new Map([[toHex(ref(3, 1, 0xaa).digest), new Uint8Array([1, 2, 3, 4])]]);
    a.handlers = { ...a.handlers, vertexBytes: (r) => held.get(toHex(r.digest)) };
    b.net.fetchVertices([ref(3, 1, 0xaa), ref(3, 2, 0xbb)], a.net.peerId);
    await waitFor('the vertex at b', () => b.vertices.length === 1);
    expect(b.vertices[0]).toEqual({ bytes: new Uint8Array([1, 2, 3, 4]), from: a.net.peerId });
    expect(() => b.net.fetchVertices(Array.from({ length: 1025 }, (_, i) => ref(i, 0, 1)), a.net.peerId)).toThrow(RangeError);
  });

  it('round-trips a commit range, sealed on the wire; light answers stay plain', async () => {
    const [a, b] = await pair();
    const asked: [bigint, bigint][] = [];
    const range = new Uint8Array([...MARKER, ...new Uint8Array(1000).fill(5)]);
    a.handlers = {
      ...a.handlers,
      commitRange: (fromIndex, epoch) => {
        asked.push([fromIndex, epoch]);
        return range;
      },
      latestCertificate: () => MARKER,
    };
    const rangeBytes = tapInbound(b, PROTOCOLS.range);
    const certificateBytes = tapInbound(b, PROTOCOLS.latestCertificate);
    const answers: { bytes: Uint8Array; from: string }[] = [];
    b.net.requestCommitRange(5n, 2n, (bytes, from) => answers.push({ bytes, from }));
    await waitFor('the range answer', () => answers.length === 1);
    expect(asked).toEqual([[5n, 2n]]);
    expect(answers[0]).toEqual({ bytes: range, from: a.net.peerId });
    expect(rangeBytes.length).toBeGreaterThan(0);
    expect(containsMarker(rangeBytes)).toBe(false);

    // The same tap sees the marker in a plain (light-client) answer: the tap works.
    const certificate = await b.net.request(a.net.peerId, 'latestCertificate', latestCertificateRequestCodec.encode({}));
    expect(certificate.ok && latestCertificateResponseCodec.decode(certificate.value.bytes)).toMatchObject({ ok: true, value: MARKER });
    expect(containsMarker(certificateBytes)).toBe(true);
  });

  it('rejects a malformed request with a typed error, penalizes the asker, keeps serving others', async () => {
    const [a, b] = await pair();
    const c = await startNode();
    await connect(c, a);
    a.handlers = { ...a.handlers, epochCertificates: (fromEpoch, max) => Array.from({ length: max }, (_, i) => new Uint8Array([Number(fromEpoch) + i])) };

    // fromEpoch = 1 (u64), then max = 65 (u16): above the protocol's 64.
    const bad = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1, 0, 65]);
    const refused = await b.net.request(a.net.peerId, 'epochCertificates', bad);
    expect(refused.ok).toBe(false);
    await waitFor('the rejection at a', () => a.events.some((e) => e.type === 'request-rejected'));
    const rejection = a.events.find((e): e is Extract<PeerNetworkEvent, { type: 'request-rejected' }> => e.type === 'request-rejected');
    expect(rejection).toMatchObject({ peer: b.net.peerId, protocol: 'epochCertificates', reject: { code: 'DECODE', error: { code: 'INVALID_VALUE' } } });
    expect(a.net.score(b.net.peerId)).toBeLessThan(0);
    expect(a.net.score(c.net.peerId)).toBe(0);

    // A truncated request on a sealed protocol: refused after the seal opens.
    const trailing = await b.net.request(a.net.peerId, 'range', new Uint8Array(15));
    expect(trailing.ok).toBe(false);
    await waitFor('the second rejection', () => a.events.filter((e) => e.type === 'request-rejected').length === 2);
    expect(a.events.filter((e) => e.type === 'request-rejected').at(-1)).toMatchObject({ protocol: 'range', reject: { code: 'DECODE', error: { code: 'TRUNCATED' } } });

    const good = await c.net.request(a.net.peerId, 'epochCertificates', new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1, 0, 2]));
    expect(good.ok && Array.from(good.value.bytes)).toEqual([2, 1, 1, 1, 2]);
  });
});
