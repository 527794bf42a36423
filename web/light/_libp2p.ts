/**
 * The browser light client's network: a libp2p 3 node in the worker with WebSockets, noise and
 * yamux only (no identify, no ping, no gossip: the light client asks, it never serves), and one
 * request-response exchange per question (core/net PROTOCOLS; the light protocols are plain):
 * open a stream, send one unsigned-varint length-prefixed frame (it-length-prefixed), close the
 * writing side, read one frame no longer than PROTOCOL_LIMITS[name].responseBytes before the
 * deadline. DESIGN.md §2 Network; TOOLCHAIN "libp2p in the browser".
 *
 * Caveats: Chromium has no RTCPeerConnection in workers, so WebRTC-direct is not offered here.
 * The browser build's default connection gater refuses `/ws` and private hosts; with
 * `allowLoopback` (local devnets) the gater lets every address through. `libp2p` is loaded by
 * dynamic import, so it lands in the worker's own chunk and never in the page's first one.
 * A slow peer hits the deadline, a closed or reset stream is STREAM_ERROR, an oversized frame
 * is refused from its length prefix before its bytes are buffered.
 */
import type { Connection, Libp2p, Stream } from '@libp2p/interface';
import { PROTOCOLS, PROTOCOL_LIMITS } from '../../core/net/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { AskError, LightProtocolName, LightTransport } from './_transport.ts';

export type Libp2pTransportInit = {
  readonly allowLoopback: boolean;
  /** Deadline of one dial. Default 10,000 ms. */
  readonly dialTimeoutMs?: number;
  /** Deadline of one exchange (open, send, whole answer). Default 15,000 ms: an 8 MiB certificate over a slow link. */
  readonly requestTimeoutMs?: number;
};

/** Bytes of an unsigned-varint length prefix at most (it-length-prefixed's default). */
const MAX_PREFIX_BYTES = 8;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function createLibp2pTransport(init: Libp2pTransportInit): Promise<LightTransport> {
  const [{ createLibp2p }, { webSockets }, { noise }, { yamux }, { multiaddr }, { peerIdFromString }, lp] = await Promise.all([
    import('libp2p'),
    import('@libp2p/websockets'),
    import('@libp2p/noise'),
    import('@libp2p/yamux'),
    import('@multiformats/multiaddr'),
    import('@libp2p/peer-id'),
    import('it-length-prefixed'),
  ]);
  const dialTimeoutMs = init.dialTimeoutMs ?? 10_000;
  const requestTimeoutMs = init.requestTimeoutMs ?? 15_000;
  const node: Libp2p = await createLibp2p({
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    ...(init.allowLoopback ? { connectionGater: { denyDialMultiaddr: () => false } } : {}),
  });
  await node.start();

  const connectionTo = (peerId: string): Connection | undefined => {
    try {
      return node.getConnections(peerIdFromString(peerId)).find((c) => c.status === 'open');
    } catch {
      return undefined;
    }
  };

  async function readOneFrame(stream: Stream, maxBytes: number, signal: AbortSignal): Promise<Result<Uint8Array, AskError>> {
    stream.maxReadBufferLength = Math.max(stream.maxReadBufferLength, maxBytes + MAX_PREFIX_BYTES);
    try {
      const frames = lp.decode(stream, { maxDataLength: maxBytes })[Symbol.asyncIterator]();
      const first = await frames.next();
      if (first.done === true) return err({ code: 'STREAM_ERROR', message: 'the peer closed the stream without an answer' });
      return ok(first.value.slice());
    } catch (error) {
      if (signal.aborted) return err({ code: 'TIMEOUT', message: 'no whole answer before the deadline' });
      if (error instanceof Error && error.name === 'InvalidDataLengthError') return err({ code: 'TOO_LARGE', message: `the answer is longer than the ${maxBytes}-byte cap` });
      return err({ code: 'STREAM_ERROR', message: message(error) });
    }
  }

  async function exchange(connection: Connection, name: LightProtocolName, request: Uint8Array): Promise<Result<Uint8Array, AskError>> {
    const signal = AbortSignal.timeout(requestTimeoutMs);
    let stream: Stream;
    try {
      stream = await connection.newStream(PROTOCOLS[name], { signal });
    } catch (error) {
      return err({ code: signal.aborted ? 'TIMEOUT' : 'STREAM_ERROR', message: `opening ${PROTOCOLS[name]}: ${message(error)}` });
    }
    const abort = (): void => stream.abort(new Error('deadline passed'));
    signal.addEventListener('abort', abort, { once: true });
    try {
      if (!stream.send(lp.encode.single(request))) await stream.onDrain({ signal });
      await stream.close({ signal });
      return await readOneFrame(stream, PROTOCOL_LIMITS[name].responseBytes, signal);
    } catch (error) {
      stream.abort(error instanceof Error ? error : new Error(String(error)));
      return err({ code: signal.aborted ? 'TIMEOUT' : 'STREAM_ERROR', message: message(error) });
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  const transport: LightTransport = {
    async dial(address: string, peerId: string) {
      try {
        const connection = await node.dial(multiaddr(address), { signal: AbortSignal.timeout(dialTimeoutMs) });
        if (connection.remotePeer.toString() !== peerId) {
          await connection.close();
          return err({ code: 'DIAL_FAILED', message: `the peer at ${address} is ${connection.remotePeer.toString()}` });
        }
        return ok(undefined);
      } catch (error) {
        return err({ code: 'DIAL_FAILED', message: message(error) });
      }
    },
    async ask(peerId: string, name: LightProtocolName, request: Uint8Array) {
      const connection = connectionTo(peerId);
      if (connection === undefined) return err({ code: 'NOT_CONNECTED', message: `no open connection to ${peerId}` });
      return exchange(connection, name, request);
    },
    async hangUp(peerId: string) {
      try {
        await node.hangUp(peerIdFromString(peerId));
      } catch {
        // Already gone: nothing to hang up.
      }
    },
    onDisconnect(listener: (peerId: string) => void) {
      node.addEventListener('peer:disconnect', (event) => listener(event.detail.toString()));
    },
    async stop() {
      await node.stop();
    },
  };
  return Object.freeze(transport);
}
