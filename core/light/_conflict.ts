/**
 * The analysis behind conflict evidence, run the same way when evidence is built and when it
 * is re-checked on its own (so a verifier trusts nothing the builder computed).
 *
 * Two certificates for one (epoch, sequence) with different checkpoint hashes, both verifying
 * against one committee, break BFT safety: each was signed by a quorum (> 2/3 of stake), so
 * the signers of both — the intersection — hold more than 1/3 (f + 1), and each of them signed
 * two checkpoints for one slot, which is slashable double-signing (docs/protocol.md "The signed
 * message": the slot header makes the pair self-proving). The offenders are the members whose
 * signature verifies in BOTH certificates (every one of them is checked, no early stop: a
 * certificate may carry a few invalid signatures beside a valid quorum).
 */
import {
  checkpointMessageOfHash,
  checkpointVoteItem,
  signerIndices,
  stakeOf,
  verifyCertificate,
  type CertReject,
  type Certificate,
  type CertificateTrust,
  type CertReport,
} from '../consensus/index.ts';
import { bytesEqual, type Hash32, type VerifyItem } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import type { LightVerifier } from './types.ts';

/** One certificate as a peer served it. */
export type ServedCertificate = { readonly peer: string; readonly certificate: Certificate };

export type ConflictReject =
  | { readonly code: 'NOT_SAME_SLOT'; readonly first: { readonly epoch: bigint; readonly sequence: bigint }; readonly second: { readonly epoch: bigint; readonly sequence: bigint } }
  | { readonly code: 'SAME_CHECKPOINT' }
  | { readonly code: 'CERTIFICATE_INVALID'; readonly which: 'first' | 'second'; readonly reason: CertReject };

export type ConflictAnalysis = {
  readonly hashes: readonly [Hash32, Hash32];
  /** Member indices whose signatures verify in both certificates, ascending. */
  readonly offenders: readonly number[];
  readonly offenderStake: bigint;
};

export async function analyzeConflict(
  trust: CertificateTrust,
  first: ServedCertificate,
  second: ServedCertificate,
  verifier: LightVerifier,
): Promise<Result<ConflictAnalysis, ConflictReject>> {
  const a = first.certificate.checkpoint;
  const b = second.certificate.checkpoint;
  if (a.epoch !== b.epoch || a.sequence !== b.sequence) {
    return err({ code: 'NOT_SAME_SLOT', first: { epoch: a.epoch, sequence: a.sequence }, second: { epoch: b.epoch, sequence: b.sequence } });
  }
  const firstReport = await verifyCertificate(first.certificate, trust, verifier);
  if (!firstReport.ok) return err({ code: 'CERTIFICATE_INVALID', which: 'first', reason: firstReport.error });
  const secondReport = await verifyCertificate(second.certificate, trust, verifier);
  if (!secondReport.ok) return err({ code: 'CERTIFICATE_INVALID', which: 'second', reason: secondReport.error });
  if (bytesEqual(firstReport.value.checkpointHash, secondReport.value.checkpointHash)) return err({ code: 'SAME_CHECKPOINT' });
  const offenders = await doubleSigners(trust, [first.certificate, second.certificate], [firstReport.value, secondReport.value], verifier);
  const offenderStake = stakeOf(trust.committee, offenders);
  // Quorum intersection: two quorums of one committee share more than a third of its stake.
  if (offenderStake < trust.committee.validityStake) throw new Error('analyzeConflict: two verified quorums share less than f + 1 stake');
  return ok(Object.freeze({ hashes: Object.freeze([firstReport.value.checkpointHash, secondReport.value.checkpointHash] as const), offenders, offenderStake }));
}

/** Members in both signer sets whose signatures verify in both certificates. */
async function doubleSigners(
  trust: CertificateTrust,
  certificates: readonly [Certificate, Certificate],
  reports: readonly [CertReport, CertReport],
  verifier: LightVerifier,
): Promise<readonly number[]> {
  const positions = certificates.map((c) => new Map([...signerIndices(c.signers)].map((member, position) => [member, position] as const)));
  const [inFirst, inSecond] = positions as [Map<number, number>, Map<number, number>];
  const both = [...inFirst.keys()].filter((member) => inSecond.has(member));
  const items: VerifyItem[] = [];
  for (const member of both) {
    const key = (trust.committee.members[member] as (typeof trust.committee.members)[number]).key;
    certificates.forEach((certificate, which) => {
      const position = (which === 0 ? inFirst : inSecond).get(member) as number;
      const message = checkpointMessageOfHash(certificate.checkpoint, (reports[which] as CertReport).checkpointHash);
      items.push(checkpointVoteItem(message, key, certificate.signatures[position] as Certificate['signatures'][number]));
    });
  }
  const valid = items.length === 0 ? [] : await verifier.verifyBatch(items);
  return Object.freeze(both.filter((_, i) => valid[2 * i] === true && valid[2 * i + 1] === true));
}
