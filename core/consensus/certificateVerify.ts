/**
 * Verifying a finality certificate against a committee the caller trusts — enough for a light
 * client on its own (it needs no DAG, no ledger, no peer's word).
 *
 * DESIGN.md §2 Light client: "cheap-first: signer bitmap and stake first, signatures last,
 * spread over a pool of workers, stopping as soon as a quorum of stake has verified". Steps, in
 * order (each cheaper than the signature checks it may spare; reasons in docs/protocol.md):
 *   1. chain id       — the checkpoint names the trusted chain             WRONG_CHAIN
 *   2. epoch          — the checkpoint's epoch is the committee's           WRONG_EPOCH
 *   3. bitmap size    — the bitmap is for this committee's member count     BITMAP_SIZE_MISMATCH
 *   4. bitmap form    — ceil(n/8) bytes, zero padding bits                  NON_CANONICAL_BITMAP
 *   5. count          — one signature per set bit                           SIGNATURE_COUNT_MISMATCH
 *   6. stake          — the claimed signers hold a quorum                   INSUFFICIENT_STAKE
 *   7. schemes        — each signature's scheme is its signer's key scheme, SCHEME_MISMATCH,
 *                       and its length fits that scheme                     BAD_SIGNATURE_LENGTH
 *   8. checkpoint     — it has a canonical encoding (values from storage)   MALFORMED_CHECKPOINT
 *   9. signatures     — through `verifyUntilQuorum`                         BAD_SIGNATURES
 *
 * SEMANTICS OF STEP 9 (chosen so the verdict is a function of the certificate alone): a
 * certificate is accepted iff the signers whose signatures VERIFY hold at least the quorum
 * stake. Verification stops as soon as that is decided either way, so an invalid signature
 * among the others does not by itself fail a certificate whose valid signatures still make a
 * quorum — rejecting on "any invalid signature" would need every signature verified (no early
 * stop) or would make the verdict depend on worker timing. Security is the same: acceptance
 * always means a quorum of stake signed this checkpoint. `invalidSigners` reports the invalid
 * signatures that happened to be verified before the decision (for peer scoring; it is not a
 * complete list). A verifier failure (e.g. the pool's QUEUE_FULL) rejects the promise: it says
 * nothing about the certificate.
 */
import { isSignatureLengthValid, type Hash32, type QuorumOutcome, type SchemeName, type VerifyItem, type VerifyPool } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import type { Amount } from '../state/index.ts';
import type { Certificate } from './certificate.ts';
import { checkpointHashOfEncoding, tryEncodeCheckpoint } from './checkpoint.ts';
import { checkpointMessageOfHash, checkpointVoteItem } from './checkpointSign.ts';
import { stakeOf, type Committee } from './committee.ts';
import { checkSignerBitmap, signerCount, signerIndices, type SignerBitmapReject } from './signerBitmap.ts';

/** The verify pool's quorum entry point: the pool itself, or any stand-in with its contract. */
export type QuorumVerifier = Pick<VerifyPool, 'verifyUntilQuorum'>;

/** What the verifier trusts: the chain and the committee of the certificate's epoch. */
export type CertificateTrust = {
  readonly chainId: string;
  readonly committee: Committee;
};

export type CertReject =
  | { readonly code: 'WRONG_CHAIN'; readonly expected: string; readonly actual: string }
  | { readonly code: 'WRONG_EPOCH'; readonly committeeEpoch: bigint; readonly checkpointEpoch: bigint }
  | { readonly code: 'BITMAP_SIZE_MISMATCH'; readonly bitmapMembers: number; readonly committeeMembers: number }
  | { readonly code: 'NON_CANONICAL_BITMAP'; readonly reason: SignerBitmapReject }
  | { readonly code: 'SIGNATURE_COUNT_MISMATCH'; readonly signers: number; readonly signatures: number }
  | { readonly code: 'INSUFFICIENT_STAKE'; readonly signedStake: Amount; readonly quorumStake: Amount }
  | { readonly code: 'SCHEME_MISMATCH'; readonly memberIndex: number; readonly keyScheme: SchemeName; readonly signatureScheme: SchemeName }
  | { readonly code: 'BAD_SIGNATURE_LENGTH'; readonly memberIndex: number; readonly lengthBytes: number }
  | { readonly code: 'MALFORMED_CHECKPOINT'; readonly reason: string }
  /** validStake: what had verified when a quorum went out of reach (verification stops there). */
  | { readonly code: 'BAD_SIGNATURES'; readonly validStake: Amount; readonly quorumStake: Amount; readonly invalidSigners: readonly number[] };

