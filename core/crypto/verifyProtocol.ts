/**
 * The verify pool's worker protocol: every message that crosses the thread boundary, in one
 * discriminated union (HOUSE-RULES 18), plus the packing of a batch into one transferable
 * buffer and the worker-side answer function that both shells (worker_threads, Web Workers)
 * share.
 *
 * Why one packed buffer per batch: structured-cloning 64 objects of four small arrays each
 * costs more than the copy into one ArrayBuffer, and one buffer can be transferred (moved,
 * not copied) to the worker. Results come back the same way: one byte per item, 1 = valid.
 *
 * Packed layout (little-endian), after a u32 item count, per item:
 *   u8 contextLength, u32 publicKeyLength, u32 messageLength, u32 signatureLength,
 *   then the context, public key, message and signature bytes.
 * Scheme names travel beside the buffer as a string array (one per item).
 *
 * Caveat: the worker trusts nothing it receives: `parseVerifyRequest` checks every length
 * before slicing, and a malformed request is answered with `failed`, never a crash.
 */
import { err, ok, type Result } from '../result.ts';
import type { SchemeName, SignatureBackend, VerifyItem } from './types.ts';

/** Main thread → worker: verify these items, answer with the same `id`. */
export type VerifyRequest = {
  readonly type: 'verify';
  readonly id: number;
  readonly schemes: readonly SchemeName[];
  readonly packed: ArrayBuffer;
};

/** Worker → main thread: one byte per item, in request order, 1 = valid, 0 = not. */
export type VerifyResult = { readonly type: 'result'; readonly id: number; readonly valid: Uint8Array };

/** Worker → main thread: the request could not be processed (bad request, backend failed to load). */
export type VerifyFailed = { readonly type: 'failed'; readonly id: number; readonly reason: string };

/**
 * Shell → pool: the worker is gone (uncaught error, exit, killed). Synthesised by the shell's
 * port adapter from the platform's error/exit events, never sent by a healthy worker.
 */
export type WorkerFatal = { readonly type: 'fatal'; readonly reason: string };

export type VerifyWorkerMessage = VerifyResult | VerifyFailed | WorkerFatal;

/**
 * The pool's view of one worker: a minimal message port. A shell adapts a Node `Worker` or a
 * browser `Worker` to it, and reports the worker's death as a `fatal` message.
 */
export interface VerifyWorkerPort {
  postMessage(message: VerifyRequest, transfer?: readonly ArrayBuffer[]): void;
  onMessage(handler: (message: VerifyWorkerMessage) => void): void;
  terminate(): void | Promise<unknown>;
}

export type ProtocolReject = { readonly code: 'BAD_MESSAGE'; readonly reason: string };

/** Fixed header bytes per packed item: u8 + 3 × u32. */
const ITEM_HEADER_BYTES = 13;
/** FIPS 204 §5.2: the context string is at most 255 bytes. */
const MAX_CONTEXT_BYTES = 255;

/** Packs items into one fresh buffer (the caller's arrays stay untouched and attached). */
export function packVerifyItems(items: readonly VerifyItem[]): ArrayBuffer {
  let total = 4;
  for (const item of items) {
    total += ITEM_HEADER_BYTES + item.context.length + item.publicKey.length + item.message.length + item.signature.length;
  }
  const buffer = new ArrayBuffer(total);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  view.setUint32(0, items.length, true);
  let at = 4;
  for (const item of items) {
    if (item.context.length > MAX_CONTEXT_BYTES) throw new RangeError('item.context must be at most 255 bytes');
    view.setUint8(at, item.context.length);
    view.setUint32(at + 1, item.publicKey.length, true);
    view.setUint32(at + 5, item.message.length, true);
    view.setUint32(at + 9, item.signature.length, true);
    at += ITEM_HEADER_BYTES;
    for (const part of [item.context, item.publicKey, item.message, item.signature]) {
      bytes.set(part, at);
      at += part.length;
    }
  }
  return buffer;
}

