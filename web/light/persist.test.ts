// Persistence in IndexedDB (fake-indexeddb in Node): a session that verified a head resumes
// from it (same head, no epoch re-sync); a stored state edited after verification is refused
// by the load re-check and the session starts from the trust root; forget deletes the record;
// a store that fails is STORAGE_FAILED on the status, never a crash.
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../core/consensus/index.ts';
import { toHex } from '../../core/crypto/index.ts';
import { decodeLightState, encodeLightState } from '../../core/light/index.ts';
import { runFixture, type Fixture } from '../../core/light/test/fixture.ts';
import { err } from '../../core/result.ts';
import { genesisHash } from '../../core/state/index.ts';
import { createLightSession, type LightSession } from './_session.ts';
import { lightStoreKey, openLightStore, type LightStore } from './_persist.ts';
import { fakeNetwork, fakePeer, genesisText, manualClock } from './test/fakePeers.ts';

let f: Fixture;
let text: string;
let key: string;
beforeAll(async () => {
  f = await runFixture();
  text = genesisText(f.chain.genesis);
  key = lightStoreKey(f.chain.genesis.chainId, toHex(genesisHash(f.chain.genesis)));
}, 60_000);

let dbCount = 0;
async function freshStore(): Promise<LightStore> {
  const opened = await openLightStore(`kaldrix-light-test-${dbCount++}`);
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

function session(store: LightStore, height = 99n): LightSession {
  const peer = fakePeer('A', height);
  const created = createLightSession(
    { transport: fakeNetwork(f, [peer]), verifier: f.pool, store, clock: manualClock(), onChange: () => {} },
    { trust: { kind: 'genesis', genesisText: text }, peers: [peer.multiaddr], allowLoopback: true },
  );
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

const newest = (): Certificate => f.certificates.at(-1) as Certificate;

describe('resuming from IndexedDB', () => {
  it('a verified head is stored and resumed: the same head, no epoch re-sync, the load timed', async () => {
    const store = await freshStore();
    const first = session(store);
    await first.start();
    const head = first.status().head;
    await first.close();
    const stored = await store.load(key);
    expect(stored.ok && stored.value?.length).toBeGreaterThan(0);

    const second = session(store, 0n); // the peer has nothing: whatever head there is came from storage
    expect(await second.start()).toEqual({ ok: true, value: { resumed: true } });
    const status = second.status();
    expect(status.resumed?.fromStorage).toBe(true);
    expect(status.resumed?.loadMs).toBeGreaterThanOrEqual(0);
    expect(status.epochSync.done).toBe(0);
    expect(status.head?.sequence).toBe(newest().checkpoint.sequence);
    expect(toHex(status.head?.checkpointHash ?? new Uint8Array())).toBe(toHex(head?.checkpointHash ?? new Uint8Array(1)));
    expect(status.head?.receipt.proofChecked).toBe('certificate-cached');
  });

  it('a tampered stored state is refused by the re-check; the session starts from the trust root', async () => {
    const store = await freshStore();
    const first = session(store);
    await first.start();
    await first.close();
    const stored = await store.load(key);
    const decoded = decodeLightState(stored.ok && stored.value !== undefined ? stored.value : new Uint8Array());
    if (!decoded.ok || decoded.value.head === undefined) throw new Error('nothing stored');
    const edited = { ...decoded.value, head: { ...decoded.value.head, checkpoint: { ...decoded.value.head.checkpoint, stateRoot: new Uint8Array(32).fill(9) } } };
    await store.save(key, encodeLightState(edited));

    const second = session(store);
    expect(await second.start()).toEqual({ ok: true, value: { resumed: false } });
    const status = second.status();
    expect(status.resumed?.fromStorage).toBe(false);
    expect(status.epochSync.done).toBe(3);
    expect(toHex(status.head?.stateRoot ?? new Uint8Array())).toBe(toHex(newest().checkpoint.stateRoot));
    await second.close();
    // The re-synced state replaced the tampered one.
    const again = await store.load(key);
    expect(again.ok && again.value !== undefined && toHex(again.value)).not.toBe(toHex(encodeLightState(edited)));
  });

  it('forget deletes the record and stops this session from writing it again', async () => {
    const store = await freshStore();
    const s = session(store);
    await s.start();
    const before = await store.load(key);
    expect(before.ok && before.value).toBeInstanceOf(Uint8Array);
    expect((await s.forget()).ok).toBe(true);
    await s.close();
    const after = await store.load(key);
    expect(after.ok && after.value).toBeUndefined();
  });

  it('a failing store is a status line, not a crash', async () => {
    const broken: LightStore = {
      load: async () => err({ code: 'STORAGE_FAILED', message: 'quota exceeded' }),
      save: async () => err({ code: 'STORAGE_FAILED', message: 'quota exceeded' }),
      remove: async () => err({ code: 'STORAGE_FAILED', message: 'quota exceeded' }),
      clear: async () => err({ code: 'STORAGE_FAILED', message: 'quota exceeded' }),
      close: () => {},
    };
    const s = session(broken);
    expect((await s.start()).ok).toBe(true);
    expect(s.status().storageError).toBe('quota exceeded');
    expect(s.status().head?.sequence).toBe(newest().checkpoint.sequence);
    expect(await s.forget()).toMatchObject({ ok: false, error: { code: 'STORAGE_FAILED' } });
  });
});