export type CertReport = {
  readonly checkpointHash: Hash32;
  /** Stake of the signatures verified valid before the decision (≥ quorumStake). */
  readonly validStake: Amount;
  /** Signers whose signatures were verified and found invalid before the decision. */
  readonly invalidSigners: readonly number[];
};

/** Steps 1–7: everything but encoding and signatures. Returns the signer indices, ascending. */
export function checkCertificateCheaply(certificate: Certificate, trust: CertificateTrust): Result<readonly number[], CertReject> {
  const { checkpoint, signers, signatures } = certificate;
  const { committee } = trust;
  if (checkpoint.chainId !== trust.chainId) return err({ code: 'WRONG_CHAIN', expected: trust.chainId, actual: checkpoint.chainId });
  if (checkpoint.epoch !== committee.epoch) return err({ code: 'WRONG_EPOCH', committeeEpoch: committee.epoch, checkpointEpoch: checkpoint.epoch });
  const committeeMembers = committee.members.length;
  if (signers.memberCount !== committeeMembers) return err({ code: 'BITMAP_SIZE_MISMATCH', bitmapMembers: signers.memberCount, committeeMembers });
  const form = checkSignerBitmap(signers);
  if (!form.ok) return err({ code: 'NON_CANONICAL_BITMAP', reason: form.error });
  const count = signerCount(signers);
  if (signatures.length !== count) return err({ code: 'SIGNATURE_COUNT_MISMATCH', signers: count, signatures: signatures.length });
  const indices = [...signerIndices(signers)];
  const signedStake = stakeOf(committee, indices);
  if (signedStake < committee.quorumStake) return err({ code: 'INSUFFICIENT_STAKE', signedStake, quorumStake: committee.quorumStake });
  for (const [position, memberIndex] of indices.entries()) {
    const keyScheme = (committee.members[memberIndex] as Committee['members'][number]).key.scheme;
    const signature = signatures[position] as Certificate['signatures'][number];
    if (signature.scheme !== keyScheme) return err({ code: 'SCHEME_MISMATCH', memberIndex, keyScheme, signatureScheme: signature.scheme });
    if (!isSignatureLengthValid(signature.scheme, signature.bytes.length)) {
      return err({ code: 'BAD_SIGNATURE_LENGTH', memberIndex, lengthBytes: signature.bytes.length });
    }
  }
  return ok(Object.freeze(indices));
}

/** Full verification (steps 1–9); see the module header for the exact acceptance rule. */
export async function verifyCertificate(
  certificate: Certificate,
  trust: CertificateTrust,
  verifier: QuorumVerifier,
): Promise<Result<CertReport, CertReject>> {
  const cheap = checkCertificateCheaply(certificate, trust);
  if (!cheap.ok) return cheap;
  const encoding = tryEncodeCheckpoint(certificate.checkpoint);
  if (!encoding.ok) return err({ code: 'MALFORMED_CHECKPOINT', reason: encoding.error });
  const hash = checkpointHashOfEncoding(encoding.value);
  const message = checkpointMessageOfHash(certificate.checkpoint, hash);
  const { committee } = trust;
  const indices = cheap.value;
  const items: VerifyItem[] = indices.map((memberIndex, position) =>
    checkpointVoteItem(
      message,
      (committee.members[memberIndex] as Committee['members'][number]).key,
      certificate.signatures[position] as Certificate['signatures'][number],
    ),
  );
  const weights = indices.map((i) => (committee.members[i] as Committee['members'][number]).stake);
  const outcome: QuorumOutcome<bigint> = await verifier.verifyUntilQuorum(items, weights, committee.quorumStake);
  const invalidSigners = Object.freeze(indices.filter((_, position) => outcome.outcomes[position] === 'invalid'));
  if (!outcome.reached || outcome.validWeight < committee.quorumStake) {
    return err({ code: 'BAD_SIGNATURES', validStake: outcome.validWeight, quorumStake: committee.quorumStake, invalidSigners });
  }
  return ok(Object.freeze({ checkpointHash: hash, validStake: outcome.validWeight, invalidSigners }));
}
