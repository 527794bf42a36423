/**
 * The PQ link of every connection: runs `/kaldrix/pq-handshake/1` when a connection opens
 * (the dialing side starts it), remembers the resulting session per connection, and hands it
 * to the consensus protocols (docs/pq-links.md).
 *
 * A connection whose remote does not speak the protocol (a browser light client, a plain
 * libp2p tool) keeps working without a session: it can gossip and use the light-client
 * protocols, and its consensus requests are refused. A handshake that starts and then fails
 * is reported, and the caller disconnects and penalizes the peer.
 */
import type { Connection, Stream } from '@libp2p/interface';
import { toHex, type Signer } from '../../../core/crypto/index.ts';
import { createFrameReader, writeFrame, type ByteCounter } from './_frames.ts';
import { runPqHandshake, type HandshakeInit, type HandshakeOutcome, type HandshakeReject } from './_pqHandshakeRun.ts';
import { PQ_HANDSHAKE_MAX_FRAME_BYTES, type HandshakeRole } from './pqHandshake.ts';
import type { PqSession } from './pqSession.ts';
import { PROTOCOLS } from '../../../core/net/protocols.ts';

/**
 * This peer's validator seat as the committee numbers it NOW: seats are renumbered between
 * epochs (members join and leave), so each handshake claims the seat of its moment.
 */
export type CurrentSeat = { readonly index: () => number | undefined; readonly signer: Signer };

export type PqLinksInit = Omit<HandshakeInit, 'role' | 'remotePeerId' | 'seat'> & {
  readonly seat: CurrentSeat | undefined;
  readonly handshakeTimeoutMs: number;
  readonly onBytes: (direction: 'in' | 'out', bytes: number) => void;
  readonly onLink: (connection: Connection, seat: number | undefined, sessionIdHex: string) => void;
  readonly onFailure: (connection: Connection, reject: HandshakeReject) => void;
};

export interface PqLinks {
  onConnectionOpen(connection: Connection): void;
  onConnectionClose(connection: Connection): void;
  handleInbound(stream: Stream, connection: Connection): Promise<void>;
  /** The connection's session once its handshake is done; undefined if it fails or never happens. */
  sessionFor(connection: Connection): Promise<PqSession | undefined>;
}

type Entry = { readonly promise: Promise<PqSession | undefined>; settle: (session: PqSession | undefined) => void; session: PqSession | undefined; settled: boolean };

export function createPqLinks(init: PqLinksInit): PqLinks {
  /** Bounded by the open connections: entries go when their connection closes. */
  const entries = new Map<string, Entry>();
  const closedEntry: Entry = { promise: Promise.resolve(undefined), settle: () => undefined, session: undefined, settled: true };

  const entryOf = (connection: Connection): Entry => {
    const known = entries.get(connection.id);
    if (known !== undefined) return known;
    // A closed connection gets no entry: nothing would ever remove it.
    if (connection.status !== 'open') return closedEntry;
    let resolve!: (session: PqSession | undefined) => void;
    const promise = new Promise<PqSession | undefined>((r) => (resolve = r));
    // A remote that never starts the handshake leaves the connection without a session.
    const timer = setTimeout(() => entry.settle(undefined), init.handshakeTimeoutMs);
    timer.unref?.();
    const entry: Entry = {
      promise,
      session: undefined,
      settled: false,
      settle(session) {
        if (entry.settled) return;
        entry.settled = true;
        entry.session = session;
        clearTimeout(timer);
        resolve(session);
      },
    };
    entries.set(connection.id, entry);
    return entry;
  };

  const run = async (stream: Stream, connection: Connection, role: HandshakeRole) => {
    const entry = entryOf(connection);
    const signal = AbortSignal.timeout(init.handshakeTimeoutMs);
    const countIn: ByteCounter = (n) => init.onBytes('in', n);
    const countOut: ByteCounter = (n) => init.onBytes('out', n);
    const reader = createFrameReader(stream, PQ_HANDSHAKE_MAX_FRAME_BYTES, signal, countIn);
    const seatIndex = init.seat?.index();
    const seat = init.seat === undefined || seatIndex === undefined ? undefined : { index: seatIndex, signer: init.seat.signer };
    let outcome: Awaited<ReturnType<typeof runPqHandshake>>;
    try {
      outcome = await runPqHandshake(
        { send: (frame) => writeFrame(stream, frame, signal, countOut), receive: () => reader.next() },
        { ...init, seat, role, remotePeerId: connection.remotePeer.toString() },
      );
    } finally {
      reader.release();
    }
    if (!outcome.ok) {
      stream.abort(new Error(`pq handshake failed: ${outcome.error.code}`));
      entry.settle(undefined);
      init.onFailure(connection, outcome.error);
      return;
    }
    await stream.close({ signal }).catch(() => stream.abort(new Error('pq handshake stream did not close')));
    established(connection, entry, outcome.value);
  };

  const established = (connection: Connection, entry: Entry, outcome: HandshakeOutcome) => {
    entry.settle(outcome.session);
    init.onLink(connection, outcome.session.remoteSeat, toHex(outcome.session.sessionId));
  };

  return Object.freeze({
    onConnectionOpen(connection: Connection) {
      entryOf(connection);
      if (connection.direction !== 'outbound') return;
      connection.newStream(PROTOCOLS.pqHandshake, { signal: AbortSignal.timeout(init.handshakeTimeoutMs) }).then(
        (stream) => run(stream, connection, 'initiator'),
        // Not spoken by the remote (or the connection went away): no session, no penalty.
        () => entryOf(connection).settle(undefined),
      ).catch(() => entryOf(connection).settle(undefined));
    },
    onConnectionClose(connection: Connection) {
      entries.get(connection.id)?.settle(undefined);
      entries.delete(connection.id);
    },
    async handleInbound(stream: Stream, connection: Connection) {
      if (connection.direction !== 'inbound' || entryOf(connection).settled) {
        // Only the dialed side answers, once per connection: a second handshake is misuse.
        stream.abort(new Error('unexpected pq handshake'));
        return;
      }
      await run(stream, connection, 'responder').catch(() => {
        stream.abort(new Error('pq handshake aborted'));
        entryOf(connection).settle(undefined);
      });
    },
    sessionFor: (connection: Connection) => entryOf(connection).promise,
  });
}
