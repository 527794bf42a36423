/**
 * One request-response exchange as the asker: open a stream for the protocol on a connection,
 * send one frame (sealed under the PQ link for consensus protocols), read one frame within
 * the response cap and the deadline, and open it. Decoding the answer is the caller's.
 */
import type { Connection } from '@libp2p/interface';
import { err, ok, type Result } from '../../../core/result.ts';
import { createFrameReader, writeFrame, type ByteCounter } from './_frames.ts';
import type { PqLinks } from './_pqLinks.ts';
import type { RequestReject } from './events.ts';
import { SEAL_OVERHEAD_BYTES, sealAssociatedData, type PqSession } from './pqSession.ts';
import { PROTOCOLS, PROTOCOL_LIMITS, type RequestProtocolName } from '../../../core/net/protocols.ts';

export type RequestContext = {
  readonly links: PqLinks;
  readonly timeoutMs: number;
  readonly countIn: ByteCounter;
  readonly countOut: ByteCounter;
};

export type Answer = { readonly bytes: Uint8Array; readonly session: PqSession | undefined };

export async function requestOnce(
  context: RequestContext,
  connection: Connection,
  name: RequestProtocolName,
  request: Uint8Array,
): Promise<Result<Answer, RequestReject>> {
  const limits = PROTOCOL_LIMITS[name];
  const protocol = PROTOCOLS[name];
  const session = limits.sealed ? await context.links.sessionFor(connection) : undefined;
  if (limits.sealed && session === undefined) return err({ code: 'NO_PQ_LINK' });
  const signal = AbortSignal.timeout(context.timeoutMs);
  let stream;
  try {
    stream = await connection.newStream(protocol, { signal });
  } catch (error) {
    return err({ code: 'FRAME', error: { code: 'STREAM_ERROR', message: error instanceof Error ? error.message : String(error) } });
  }
  const reader = createFrameReader(stream, limits.responseBytes + (session === undefined ? 0 : SEAL_OVERHEAD_BYTES), signal, context.countIn);
  try {
    const sealed = session?.seal(request, sealAssociatedData(protocol, 'request', 0n));
    const sent = await writeFrame(stream, sealed?.frame ?? request, signal, context.countOut);
    if (!sent.ok) return err({ code: 'FRAME', error: sent.error });
    await stream.close({ signal });
    const frame = await reader.next();
    if (!frame.ok) return err({ code: 'FRAME', error: frame.error });
    if (session === undefined || sealed === undefined) return ok({ bytes: frame.value, session });
    const opened = session.open(frame.value, sealAssociatedData(protocol, 'response', sealed.counter));
    if (!opened.ok) return err({ code: 'SEAL', error: opened.error });
    return ok({ bytes: opened.value.plaintext, session });
  } catch (error) {
    stream.abort(error instanceof Error ? error : new Error(String(error)));
    return err({ code: 'FRAME', error: { code: 'STREAM_ERROR', message: error instanceof Error ? error.message : String(error) } });
  } finally {
    reader.release();
  }
}
