/**
 * The committee ratchet: from the trusted committee of epoch e to the one of e + 1, through
 * the end-of-epoch certificate that a quorum of epoch e's committee signed and that carries the
 * next committee — Sui's end-of-epoch checkpoints, CometBFT's validator-set updates.
 *
 * DESIGN.md §2 Light client ("ratchets through end-of-epoch certificates"); docs/protocol.md
 * "The chain and the committee ratchet". Each certificate must verify against the CURRENT
 * trusted committee and follow the head (`_admit.ts`: full hash link when it is the very next
 * sequence, else a larger commit index; its epoch is the trusted one, so epochs go e → e + 1
 * and never skip). `syncEpochs` walks many in a row with a progress callback, keeping the
 * progress made before a failure.
 */
import type { Certificate } from '../consensus/index.ts';
import { err, ok, type Result } from '../result.ts';
import { admitCertificate } from './_admit.ts';
import type { CheckpointReject } from './rejects.ts';
import type { LightState, LightVerifier } from './types.ts';

/** One end-of-epoch certificate: the state trusting the next committee, or why not. */
export async function advanceEpoch(state: LightState, certificate: Certificate, verifier: LightVerifier): Promise<Result<LightState, CheckpointReject>> {
  const admitted = await admitCertificate(state, certificate, verifier, 'endOfEpoch');
  return admitted.ok ? ok(admitted.value.state) : err(admitted.error);
}

export type SyncProgress = {
  /** Certificates applied so far (of this call). */
  readonly done: number;
  readonly total: number;
  /** The epoch now trusted. */
  readonly epoch: bigint;
};

export type SyncOutcome = {
  /** The state after the last certificate that was applied (the input state when none was). */
  readonly state: LightState;
  readonly applied: number;
  /** Set when a certificate was refused: its position in the input and the reason; the rest were not tried. */
  readonly failure?: { readonly index: number; readonly reason: CheckpointReject };
};

/**
 * Ratchets through `certificates` (end-of-epoch certificates, oldest first), calling
 * `onProgress` after each (a progress bar). Bounded by the input's length. Stops at the first
 * refusal; certificates of epochs already passed (answered from the cache) count as applied.
 */
export async function syncEpochs(
  state: LightState,
  certificates: readonly Certificate[],
  verifier: LightVerifier,
  onProgress?: (progress: SyncProgress) => void,
): Promise<SyncOutcome> {
  let current = state;
  for (const [index, certificate] of certificates.entries()) {
    const next = await advanceEpoch(current, certificate, verifier);
    if (!next.ok) return Object.freeze({ state: current, applied: index, failure: Object.freeze({ index, reason: next.error }) });
    current = next.value;
    onProgress?.(Object.freeze({ done: index + 1, total: certificates.length, epoch: current.committee.epoch }));
  }
  return Object.freeze({ state: current, applied: certificates.length });
}
