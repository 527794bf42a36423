// A plain js-libp2p client, built only from libp2p's own packages (no KALDRIX networking code),
// dials a real devnet node: the node speaks standard TCP + noise + yamux, answers identify and
// ping, and lists its versioned `/kaldrix/...` protocols in identify (issue 7, "Bad input").
// KALDRIX code is used only to write and start the devnet.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identify } from '@libp2p/identify';
import type { IdentifyResult } from '@libp2p/interface';
import { noise } from '@libp2p/noise';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { yamux } from '@libp2p/yamux';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchDevnet, type RunningDevnet } from './devnet/launch.ts';
import { writeDevnet, type DevnetManifest } from './devnet/files.ts';

/** Written out by hand on purpose: what a stranger reads in the protocol docs, not our constants. */
const EXPECTED_PROTOCOLS = [
  '/kaldrix/pq-handshake/1',
  '/kaldrix/vertices/1',
  '/kaldrix/latest/1',
  '/kaldrix/range/1',
  '/kaldrix/light/latest-certificate/1',
  '/kaldrix/light/epoch-certificates/1',
  '/kaldrix/light/account-proof/1',
  '/kaldrix/sync/resume-offer/1',
  '/kaldrix/sync/resume-piece/1',
];

function makeClient() {
  return createLibp2p({
    addresses: { listen: [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() },
  });
}

describe('a standard js-libp2p client against a devnet node', () => {
  let dir: string | undefined;
  let manifest: DevnetManifest;
  let devnet: RunningDevnet | undefined;
  let client: Awaited<ReturnType<typeof makeClient>> | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kaldrix-foreign-'));
    // A one-validator devnet: it needs no peers to be ready, which keeps this test light.
    manifest = await writeDevnet({ dir, validators: 1, users: 0, basePort: 33_000 + Math.floor(Math.random() * 50) * 40, chainId: 'kaldrix-foreign-test', genesisTimeMs: Date.now() });
    devnet = launchDevnet(manifest, { onLine: (line) => lines.push(line) });
    await devnet.waitReady(45_000);
  }, 60_000);

  afterAll(async () => {
    await client?.stop();
    for (const [name, code] of devnet?.unexpectedExits() ?? []) console.error(`${name} exited with ${code}:\n${lines.slice(-30).join('\n')}`);
    await devnet?.stopAll(10_000);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('dials, runs identify and ping, and sees every /kaldrix/... protocol', async () => {
    const node = manifest.nodes[0];
    if (node === undefined) throw new Error('the devnet has no node 0');
    client = await makeClient();
    await client.start();
    // identify runs by itself on every new connection (a second, explicit run would race it
    // for the remote's single identify stream); its result arrives as this event.
    const running = client;
    const identifiedEvent = new Promise<IdentifyResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no identify result within 10 s')), 10_000);
      running.addEventListener('peer:identify', (event) => {
        if (event.detail.peerId.toString() !== node.peerId) return;
        clearTimeout(timer);
        resolve(event.detail);
      });
    });
    const connection = await client.dial(multiaddr(node.tcp), { signal: AbortSignal.timeout(10_000) });
    expect(connection.remotePeer.toString()).toBe(node.peerId);
    expect(connection.encryption).toBe('/noise');
    expect(connection.multiplexer).toBe('/yamux/1.0.0');

    const identified = await identifiedEvent;
    expect(identified.peerId.toString()).toBe(node.peerId);
    for (const protocol of EXPECTED_PROTOCOLS) expect(identified.protocols).toContain(protocol);
    // The standard ones too, so any libp2p tool can probe the node.
    expect(identified.protocols).toContain('/ipfs/id/1.0.0');
    expect(identified.protocols).toContain('/ipfs/ping/1.0.0');
    expect(identified.listenAddrs.map((a) => a.toString())).toContain(node.tcp.replace(/\/p2p\/.*$/, ''));

    const rttMs = await client.services.ping.ping(multiaddr(node.tcp), { signal: AbortSignal.timeout(10_000) });
    expect(Number.isFinite(rttMs) && rttMs >= 0).toBe(true);
    // The node kept the connection: not speaking the PQ handshake is allowed for a plain client.
    expect(client.getConnections().some((c) => c.remotePeer.toString() === node.peerId && c.status === 'open')).toBe(true);
    expect(devnet?.unexpectedExits().size).toBe(0);
  }, 40_000);
});
