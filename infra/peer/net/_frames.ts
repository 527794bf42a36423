/**
 * Length-prefixed frames on a libp2p v3 stream (it-length-prefixed: unsigned varint length,
 * then the bytes), with a per-reader size cap and the caller's deadline.
 *
 * A frame longer than the cap is refused from its length prefix alone, before its bytes are
 * buffered; a stream that ends, resets or misses the deadline is an error value. The v3 stream
 * buffers unread data up to `maxReadBufferLength` and resets beyond it, so the reader sets that
 * to the cap plus a little: the per-stream inbound buffer bound.
 */
import type { Stream } from '@libp2p/interface';
import * as lp from 'it-length-prefixed';
import { err, ok, type Result } from '../../../core/result.ts';

export type FrameError =
  | { readonly code: 'FRAME_TOO_LARGE'; readonly maxBytes: number }
  | { readonly code: 'STREAM_ENDED' }
  | { readonly code: 'TIMEOUT' }
  | { readonly code: 'STREAM_ERROR'; readonly message: string };

export type ByteCounter = (bytes: number) => void;

export interface FrameReader {
  next(): Promise<Result<Uint8Array, FrameError>>;
  /** Detaches the deadline from the stream once the exchange is over. */
  release(): void;
}

/** Bytes of a varint length prefix at most (it-length-prefixed's default). */
const MAX_PREFIX_BYTES = 8;

export function createFrameReader(stream: Stream, maxBytes: number, signal: AbortSignal, onBytes: ByteCounter): FrameReader {
  stream.maxReadBufferLength = Math.max(stream.maxReadBufferLength, maxBytes + MAX_PREFIX_BYTES);
  const frames = lp.decode(stream, { maxDataLength: maxBytes })[Symbol.asyncIterator]();
  const abort = () => stream.abort(new Error('deadline passed'));
  signal.addEventListener('abort', abort, { once: true });
  return {
    async next() {
      if (signal.aborted) return err({ code: 'TIMEOUT' });
      try {
        const result = await frames.next();
        if (result.done === true) return err({ code: 'STREAM_ENDED' });
        const frame = plainBytes(result.value.subarray());
        onBytes(frame.length);
        return ok(frame);
      } catch (error) {
        if (signal.aborted) return err({ code: 'TIMEOUT' });
        if (error instanceof Error && error.name === 'InvalidDataLengthError') return err({ code: 'FRAME_TOO_LARGE', maxBytes });
        return err({ code: 'STREAM_ERROR', message: error instanceof Error ? error.message : String(error) });
      }
    },
    release: () => signal.removeEventListener('abort', abort),
  };
}

/** Sends one frame, waiting for the stream to drain when its buffer is full. */
export async function writeFrame(stream: Stream, frame: Uint8Array, signal: AbortSignal, onBytes: ByteCounter): Promise<Result<void, FrameError>> {
  try {
    const encoded = lp.encode.single(frame, { maxDataLength: frame.length });
    onBytes(frame.length);
    if (!stream.send(encoded)) await stream.onDrain({ signal });
    return ok(undefined);
  } catch (error) {
    if (signal.aborted) return err({ code: 'TIMEOUT' });
    return err({ code: 'STREAM_ERROR', message: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * The same bytes as a plain Uint8Array view (no copy). Node hands out `Buffer`s, a subclass
 * that some consumers treat differently (WebAssembly backends, deep equality in tests).
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
