/**
 * The PQ handshake over an in-memory channel pair: both sides derive the same keys, a seat is
 * proven only by a valid signature of that seat's committee key, and sealed frames open only
 * once, in their place.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLocalSigner, createNobleBackend } from '../../../core/crypto/index.ts';
import { ok, type Result } from '../../../core/result.ts';
import type { FrameError } from './_frames.ts';
import { runPqHandshake, type HandshakeChannel, type HandshakeInit, type ValidatorKey } from './_pqHandshakeRun.ts';
import { sealAssociatedData } from './pqSession.ts';

const backend = createNobleBackend();
const random = (n: number) => new Uint8Array(randomBytes(n));
const keyPairA = backend.keygen('ml-dsa-44', new Uint8Array(32).fill(1));
const keyPairB = backend.keygen('ml-dsa-44', new Uint8Array(32).fill(2));
const committee: readonly ValidatorKey[] = [
  { index: 0, publicKey: { scheme: 'ml-dsa-44', publicKey: keyPairA.publicKey } },
  { index: 1, publicKey: { scheme: 'ml-dsa-44', publicKey: keyPairB.publicKey } },
];

function channelPair(tamper?: (frame: Uint8Array, index: number) => Uint8Array): [HandshakeChannel, HandshakeChannel] {
  const make = (inbox: Uint8Array[], waiters: ((f: Uint8Array) => void)[], outbox: Uint8Array[], outWaiters: ((f: Uint8Array) => void)[], tampers: boolean) => {
    let sent = 0;
    const channel: HandshakeChannel = {
      async send(frame): Promise<Result<void, FrameError>> {
        const delivered = tampers && tamper !== undefined ? tamper(frame, sent) : frame;
        sent += 1;
        const waiter = outWaiters.shift();
        if (waiter !== undefined) waiter(delivered);
        else outbox.push(delivered);
        return ok(undefined);
      },
      receive(): Promise<Result<Uint8Array, FrameError>> {
        const frame = inbox.shift();
        if (frame !== undefined) return Promise.resolve(ok(frame));
        return new Promise((resolve) => waiters.push((f) => resolve(ok(f))));
      },
    };
    return channel;
  };
  const toA: Uint8Array[] = [];
  const toB: Uint8Array[] = [];
  const waitA: ((f: Uint8Array) => void)[] = [];
  const waitB: ((f: Uint8Array) => void)[] = [];
  return [make(toA, waitA, toB, waitB, false), make(toB, waitB, toA, waitA, true)];
}

function init(role: 'initiator' | 'responder', seat: HandshakeInit['seat']): HandshakeInit {
  return {
    role,
    chainId: 'kaldrix-test',
    localPeerId: role === 'initiator' ? 'peer-a' : 'peer-b',
    remotePeerId: role === 'initiator' ? 'peer-b' : 'peer-a',
    random,
    seat,
    validatorKeys: () => committee,
    backend,
  };
}

describe('PQ handshake', () => {
  it('derives the same keys on both sides and proves both seats', async () => {
    const [a, b] = channelPair();
    const [ra, rb] = await Promise.all([
      runPqHandshake(a, init('initiator', { index: 0, signer: createLocalSigner(backend, keyPairA) })),
      runPqHandshake(b, init('responder', { index: 1, signer: createLocalSigner(backend, keyPairB) })),
    ]);
    if (!ra.ok || !rb.ok) throw new Error(`handshake failed: ${JSON.stringify([ra, rb])}`);
    expect(ra.value.keys).toEqual(rb.value.keys);
    expect(ra.value.keys.initiatorToResponder).not.toEqual(ra.value.keys.responderToInitiator);
    expect(ra.value.session.remoteSeat).toBe(1);
    expect(rb.value.session.remoteSeat).toBe(0);

    const aad = sealAssociatedData('/kaldrix/range/1', 'request', 0n);
    const sealed = ra.value.session.seal(new TextEncoder().encode('hello'), aad);
    const opened = rb.value.session.open(sealed.frame, aad);
    expect(opened.ok && new TextDecoder().decode(opened.value.plaintext)).toBe('hello');
    // A replay, a frame moved to another protocol, and a reflected frame are refused.
    expect(rb.value.session.open(sealed.frame, aad)).toMatchObject({ ok: false, error: { code: 'REPLAYED' } });
    const again = ra.value.session.seal(new Uint8Array([1]), aad);
    expect(rb.value.session.open(again.frame, sealAssociatedData('/kaldrix/vertices/1', 'request', 0n))).toMatchObject({ ok: false, error: { code: 'AUTHENTICATION_FAILED' } });
    expect(ra.value.session.open(again.frame, aad)).toMatchObject({ ok: false, error: { code: 'AUTHENTICATION_FAILED' } });
  });

  it('refuses a seat claimed with another key, and a seat outside the committee', async () => {
    const [a, b] = channelPair();
    const impostor = createLocalSigner(backend, backend.keygen('ml-dsa-44', new Uint8Array(32).fill(9)));
    // The responder is not awaited: over this in-memory channel it waits for a Confirm that
    // never comes (over a real stream, the initiator's reset ends it).
    void runPqHandshake(b, init('responder', { index: 0, signer: impostor }));
    expect(await runPqHandshake(a, init('initiator', undefined))).toMatchObject({ ok: false, error: { code: 'BAD_SEAT_SIGNATURE', seat: 0 } });

    const [c, d] = channelPair();
    void runPqHandshake(d, init('responder', { index: 7, signer: impostor }));
    expect(await runPqHandshake(c, init('initiator', undefined))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SEAT', seat: 7 } });
  });

  it('refuses another chain and a tampered ciphertext', async () => {
    const [a, b] = channelPair();
    void runPqHandshake(b, { ...init('responder', undefined), chainId: 'other-chain' });
    expect(await runPqHandshake(a, init('initiator', undefined))).toMatchObject({ ok: false, error: { code: 'CHAIN_ID', chainId: 'other-chain' } });

    // Flip one byte of the responder's ciphertext (its second frame): ML-KEM's implicit
    // rejection gives another secret, so the confirmations disagree.
    const [c, d] = channelPair((frame, index) => {
      if (index !== 1) return frame;
      const copy = frame.slice();
      copy[40] = (copy[40] ?? 0) ^ 1;
      return copy;
    });
    const [rc, rd] = await Promise.all([runPqHandshake(c, init('initiator', undefined)), runPqHandshake(d, init('responder', undefined))]);
    expect(rc).toMatchObject({ ok: false, error: { code: 'BAD_CONFIRMATION' } });
    expect(rd).toMatchObject({ ok: false, error: { code: 'BAD_CONFIRMATION' } });
  });
});
