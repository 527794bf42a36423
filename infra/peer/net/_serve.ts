/**
 * The answering side of every request-response protocol, as one stream handler per protocol.
 *
 * Order of checks, cheapest first: rate limit (token bucket) and requests in flight per peer,
 * then the PQ link (consensus protocols), then one frame within the request cap and the
 * deadline, then the seal, then the typed decode. A refused request closes the stream and,
 * when the peer is to blame, lowers its score; nothing a peer sends makes the handler throw,
 * and a bug in the runtime's handlers is reported, not propagated.
 */
import type { Connection, Stream } from '@libp2p/interface';
import { createFrameReader, writeFrame, type ByteCounter, type FrameError } from './_frames.ts';
import { answerRequest, type AnswerContext } from './_answers.ts';
import type { PqLinks } from './_pqLinks.ts';
import type { RequestReject } from './events.ts';
import type { PeerHygiene } from './hygiene.ts';
import { SEAL_OVERHEAD_BYTES, sealAssociatedData } from './pqSession.ts';
import { PROTOCOLS, PROTOCOL_LIMITS, type RequestProtocolName } from '../../../core/net/protocols.ts';

export type ServeContext = AnswerContext & {
  readonly links: PqLinks;
  readonly hygiene: PeerHygiene;
  readonly timeoutMs: number;
  readonly countIn: ByteCounter;
  readonly countOut: ByteCounter;
  /** Reports a refused request; `penalty` is the reason to score the peer with, if it is to blame. */
  readonly onReject: (peer: string, name: RequestProtocolName, reject: RequestReject, penalty: string | undefined) => void;
  readonly onError: (what: string, error: unknown) => void;
};

/** A frame problem is the peer's fault when it sent too much or too little in time. */
function framePenalty(error: FrameError): string | undefined {
  if (error.code === 'FRAME_TOO_LARGE') return 'malformed-request';
  if (error.code === 'TIMEOUT') return 'timeout';
  return undefined;
}

export function createServer(context: ServeContext): (name: RequestProtocolName) => (stream: Stream, connection: Connection) => Promise<void> {
  return (name) => async (stream, connection) => {
    const peer = connection.remotePeer.toString();
    const refuse = (reject: RequestReject, penalty: string | undefined) => {
      stream.abort(new Error(`request refused: ${reject.code}`));
      context.onReject(peer, name, reject, penalty);
    };
    // Load shedding, not blame: an honest peer catching up asks in bursts (hygiene.ts).
    if (!context.hygiene.allowRequest(peer)) return refuse({ code: 'RATE_LIMITED' }, undefined);
    if (!context.hygiene.beginRequest(peer)) return refuse({ code: 'TOO_MANY_INFLIGHT' }, undefined);
    const limits = PROTOCOL_LIMITS[name];
    const protocol = PROTOCOLS[name];
    const signal = AbortSignal.timeout(context.timeoutMs);
    const reader = createFrameReader(stream, limits.requestBytes + (limits.sealed ? SEAL_OVERHEAD_BYTES : 0), signal, context.countIn);
    try {
      const session = limits.sealed ? await context.links.sessionFor(connection) : undefined;
      if (limits.sealed && session === undefined) return refuse({ code: 'NO_PQ_LINK' }, 'no-pq-link');
      const frame = await reader.next();
      if (!frame.ok) return refuse({ code: 'FRAME', error: frame.error }, framePenalty(frame.error));
      let request = frame.value;
      let requestCounter = 0n;
      if (session !== undefined) {
        const opened = session.open(frame.value, sealAssociatedData(protocol, 'request', 0n));
        if (!opened.ok) return refuse({ code: 'SEAL', error: opened.error }, 'bad-seal');
        request = opened.value.plaintext;
        requestCounter = opened.value.counter;
      }
      const answer = await answerRequest(name, request, context);
      if (!answer.ok) return refuse({ code: 'DECODE', error: answer.error }, 'malformed-request');
      const response = session === undefined ? answer.value : session.seal(answer.value, sealAssociatedData(protocol, 'response', requestCounter)).frame;
      const sent = await writeFrame(stream, response, signal, context.countOut);
      if (!sent.ok) return refuse({ code: 'FRAME', error: sent.error }, undefined);
      await stream.close({ signal });
    } catch (error) {
      stream.abort(error instanceof Error ? error : new Error(String(error)));
      context.onError(`serving ${protocol}`, error);
    } finally {
      reader.release();
      context.hygiene.endRequest(peer);
    }
  };
}
