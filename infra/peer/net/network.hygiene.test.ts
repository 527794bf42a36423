/**
 * Identity, bans and redialing with real libp2p nodes, and the hygiene rules as pure logic:
 * the peer id survives a restart from the same data directory; a peer pushed below the ban
 * threshold is disconnected and cannot come back; a node below `minPeers` redials its
 * bootstrap peer after that peer restarts.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import { PEER_KEY_FILE } from './_identity.ts';
import { cleanup, connect, freshDataDir, isConnected, startNode, waitFor } from './_testing.ts';
import { createPeerHygiene } from './hygiene.ts';

afterEach(cleanup);

describe('identity', () => {
  it('keeps the peer id across a restart from the same data directory; the key file is 0600', async () => {
    const dataDir = await freshDataDir();
    const first = await startNode({ dataDir });
    const firstId = first.net.peerId;
    expect(first.net.multiaddrs().every((a) => a.endsWith(`/p2p/${firstId}`))).toBe(true);
    await first.net.stop();
    const second = await startNode({ dataDir });
    expect(second.net.peerId).toBe(firstId);
    expect((await stat(join(dataDir, PEER_KEY_FILE))).mode & 0o777).toBe(0o600);
    const other = await startNode();
    expect(other.net.peerId).not.toBe(firstId);
  });
});

describe('WebRTC-direct', () => {
  it('keeps its certificate hash across a restart when a webrtc-direct address is listened on', async () => {
    const dataDir = await freshDataDir();
    const listen = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/udp/0/webrtc-direct'];
    const certhash = (addresses: readonly string[]) => addresses.find((a) => a.includes('/certhash/'))?.replace(/^.*\/certhash\/([^/]+)\/.*$/, '$1');
    const first = await startNode({ dataDir, listen });
    const before = certhash(first.net.multiaddrs());
    await first.net.stop();
    const second = await startNode({ dataDir, listen });
    expect(before).toMatch(/^u/);
    expect(certhash(second.net.multiaddrs())).toBe(before);
  });
});

describe('bans', () => {
  it('disconnects a peer below the threshold and refuses its redial', async () => {
    const a = await startNode();
    const b = await startNode();
    await connect(b, a);
    await waitFor('the connection', () => isConnected(a, b));
    for (let i = 0; i < 10; i++) a.net.penalize(b.net.peerId, 'INVALID_SIGNATURE');
    expect(a.net.isBanned(b.net.peerId)).toBe(false);
    expect(a.net.score(b.net.peerId)).toBeCloseTo(-100, 0); // a few ms of healing
    a.net.penalize(b.net.peerId, 'INVALID_SIGNATURE');
    expect(a.net.isBanned(b.net.peerId)).toBe(true);
    expect(a.events.filter((e) => e.type === 'banned')).toEqual([{ type: 'banned', peer: b.net.peerId }]);
    await waitFor('the disconnect', () => !isConnected(a, b) && !isConnected(b, a));
    let reopened = 0;
    a.net.libp2p.addEventListener('connection:open', () => (reopened += 1));
    // b's side of noise may finish before a refuses it, so b's dial can resolve; a never
    // accepts the connection and it closes at once.
    await connect(b, a).catch(() => undefined);
    await waitFor('b to see the refusal', () => !isConnected(b, a));
    await expect(a.net.libp2p.dial(multiaddr(b.net.multiaddrs()[0] ?? ''))).rejects.toThrow();
    expect(reopened).toBe(0);
    expect(isConnected(a, b)).toBe(false);
    expect(a.net.stats()).toMatchObject({ connectedPeers: 0, bannedPeers: 1 });
  });
});

describe('minPeers', () => {
  it('redials a bootstrap peer after it restarts', async () => {
    const bDir = await freshDataDir();
    const b = await startNode({ dataDir: bDir });
    const bTcp = b.net.multiaddrs().find((m) => !m.includes('/ws'));
    if (bTcp === undefined) throw new Error('no TCP address');
    const a = await startNode({ bootstrap: [bTcp], minPeers: 1, redialIntervalMs: 50, redialBackoffMs: { initial: 50, max: 200 } });
    await waitFor('the first dial', () => isConnected(a, b));
    await b.net.stop();
    await waitFor('a to notice', () => a.net.stats().connectedPeers === 0);
    // Same key, same port: the bootstrap address names the restarted peer again.
    const listen = bTcp.replace(/\/p2p\/.*$/, '');
    const again = await startNode({ dataDir: bDir, listen: [listen] });
    await waitFor('the redial', () => isConnected(a, again));
    expect(a.net.stats().connectedPeers).toBe(1);
  });
});

describe('hygiene rules', () => {
  it('rate-limits with a token bucket and bounds requests in flight', () => {
    let now = 0;
    const hygiene = createPeerHygiene({ nowMs: () => now, rateLimit: { burst: 3, perSecond: 2 }, maxInflightPerPeer: 2 });
    expect([1, 2, 3, 4].map(() => hygiene.allowRequest('p'))).toEqual([true, true, true, false]);
    expect(hygiene.allowRequest('q')).toBe(true);
    now += 500; // one token back
    expect([hygiene.allowRequest('p'), hygiene.allowRequest('p')]).toEqual([true, false]);
    expect([hygiene.beginRequest('p'), hygiene.beginRequest('p'), hygiene.beginRequest('p')]).toEqual([true, true, false]);
    hygiene.endRequest('p');
    expect(hygiene.beginRequest('p')).toBe(true);
  });

  it('weighs penalties by reason and bans once below the threshold', () => {
    const hygiene = createPeerHygiene({ nowMs: () => 0, banThreshold: -50 });
    expect(hygiene.penalize('p', 'timeout')).toEqual({ score: -1, newlyBanned: false });
    expect(hygiene.penalize('p', 'handshake-failed')).toEqual({ score: -51, newlyBanned: true });
    expect(hygiene.penalize('p', 'timeout')).toEqual({ score: -52, newlyBanned: false });
    expect([hygiene.isBanned('p'), hygiene.isBanned('q'), hygiene.bannedCount()]).toEqual([true, false, 1]);
    expect(() => createPeerHygiene({ nowMs: () => 0, banThreshold: 5 })).toThrow(RangeError);
  });

  it('heals small penalties over time, so an honest slow peer is never banned by their sum', () => {
    let now = 0;
    const hygiene = createPeerHygiene({ nowMs: () => now, banThreshold: -100 });
    // 600 timeouts over an hour (one every 6 s) stay far from a ban: each minute heals 10 points.
    for (let i = 0; i < 600; i++) {
      expect(hygiene.penalize('slow', 'timeout').newlyBanned).toBe(false);
      now += 6_000;
    }
    expect(hygiene.score('slow')).toBeGreaterThan(-10);
    // A burst of forged handshakes bans at once, healing or not.
    const burst = [1, 2, 3].map(() => hygiene.penalize('liar', 'handshake-failed'));
    expect(burst.map((o) => o.newlyBanned)).toEqual([false, false, true]);
    // Healing never turns a score positive.
    now += 3_600_000;
    expect(hygiene.score('slow')).toBe(0);
  });
});
