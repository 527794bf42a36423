/**
 * The light client's peer book: the listed peers, their connection state, why a peer is
 * banned or gone, and when it may be dialled again.
 *
 * A peer is given as a WebSocket multiaddr ending in `/p2p/<peer id>` (TOOLCHAIN "libp2p in the
 * browser": `/ws` or `/wss`; a loopback host only when the caller allows loopback, as the
 * browser's own connection gater would refuse it anyway). Redialling backs off exponentially
 * from DIAL_BACKOFF_MIN_MS to DIAL_BACKOFF_MAX_MS, and at most `maxDialsPerMinute` attempts per
 * peer fall within any minute, so a vanished peer costs a few sockets a minute, not a storm.
 * A banned peer is never dialled again this session.
 */
import { err, ok, type Result } from '../../core/result.ts';
import type { PeerState, PeerView } from './protocol.ts';

export const DIAL_BACKOFF_MIN_MS = 1_000;
export const DIAL_BACKOFF_MAX_MS = 30_000;
const MINUTE_MS = 60_000;

export type PeerEntry = {
  readonly multiaddr: string;
  readonly peerId: string;
  state: PeerState;
  verifiedSequence: bigint | undefined;
  reason: string | undefined;
  /** Start times of dial attempts within the last minute (bounded by maxDialsPerMinute). */
  dialTimesMs: number[];
  backoffMs: number;
  nextDialAtMs: number;
  /** Requests in a row that got no answer; the connection is dropped after a few. */
  failuresInRow: number;
};

/** Base58btc (`12D3Koo…`, `Qm…`) or a base32 CID (`bafz…`): what `/p2p/` carries. */
const PEER_ID_PATTERN = /^(?:[1-9A-HJ-NP-Za-km-z]{32,128}|b[a-z2-7]{40,128})$/;
const LOOPBACK_PATTERN = /^\/(?:ip4\/127\.|ip6\/::1\/|dns[46]?\/localhost\/)/;

export function parsePeerAddress(text: string, allowLoopback: boolean): Result<{ readonly multiaddr: string; readonly peerId: string }, string> {
  const multiaddr = text.trim();
  if (!multiaddr.startsWith('/')) return err(`${JSON.stringify(multiaddr.slice(0, 80))} is not a multiaddr (it must start with /)`);
  const parts = multiaddr.split('/');
  const p2pAt = parts.lastIndexOf('p2p');
  const peerId = p2pAt < 0 ? undefined : parts[p2pAt + 1];
  if (peerId === undefined || p2pAt + 2 !== parts.length) return err(`${multiaddr} must end with /p2p/<peer id>`);
  if (!PEER_ID_PATTERN.test(peerId)) return err(`${multiaddr}: ${JSON.stringify(peerId.slice(0, 80))} is not a peer id`);
  if (!parts.includes('ws') && !parts.includes('wss')) return err(`${multiaddr}: a browser reaches peers over WebSockets (/ws or /wss)`);
  if (!allowLoopback && LOOPBACK_PATTERN.test(multiaddr)) return err(`${multiaddr} is a loopback address; allow loopback for a local devnet`);
  return ok(Object.freeze({ multiaddr, peerId }));
}

export function newPeerEntry(multiaddr: string, peerId: string): PeerEntry {
  return { multiaddr, peerId, state: 'disconnected', verifiedSequence: undefined, reason: undefined, dialTimesMs: [], backoffMs: DIAL_BACKOFF_MIN_MS, nextDialAtMs: 0, failuresInRow: 0 };
}

/** May `peer` be dialled at `nowMs`? Not banned, not connected or dialling, past its backoff, under the per-minute cap. */
export function mayDial(peer: PeerEntry, nowMs: number, maxDialsPerMinute: number): boolean {
  if (peer.state !== 'disconnected' || nowMs < peer.nextDialAtMs) return false;
  peer.dialTimesMs = peer.dialTimesMs.filter((t) => nowMs - t < MINUTE_MS);
  return peer.dialTimesMs.length < maxDialsPerMinute;
}

export function recordDialStart(peer: PeerEntry, nowMs: number): void {
  peer.state = 'dialing';
  peer.dialTimesMs.push(nowMs);
}

export function recordDialResult(peer: PeerEntry, nowMs: number, failure: string | undefined): void {
  if (peer.state === 'banned') return;
  if (failure === undefined) {
    peer.state = 'connected';
    peer.reason = undefined;
    peer.backoffMs = DIAL_BACKOFF_MIN_MS;
    peer.failuresInRow = 0;
    return;
  }
  peer.state = 'disconnected';
  peer.reason = failure;
  peer.nextDialAtMs = nowMs + peer.backoffMs;
  peer.backoffMs = Math.min(DIAL_BACKOFF_MAX_MS, peer.backoffMs * 2);
}

export function markDisconnected(peer: PeerEntry, nowMs: number, reason: string): void {
  if (peer.state === 'banned') return;
  peer.state = 'disconnected';
  peer.reason = reason;
  peer.nextDialAtMs = Math.max(peer.nextDialAtMs, nowMs + DIAL_BACKOFF_MIN_MS);
}

export function markBanned(peer: PeerEntry, reason: string): void {
  peer.state = 'banned';
  peer.reason = reason;
}

export const isUsable = (peer: PeerEntry): boolean => peer.state === 'connected';

export function peerView(peer: PeerEntry): PeerView {
  return Object.freeze({ multiaddr: peer.multiaddr, peerId: peer.peerId, state: peer.state, verifiedSequence: peer.verifiedSequence, reason: peer.reason });
}
