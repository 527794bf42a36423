/**
 * core/net — the wire contract between KALDRIX peers and light clients: request-response
 * protocol ids, their size caps and message codecs (DESIGN.md §2 Network). Pure: the libp2p
 * shells (infra/peer/net for full peers, web/light for the browser) carry the frames.
 */
export * from './protocols.ts';
