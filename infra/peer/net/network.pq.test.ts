/**
 * PQ links between real libp2p nodes: both sides derive the same session, a validator's seat
 * is believed only when its handshake signature verifies against the committee key, and a
 * forged seat gets the peer refused and penalized.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalSigner, createNobleBackend } from '../../../core/crypto/index.ts';
import type { ValidatorKey } from './_pqHandshakeRun.ts';
import { cleanup, connect, isConnected, startNode, waitFor, type TestNode } from './_testing.ts';
import type { PeerNetworkEvent } from './events.ts';

afterEach(cleanup);

const backend = createNobleBackend();
const keyPairs = [0, 1].map((i) => backend.keygen('ml-dsa-44', new Uint8Array(32).fill(i + 1)));
const committee: readonly ValidatorKey[] = keyPairs.map((k, index) => ({ index, publicKey: { scheme: 'ml-dsa-44', publicKey: k.publicKey } }));
const validatorKeys = () => committee;
const seat = (index: number, keyIndex = index) => ({ index, signer: createLocalSigner(backend, keyPairs[keyIndex] ?? keyPairs[0]!) });

type LinkEvent = Extract<PeerNetworkEvent, { type: 'pq-link' }>;
const linkTo = (node: TestNode, peer: TestNode): LinkEvent | undefined =>
  node.events.find((e): e is LinkEvent => e.type === 'pq-link' && e.peer === peer.net.peerId);

describe('PQ links', () => {
  it('derive one session on both sides and prove validator seats; latest answers carry the proven seat', async () => {
    const a = await startNode({ validatorSeat: seat(0), validatorKeys });
    const b = await startNode({ validatorSeat: seat(1), validatorKeys });
    const observer = await startNode({ validatorKeys });
    await connect(a, b);
    await connect(observer, b);
    await waitFor('links', () => [linkTo(a, b), linkTo(b, a), linkTo(observer, b), linkTo(b, observer)].every((e) => e !== undefined));
    expect(linkTo(a, b)?.sessionId).toBe(linkTo(b, a)?.sessionId);
    expect(linkTo(a, b)?.sessionId).not.toBe(linkTo(observer, b)?.sessionId);
    expect(linkTo(a, b)?.seat).toBe(1);
    expect(linkTo(b, a)?.seat).toBe(0);
    expect(linkTo(b, observer)?.seat).toBeUndefined();

    b.handlers = { ...b.handlers, latestOwnVertex: () => new Uint8Array([9, 9]) };
    observer.handlers = { ...observer.handlers, latestOwnVertex: () => new Uint8Array([8]) };
    const answers: { bytes: number[]; from: string; fromMember: number | undefined }[] = [];
    a.net.requestLatestVertices((bytes, from, fromMember) => answers.push({ bytes: [...bytes], from, fromMember }));
    await waitFor('the latest answer', () => answers.length === 1);
    expect(answers).toEqual([{ bytes: [9, 9], from: b.net.peerId, fromMember: 1 }]);

    // b asks everyone: a proved seat 0; the observer has no seat.
    const fromB: { from: string; fromMember: number | undefined }[] = [];
    a.handlers = { ...a.handlers, latestOwnVertex: () => new Uint8Array([7]) };
    b.net.requestLatestVertices((_bytes, from, fromMember) => fromB.push({ from, fromMember }));
    await waitFor('both answers', () => fromB.length === 2);
    expect(fromB.sort((x, y) => x.from.localeCompare(y.from))).toEqual(
      [{ from: a.net.peerId, fromMember: 0 }, { from: observer.net.peerId, fromMember: undefined }].sort((x, y) => x.from.localeCompare(y.from)),
    );
  });

  it('refuses a peer whose seat signature does not verify, and penalizes it', async () => {
    const a = await startNode({ validatorSeat: seat(0), validatorKeys });
    // Claims seat 1 but signs with seat 0's key.
    const impostor = await startNode({ validatorSeat: seat(1, 0), validatorKeys });
    impostor.handlers = { ...impostor.handlers, latestOwnVertex: () => new Uint8Array([6]) };
    await connect(impostor, a);
    await waitFor('the refusal', () => a.events.some((e) => e.type === 'pq-link-failed'));
    expect(a.events.find((e) => e.type === 'pq-link-failed')).toMatchObject({ peer: impostor.net.peerId, reject: { code: 'BAD_SEAT_SIGNATURE', seat: 1 } });
    expect(a.events.some((e) => e.type === 'pq-link')).toBe(false);
    expect(a.net.score(impostor.net.peerId)).toBeLessThan(0);
    await waitFor('the disconnect', () => !isConnected(a, impostor));

    const answers: unknown[] = [];
    a.net.requestLatestVertices((...answer) => answers.push(answer));
    const refused = await a.net.request(impostor.net.peerId, 'latest', new Uint8Array(0));
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_CONNECTED' } });
    expect(answers).toEqual([]);
  });
});
