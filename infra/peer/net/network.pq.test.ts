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
const seat = (index: number, keyIndex = index) => ({ index: () => index, signer: createLocalSigner(backend, keyPairs[keyIndex] ?? keyPairs[0]!) });

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

  it('claims the seat the current committee gives, so a validator renumbered at an epoch change keeps its link', async () => {
    // Epoch 0: a holds seat 0. Epoch 1 renumbers the committee (someone left): a's key is seat 1.
    let epoch = 0;
    const renumbered: readonly ValidatorKey[] = committee.map((k, i) => ({ ...k, index: committee.length - 1 - i }));
    const keysNow = () => (epoch === 0 ? committee : renumbered);
    const a = await startNode({ validatorSeat: { index: () => (epoch === 0 ? 0 : 1), signer: createLocalSigner(backend, keyPairs[0]!) }, validatorKeys: keysNow });
    const b = await startNode({ validatorKeys: keysNow });
    a.handlers = { ...a.handlers, latestOwnVertex: () => new Uint8Array([5]) };
    const latestFromA = async (): Promise<number | undefined> => {
      const answers: (number | undefined)[] = [];
      b.net.requestLatestVertices((_bytes, _from, fromMember) => answers.push(fromMember));
      await waitFor('the latest answer', () => answers.length === 1);
      return answers[0];
    };
    await connect(b, a);
    await waitFor('the epoch 0 link', () => linkTo(b, a) !== undefined);
    expect(linkTo(b, a)?.seat).toBe(0);
    expect(await latestFromA()).toBe(0);

    epoch = 1;
    // The old link's handshake proved seat 0: a's answer now claims 1, so it is not attributed.
    expect(await latestFromA()).toBeUndefined();
    await b.net.libp2p.hangUp(a.net.libp2p.peerId);
    await waitFor('the disconnect', () => !isConnected(a, b));
    b.events.length = 0;
    await connect(b, a);
    await waitFor('the epoch 1 link', () => linkTo(b, a) !== undefined || b.events.some((e) => e.type === 'pq-link-failed'));
    expect(b.events.filter((e) => e.type === 'pq-link-failed')).toEqual([]);
    expect(linkTo(b, a)?.seat).toBe(1);
    expect(await latestFromA()).toBe(1);
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
