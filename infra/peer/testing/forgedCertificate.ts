/**
 * A TEST-ONLY lie: the light-client end-to-end test needs one peer that serves a forged
 * finality certificate, so that the browser's detection is shown against a real network rather
 * than a stand-in. A peer in this mode answers `light/latest-certificate` with a certificate
 * that claims a NEWER checkpoint (one sequence ahead, linked to the real head, with a state root
 * of the liar's choosing) under the real certificate's signer bitmap and signatures — which
 * signed a different checkpoint, so an honest verifier must refuse it (no signature verifies). It is
 * the attack a light client most needs to survive: a peer inventing the state it reports.
 *
 * Nothing else about the peer changes: it still validates, signs and commits honestly, so the
 * network keeps finalizing while one of its peers lies to light clients. The mode is switched on
 * only by the environment variable named below (`kaldrix devnet --lying-node <i>` sets it to node i's address),
 * and the peer announces it loudly in its log.
 */
import { blake3 } from '@noble/hashes/blake3.js';
import { checkpointHash, type Certificate } from '../../../core/consensus/index.ts';

/** Address (text form) of the validator that lies to light clients; unset (the default) means nobody. */
export const FORGED_CERTIFICATE_ADDRESS_ENV = 'KALDRIX_TEST_FORGED_CERTIFICATE_ADDRESS';

export function forgeNewerCertificate(real: Certificate): Certificate {
  const { checkpoint } = real;
  const inventedRoot = blake3(new Uint8Array([...checkpoint.stateRoot, 0x6c, 0x69, 0x65]));
  return Object.freeze({
    checkpoint: Object.freeze({
      ...checkpoint,
      sequence: checkpoint.sequence + 1n,
      lastCommitIndex: checkpoint.lastCommitIndex + 1n,
      stateRoot: inventedRoot,
      previousCheckpointHash: checkpointHash(checkpoint),
      nextCommittee: undefined,
    }),
    signers: real.signers,
    signatures: real.signatures,
  });
}

/** The liar's address text from the environment, or undefined when unset or not an address's shape. */
export function forgedCertificateAddress(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const text = env[FORGED_CERTIFICATE_ADDRESS_ENV];
  return text !== undefined && /^[a-z0-9]{8,128}$/.test(text) ? text : undefined;
}