/** Unpacks a buffer made by `packVerifyItems`; every length is checked before it is used. */
export function unpackVerifyItems(
  packed: ArrayBuffer,
  schemes: readonly SchemeName[],
): Result<readonly VerifyItem[], ProtocolReject> {
  const view = new DataView(packed);
  const bytes = new Uint8Array(packed);
  if (packed.byteLength < 4) return reject('packed buffer shorter than its count');
  const count = view.getUint32(0, true);
  if (count !== schemes.length) return reject(`count ${count} differs from ${schemes.length} schemes`);
  const items: VerifyItem[] = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (at + ITEM_HEADER_BYTES > packed.byteLength) return reject(`item ${i} header past the end`);
    const lengths = [view.getUint8(at), view.getUint32(at + 1, true), view.getUint32(at + 5, true), view.getUint32(at + 9, true)];
    at += ITEM_HEADER_BYTES;
    const parts: Uint8Array[] = [];
    for (const length of lengths) {
      if (at + length > packed.byteLength) return reject(`item ${i} body past the end`);
      parts.push(bytes.subarray(at, at + length));
      at += length;
    }
    const [context, publicKey, message, signature] = parts as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    items.push(Object.freeze({ scheme: schemes[i] as SchemeName, context, publicKey, message, signature }));
  }
  if (at !== packed.byteLength) return reject('trailing bytes after the last item');
  return ok(items);
}

/** Validates a message arriving at a worker (the boundary takes `unknown`, HOUSE-RULES 10). */
export function parseVerifyRequest(message: unknown): Result<VerifyRequest, ProtocolReject> {
  if (typeof message !== 'object' || message === null) return reject('not an object');
  const m = message as Record<string, unknown>;
  if (m['type'] !== 'verify') return reject('unknown message type');
  if (!Number.isSafeInteger(m['id'])) return reject('id is not an integer');
  if (!(m['packed'] instanceof ArrayBuffer)) return reject('packed is not an ArrayBuffer');
  const schemes = m['schemes'];
  if (!Array.isArray(schemes) || !schemes.every((s) => typeof s === 'string')) return reject('schemes is not a string array');
  return ok(Object.freeze({ type: 'verify', id: m['id'] as number, schemes: schemes as SchemeName[], packed: m['packed'] }));
}

/** Validates a message arriving from a worker at the pool. */
export function parseVerifyWorkerMessage(message: unknown): Result<VerifyWorkerMessage, ProtocolReject> {
  if (typeof message !== 'object' || message === null) return reject('not an object');
  const m = message as Record<string, unknown>;
  switch (m['type']) {
    case 'result':
      if (!Number.isSafeInteger(m['id']) || !(m['valid'] instanceof Uint8Array)) return reject('malformed result');
      return ok(Object.freeze({ type: 'result', id: m['id'] as number, valid: m['valid'] }));
    case 'failed':
      if (!Number.isSafeInteger(m['id']) || typeof m['reason'] !== 'string') return reject('malformed failure');
      return ok(Object.freeze({ type: 'failed', id: m['id'] as number, reason: m['reason'] }));
    default:
      return reject('unknown message type');
  }
}

/**
 * The worker's whole job: verify every item with the first backend that supports its scheme
 * (a fast backend first, the reference backend after it). A scheme no backend supports is
 * answered "not valid": what cannot be checked is never accepted.
 */
export function answerVerifyRequest(backends: readonly SignatureBackend[], request: VerifyRequest): VerifyResult | VerifyFailed {
  const unpacked = unpackVerifyItems(request.packed, request.schemes);
  if (!unpacked.ok) return { type: 'failed', id: request.id, reason: unpacked.error.reason };
  const valid = new Uint8Array(unpacked.value.length);
  unpacked.value.forEach((item, i) => {
    const backend = backends.find((b) => b.supports(item.scheme));
    const isValid = backend?.verify(item.scheme, item.publicKey, item.message, item.signature, item.context) ?? false;
    valid[i] = isValid ? 1 : 0;
  });
  return { type: 'result', id: request.id, valid };
}

function reject(reason: string): Result<never, ProtocolReject> {
  return err({ code: 'BAD_MESSAGE', reason });
}
