/**
 * Verifying the newest finality certificate of the trusted epoch, the last step of a sync and
 * what a light client repeats as the chain moves on (DESIGN.md §2 Light client: "then verifies
 * the newest finality certificate").
 *
 * The checks and their order are `_admit.ts`'s: chain id, the cache of accepted checkpoints
 * (a re-check of a known checkpoint costs one hash and no signature), staleness, epoch, the
 * link to the head, then the certificate's own cheap checks and, last, its signatures through
 * `verifyUntilQuorum`. An end-of-epoch certificate is accepted too, and ratchets the committee
 * exactly as `advanceEpoch` would (a quorum of the old committee vouches for the new one).
 */
import type { Certificate } from '../consensus/index.ts';
import { err, ok, type Result } from '../result.ts';
import { admitCertificate } from './_admit.ts';
import { makeReceipt, type VerificationReceipt } from './receipt.ts';
import type { CheckpointReject } from './rejects.ts';
import type { LightState, LightVerifier } from './types.ts';

export type Accepted = {
  readonly state: LightState;
  readonly receipt: VerificationReceipt;
  /** Signers whose signatures were checked and found invalid (for peer scoring; not exhaustive). */
  readonly invalidSigners: readonly number[];
};

/**
 * Accepts `certificate` as the new head, or refuses it with its reason. `servedBy`: the peers
 * that served it, for the receipt. The input state is never changed.
 */
export async function acceptCheckpoint(
  state: LightState,
  certificate: Certificate,
  verifier: LightVerifier,
  servedBy: readonly string[] = [],
): Promise<Result<Accepted, CheckpointReject>> {
  const admitted = await admitCertificate(state, certificate, verifier, 'any');
  if (!admitted.ok) return err(admitted.error);
  const { report, checkpoint } = admitted.value;
  const receipt = makeReceipt(checkpoint, report === undefined ? 'certificate-cached' : 'certificate', servedBy);
  return ok(Object.freeze({ state: admitted.value.state, receipt, invalidSigners: report?.invalidSigners ?? Object.freeze([]) }));
}
