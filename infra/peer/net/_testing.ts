/**
 * Test support for the network's tests (not used by the network itself): real libp2p nodes
 * on 127.0.0.1 with ports chosen by the OS, recording what they deliver, plus a bounded wait.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { multiaddr } from '@multiformats/multiaddr';
import type { VertexRef } from '../../../core/dag/index.ts';
import type { PeerRequestHandlers, RelayVerdict } from '../contracts.ts';
import type { PeerNetworkEvent } from './events.ts';
import { createPeerNetwork, type KaldrixPeerNetwork } from './network.ts';
import type { PeerNetworkOptions } from './options.ts';

export const TEST_CHAIN_ID = 'kaldrix-net-test';

export type TestNode = {
  readonly net: KaldrixPeerNetwork;
  readonly dataDir: string;
  readonly vertices: { readonly bytes: Uint8Array; readonly from: string }[];
  readonly transactions: { readonly bytes: Uint8Array; readonly from: string }[];
  readonly events: PeerNetworkEvent[];
  /** Replace to change what this node serves. */
  handlers: PeerRequestHandlers;
  /** Replace to change what this node makes of a relayed transaction (default: accept it). */
  txVerdict: (bytes: Uint8Array) => RelayVerdict;
};

export const emptyHandlers = (): PeerRequestHandlers => ({
  vertexBytes: (_ref: VertexRef) => undefined,
  latestOwnVertex: () => undefined,
  commitRange: () => undefined,
  latestCertificate: () => undefined,
  epochCertificates: () => [],
  accountProof: () => undefined,
  resumeOffer: async () => ({ commitLogFrom: undefined, point: undefined }),
  resumePiece: async () => undefined,
});

/** Every node and directory the tests made, so `cleanup` can stop and remove them all. */
const started: TestNode[] = [];
const directories = new Set<string>();

export async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kaldrix-net-'));
  directories.add(dir);
  return dir;
}

export async function startNode(options: Partial<PeerNetworkOptions> = {}): Promise<TestNode> {
  const dataDir = options.dataDir ?? (await freshDataDir());
  const node: TestNode = {
    dataDir,
    vertices: [],
    transactions: [],
    events: [],
    handlers: emptyHandlers(),
    txVerdict: () => ({ kind: 'accept' }),
    net: undefined as unknown as KaldrixPeerNetwork,
  };
  // The network calls through `node.handlers`, so a test can swap them after start.
  const requests: PeerRequestHandlers = {
    vertexBytes: (ref) => node.handlers.vertexBytes(ref),
    latestOwnVertex: () => node.handlers.latestOwnVertex(),
    commitRange: (fromIndex, epoch) => node.handlers.commitRange(fromIndex, epoch),
    latestCertificate: () => node.handlers.latestCertificate(),
    epochCertificates: (fromEpoch, max) => node.handlers.epochCertificates(fromEpoch, max),
    accountProof: (address) => node.handlers.accountProof(address),
    resumeOffer: () => node.handlers.resumeOffer(),
    resumePiece: (sequence, part, index) => node.handlers.resumePiece(sequence, part, index),
  };
  const net = await createPeerNetwork({
    chainId: TEST_CHAIN_ID,
    requests,
    inbound: {
      vertex: (bytes, from) => node.vertices.push({ bytes, from }),
      transaction: (bytes, from) => {
        node.transactions.push({ bytes, from });
        return node.txVerdict(bytes);
      },
    },
    onEvent: (event) => node.events.push(event),
    ...options,
    dataDir,
  });
  (node as { net: KaldrixPeerNetwork }).net = net;
  started.push(node);
  await net.start();
  return node;
}

export async function connect(from: TestNode, to: TestNode): Promise<void> {
  const address = to.net.multiaddrs().find((a) => a.includes('/tcp/') && !a.includes('/ws'));
  if (address === undefined) throw new Error('no TCP address to dial');
  await from.net.libp2p.dial(multiaddr(address));
}

export function isConnected(a: TestNode, b: TestNode): boolean {
  return a.net.libp2p.getConnections().some((c) => c.remotePeer.toString() === b.net.peerId && c.status === 'open');
}

/** Polls `condition` every 20 ms; throws after `timeoutMs` (default 10 s), naming `what`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function cleanup(): Promise<void> {
  const nodes = started.splice(0);
  await Promise.all(nodes.map((n) => n.net.stop()));
  const dirs = [...directories];
  directories.clear();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}
