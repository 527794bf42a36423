/**
 * A PQ link session: seals and opens the consensus protocols' frames with
 * XChaCha20-Poly1305 under the per-direction keys of the PQ handshake (docs/pq-links.md).
 *
 * Frame = counter (u64, big-endian) ‖ ciphertext ‖ tag. The nonce is 16 zero bytes ‖ counter:
 * each direction has its own key and its own strictly increasing counter, so no (key, nonce)
 * pair repeats. Frames of one connection travel on concurrent streams and may arrive out of
 * order, so the receiver accepts any counter not yet seen inside a sliding window (as IPsec
 * and WireGuard do) and refuses replays. The associated data binds a frame to its protocol and
 * role (and a response to its request's counter), so a sealed frame cannot be moved elsewhere.
 */
import { err, ok, type Result } from '../../../core/result.ts';
import { xchachaOpen, xchachaSeal, xchachaSubkey } from './_xchacha.ts';

export const SEAL_COUNTER_BYTES = 8;
/** Poly1305 tag. */
export const SEAL_TAG_BYTES = 16;
/** Bytes a sealed frame adds to its plaintext. */
export const SEAL_OVERHEAD_BYTES = SEAL_COUNTER_BYTES + SEAL_TAG_BYTES;

/**
 * Counters remembered per direction: far more than the streams one peer may have in flight
 * (the per-peer request cap), so an honest reordering never falls out of the window.
 */
export const REPLAY_WINDOW = 4096n;

const U64_MAX = (1n << 64n) - 1n;

export type OpenError =
  | { readonly code: 'FRAME_TOO_SHORT'; readonly sizeBytes: number }
  | { readonly code: 'REPLAYED'; readonly counter: bigint }
  | { readonly code: 'AUTHENTICATION_FAILED' };

export type SealedFrame = { readonly frame: Uint8Array; readonly counter: bigint };
export type OpenedFrame = { readonly plaintext: Uint8Array; readonly counter: bigint };

export interface PqSession {
  /** Names the session (equal on both sides; safe to log: it reveals nothing of the keys). */
  readonly sessionId: Uint8Array;
  /** The validator seat the remote proved in the handshake, if any. */
  readonly remoteSeat: number | undefined;
  seal(plaintext: Uint8Array, associatedData: Uint8Array): SealedFrame;
  open(frame: Uint8Array, associatedData: Uint8Array): Result<OpenedFrame, OpenError>;
}

export type PqSessionInit = {
  readonly sendKey: Uint8Array;
  readonly receiveKey: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly remoteSeat: number | undefined;
};

export function createPqSession(init: PqSessionInit): PqSession {
  if (init.sendKey.length !== 32 || init.receiveKey.length !== 32) throw new RangeError('createPqSession: keys must be 32 bytes');
  // XChaCha20-Poly1305 with nonces 0¹⁶ ‖ counter: one ChaCha20-Poly1305 subkey per direction (`_xchacha.ts`).
  const sendKey = xchachaSubkey(init.sendKey);
  const receiveKey = xchachaSubkey(init.receiveKey);
  let nextSendCounter = 0n;
  const window = createReplayWindow();
  return Object.freeze({
    sessionId: init.sessionId.slice(),
    remoteSeat: init.remoteSeat,
    seal(plaintext: Uint8Array, associatedData: Uint8Array): SealedFrame {
      const counter = nextSendCounter;
      if (counter > U64_MAX) throw new RangeError('PqSession: send counter exhausted');
      nextSendCounter += 1n;
      const sealed = xchachaSeal(sendKey, counter, associatedData, plaintext);
      const frame = new Uint8Array(SEAL_COUNTER_BYTES + sealed.length);
      new DataView(frame.buffer).setBigUint64(0, counter);
      frame.set(sealed, SEAL_COUNTER_BYTES);
      return Object.freeze({ frame, counter });
    },
    open(frame: Uint8Array, associatedData: Uint8Array): Result<OpenedFrame, OpenError> {
      if (frame.length < SEAL_OVERHEAD_BYTES) return err({ code: 'FRAME_TOO_SHORT', sizeBytes: frame.length });
      const counter = new DataView(frame.buffer, frame.byteOffset, frame.length).getBigUint64(0);
      if (!window.isFresh(counter)) return err({ code: 'REPLAYED', counter });
      const plaintext = xchachaOpen(receiveKey, counter, associatedData, frame.subarray(SEAL_COUNTER_BYTES));
      if (plaintext === undefined) return err({ code: 'AUTHENTICATION_FAILED' });
      // Recorded only after authentication: forged frames cannot fill the window.
      window.record(counter);
      return ok(Object.freeze({ plaintext, counter }));
    },
  });
}

function createReplayWindow(): { isFresh(counter: bigint): boolean; record(counter: bigint): void } {
  let highest = -1n;
  const seen = new Set<bigint>();
  return {
    isFresh: (counter) => counter + REPLAY_WINDOW > highest && !seen.has(counter),
    record(counter) {
      seen.add(counter);
      if (counter > highest) highest = counter;
      // Bounded: pruned once it outgrows the window, so it holds at most REPLAY_WINDOW + 1
      // counters; those below the window are refused by the comparison anyway.
      if (seen.size > Number(REPLAY_WINDOW)) {
        for (const old of seen) if (old + REPLAY_WINDOW <= highest) seen.delete(old);
      }
    },
  };
}

/** Associated data of a sealed frame: protocol id, role, and for a response its request's counter. */
export function sealAssociatedData(protocol: string, role: 'request' | 'response', requestCounter: bigint): Uint8Array {
  const text = new TextEncoder().encode(`${protocol}\u0000${role}`);
  const out = new Uint8Array(text.length + 8);
  out.set(text, 0);
  new DataView(out.buffer).setBigUint64(text.length, requestCounter);
  return out;
}
