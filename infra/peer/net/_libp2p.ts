/**
 * Builds the libp2p 3 node: transports, encryption, muxing, identify, ping, gossipsub, and
 * (only with a WebRTC-direct listener) a LevelDB datastore and keychain that keep the
 * WebRTC certificate across restarts, so the `/certhash/...` part of the address is stable.
 *
 * DESIGN.md §2 Network. TCP and WebSockets between peers; WebSockets (and optionally
 * WebRTC-direct) for browsers; noise + yamux on every connection. Gossipsub runs with
 * StrictNoSign: the payloads are signed KALDRIX objects already, so a second libp2p signature
 * per message buys nothing; message ids are BLAKE3 of the data, so identical bytes are one
 * message however many peers relay them.
 */
import { join } from 'node:path';
import { gossipsub, StrictNoSign, type GossipSub, type Message } from '@libp2p/gossipsub';
import { identify, type Identify } from '@libp2p/identify';
import type { ConnectionGater, Libp2p, PrivateKey } from '@libp2p/interface';
import { keychain } from '@libp2p/keychain';
import { noise } from '@libp2p/noise';
import { ping, type Ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { webRTCDirect } from '@libp2p/webrtc';
import { webSockets } from '@libp2p/websockets';
import { yamux } from '@libp2p/yamux';
import { LevelDatastore } from 'datastore-level';
import { createLibp2p, type Libp2pOptions } from 'libp2p';
import { blake3Hash } from '../../../core/crypto/index.ts';

export type PeerServices = { identify: Identify; ping: Ping; pubsub: GossipSub };
export type PeerLibp2p = Libp2p<PeerServices>;

export const DATASTORE_DIR = 'p2p-ds';

export type Libp2pBuildInit = {
  readonly privateKey: PrivateKey;
  readonly dataDir: string;
  readonly listen: readonly string[];
  readonly announce: readonly string[];
  readonly gater: ConnectionGater;
  readonly topics: readonly string[];
  /** Largest gossip RPC frame accepted from a peer (the largest payload plus protobuf framing). */
  readonly maxGossipFrameBytes: number;
  readonly maxConnections: number;
};

export type BuiltNode = { readonly node: PeerLibp2p; readonly close: () => Promise<void> };

export const isWebRtcDirect = (address: string): boolean => address.includes('/webrtc-direct');

export async function buildLibp2p(init: Libp2pBuildInit): Promise<BuiltNode> {
  const withWebRtc = init.listen.some(isWebRtcDirect);
  const datastore = withWebRtc ? new LevelDatastore(join(init.dataDir, DATASTORE_DIR)) : undefined;
  if (datastore !== undefined) await datastore.open();
  const services = {
    identify: identify(),
    ping: ping(),
    pubsub: gossipsub({
      globalSignaturePolicy: StrictNoSign,
      msgIdFn: (message: Message) => blake3Hash(message.data),
      emitSelf: false,
      allowPublishToZeroTopicPeers: true,
      ignoreDuplicatePublishError: true,
      fallbackToFloodsub: false,
      allowedTopics: [...init.topics],
      maxInboundDataLength: init.maxGossipFrameBytes,
    }),
    ...(withWebRtc ? { keychain: keychain() } : {}),
  };
  const options: Libp2pOptions<PeerServices> = {
    privateKey: init.privateKey,
    start: false,
    addresses: { listen: [...init.listen], announce: [...init.announce] },
    transports: [tcp(), webSockets(), ...(withWebRtc ? [webRTCDirect()] : [])],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: init.gater,
    connectionManager: { maxConnections: init.maxConnections },
    services: services as NonNullable<Libp2pOptions<PeerServices>['services']>,
    ...(datastore !== undefined ? { datastore } : {}),
  };
  const node = await createLibp2p<PeerServices>(options);
  return Object.freeze({
    node,
    close: async () => {
      await datastore?.close();
    },
  });
}
