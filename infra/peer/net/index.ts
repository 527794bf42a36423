/**
 * infra/peer/net — the full peer's libp2p network: gossip, request-response protocols, PQ
 * links, peer hygiene. DESIGN.md §2 Network; the PQ link: docs/pq-links.md.
 */
export { createPeerNetwork, type KaldrixPeerNetwork } from './network.ts';
export { type PeerNetworkOptions } from './options.ts';
export type { PeerNetworkEvent, RequestReject } from './events.ts';
export type { ValidatorKey, HandshakeReject } from './_pqHandshakeRun.ts';
export { PROTOCOLS, PROTOCOL_LIMITS, MAX_VERTEX_REFS_PER_REQUEST, MAX_EPOCH_CERTIFICATES_PER_REQUEST, type RequestProtocolName } from '../../../core/net/protocols.ts';
export { vertexTopic, transactionTopic, DEFAULT_GOSSIP_CAPS, type GossipCaps } from './gossip.ts';
export { PENALTY_WEIGHTS, DEFAULT_PENALTY_WEIGHT, DEFAULT_BAN_THRESHOLD, DEFAULT_RATE_LIMIT, type RateLimit } from './hygiene.ts';
export { PEER_KEY_FILE } from './_identity.ts';
