// The worker boundary's checks (messages.ts) and the page client (lightClient.ts) against a
// fake worker: malformed page messages are typed errors, worker messages are checked, replies
// settle their own request, the latest status is replayed, and a crashed worker fails every
// pending request with WORKER_FAILED instead of leaving it hanging.
import { describe, expect, it } from 'vitest';
import { checkPageMessage, isWorkerMessage, MAX_CONNECT_PEERS, readRequestId } from './messages.ts';
import { createLightClientOn } from './lightClient.ts';
import type { LightStatus } from './protocol.ts';

const connect = { type: 'connect', request: { trust: { kind: 'genesis', genesisText: '{}' }, peers: ['/ip4/127.0.0.1/tcp/1/ws/p2p/x'], allowLoopback: true } };

describe('page messages', () => {
  it('accepts each request type', () => {
    for (const body of [connect, { type: 'disconnect' }, { type: 'forget' }, { type: 'head' }, { type: 'evidence' }, { type: 'account', addressText: 'kdx1…' }]) {
      const checked = checkPageMessage({ type: 'request', id: 7, body });
      expect(checked.ok && checked.value.body.type).toBe(body.type);
      expect(checked.ok && Object.isFrozen(checked.value)).toBe(true);
    }
  });

  it('refuses malformed messages with MALFORMED_MESSAGE, never throwing', () => {
    const bad: unknown[] = [
      null,
      42,
      'request',
      [],
      { type: 'request' },
      { type: 'request', id: 1.5, body: { type: 'head' } },
      { type: 'request', id: 1, body: { type: 'mine-bitcoin' } },
      { type: 'request', id: 1, body: { type: 'account', addressText: 5 } },
      { type: 'request', id: 1, body: { type: 'account', addressText: 'x'.repeat(500) } },
      { type: 'request', id: 1, body: { ...connect, request: { ...connect.request, allowLoopback: 'yes' } } },
      { type: 'request', id: 1, body: { ...connect, request: { ...connect.request, peers: [1] } } },
      { type: 'request', id: 1, body: { ...connect, request: { ...connect.request, peers: Array(MAX_CONNECT_PEERS + 1).fill('/p2p/x') } } },
      { type: 'request', id: 1, body: { ...connect, request: { ...connect.request, trust: { kind: 'checkpoint' } } } },
      { type: 'reply', id: 1, body: { type: 'head' } },
    ];
    for (const value of bad) {
      const checked = checkPageMessage(value);
      expect(checked.ok ? 'accepted' : checked.error.code).toBe('MALFORMED_MESSAGE');
    }
    expect(readRequestId({ id: 3 })).toBe(3);
    expect(readRequestId({ id: '3' })).toBeUndefined();
  });
});

const status: LightStatus = { phase: 'following', peers: [], epochSync: { done: 1, total: 1 }, head: undefined, resumed: undefined, alarms: [] };

describe('worker messages', () => {
  it('replies and statuses pass; other shapes do not', () => {
    expect(isWorkerMessage({ type: 'status', status })).toBe(true);
    expect(isWorkerMessage({ type: 'reply', id: 1, ok: true, body: { type: 'disconnect' } })).toBe(true);
    expect(isWorkerMessage({ type: 'reply', id: 1, ok: true, body: { type: 'connect', resumed: false } })).toBe(true);
    expect(isWorkerMessage({ type: 'reply', id: 1, ok: false, error: { code: 'NOT_CONNECTED', message: 'connect first' } })).toBe(true);
    expect(isWorkerMessage({ type: 'reply', id: 1, ok: true, body: { type: 'head' } })).toBe(false);
    expect(isWorkerMessage({ type: 'reply', id: 1, ok: 'yes', body: { type: 'disconnect' } })).toBe(false);
    expect(isWorkerMessage({ type: 'reply', ok: true, body: { type: 'disconnect' } })).toBe(false);
    expect(isWorkerMessage({ type: 'status', status: { ...status, peers: undefined } })).toBe(false);
    expect(isWorkerMessage(undefined)).toBe(false);
  });
});

type FakeWorker = {
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null;
  onmessageerror: (() => void) | null;
  posted: unknown[];
  terminated: boolean;
  postMessage(message: unknown): void;
  terminate(): void;
};

function fakeWorker(): FakeWorker {
  const worker: FakeWorker = {
    onmessage: null,
    onerror: null,
    onmessageerror: null,
    posted: [],
    terminated: false,
    postMessage: (message) => worker.posted.push(message),
    terminate: () => {
      worker.terminated = true;
    },
  };
  return worker;
}

describe('the page client', () => {
  it('settles each request with its own reply and replays the latest status', async () => {
    const worker = fakeWorker();
    const client = createLightClientOn(worker as unknown as Worker);
    const head = client.request({ type: 'head' });
    const gone = client.request({ type: 'disconnect' });
    const [first, second] = worker.posted as { id: number }[];
    worker.onmessage?.({ data: { type: 'reply', id: second?.id, ok: true, body: { type: 'disconnect' } } });
    worker.onmessage?.({ data: { type: 'reply', id: first?.id, ok: false, error: { code: 'NOT_CONNECTED', message: 'connect first' } } });
    expect(await gone).toEqual({ ok: true, value: { type: 'disconnect' } });
    expect(await head).toEqual({ ok: false, error: { code: 'NOT_CONNECTED', message: 'connect first' } });
    worker.onmessage?.({ data: { type: 'status', status } });
    const seen: LightStatus[] = [];
    const unsubscribe = client.onStatus((s) => seen.push(s));
    expect(seen).toEqual([status]);
    unsubscribe();
    worker.onmessage?.({ data: { type: 'status', status } });
    expect(seen).toHaveLength(1);
  });

  it('a crashed worker fails pending and later requests with WORKER_FAILED', async () => {
    const worker = fakeWorker();
    const client = createLightClientOn(worker as unknown as Worker);
    const pending = client.request({ type: 'account', addressText: 'kdx1' });
    worker.onerror?.({ message: 'boom', preventDefault: () => {} });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'WORKER_FAILED' } });
    expect(await client.request({ type: 'head' })).toMatchObject({ ok: false, error: { code: 'WORKER_FAILED' } });
    expect(worker.terminated).toBe(true);
  });

  it('an unreadable worker message and dispose fail what is pending', async () => {
    const worker = fakeWorker();
    const client = createLightClientOn(worker as unknown as Worker);
    const pending = client.request({ type: 'head' });
    worker.onmessage?.({ data: { type: 'nonsense' } });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'WORKER_FAILED' } });
    const other = createLightClientOn(fakeWorker() as unknown as Worker);
    const waiting = other.request({ type: 'evidence' });
    other.dispose();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'WORKER_FAILED' } });
  });
});
