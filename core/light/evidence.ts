/**
 * Light-client conflict evidence: two certificates for one (epoch, sequence) with different
 * checkpoint hashes, served by two peers, both verifying against the epoch's committee — proof
 * that the members who signed both (at least f + 1 of stake) broke safety.
 *
 * Issue "Browser light client" ("detect conflicting certified checkpoints from different peers
 * and produce exportable evidence"); the idea of CometBFT's light-client detector, which keeps
 * the conflicting light blocks as attack evidence. Exported as canonical bytes (docs/codec.md):
 *
 *   committee  committeeCodec          the committee both certificates verify against
 *   first      { peer utf8{1..128}, certificate }
 *   second     { peer utf8{1..128}, certificate }   checkpoint hash of first < second's
 *   offenders  list{≤10,000}(u16)      member indices, strictly ascending
 *
 * and as JSON (a readable summary plus those bytes in hex). `verifyLightEvidence` re-checks
 * evidence on its own, recomputing everything from the two certificates and the committee;
 * pass `expectedCommitteeHash` to tie it to a committee the checker trusts (evidence carries
 * its committee, and a committee invented by the evidence's author proves nothing).
 * `offenderSlashingEvidence` turns it into per-offender double-sign evidence for the chain.
 */
import { list, refine, struct, u16, utf8, type Codec, type DecodeError } from '../codec/index.ts';
import { certificateCodec, checkpointEquivocationEvidence, signerIndices, MAX_COMMITTEE_SIZE, type Certificate, type CertificateTrust, type Committee } from '../consensus/index.ts';
import { bytesEqual, compareBytes, parseHex, toHex, type Hash32 } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import type { Evidence } from '../state/index.ts';
import { analyzeConflict, type ConflictReject, type ServedCertificate } from './_conflict.ts';
import { committeeCodec, committeeHash } from './committeeCodec.ts';
import type { LightVerifier } from './types.ts';

export type { ServedCertificate, ConflictReject } from './_conflict.ts';

export type LightEvidence = {
  readonly committee: Committee;
  readonly first: ServedCertificate;
  readonly second: ServedCertificate;
  /** Members whose signatures verify in both certificates, ascending. */
  readonly offenders: readonly number[];
};

/** Longest peer id kept in evidence (a libp2p peer id in text is about 52 characters). */
export const EVIDENCE_PEER_MAX_BYTES = 128;
/** Default decode bound: two certificates of a large committee with their next committees fit well inside. */
export const DEFAULT_EVIDENCE_MAX_BYTES = 16 * 1024 * 1024;
export const LIGHT_EVIDENCE_JSON_FORMAT = 'kaldrix-light-evidence/v1';

const peerCodec: Codec<string> = refine(utf8({ maxBytes: EVIDENCE_PEER_MAX_BYTES }), (s) => (s.length === 0 ? 'peer id must not be empty' : undefined));
const servedCodec: Codec<ServedCertificate> = struct({ peer: peerCodec, certificate: certificateCodec });

export const lightEvidenceCodec: Codec<LightEvidence> = struct({
  committee: committeeCodec,
  first: servedCodec,
  second: servedCodec,
  offenders: list(u16, { maxItems: MAX_COMMITTEE_SIZE }),
});

export const encodeLightEvidence = (evidence: LightEvidence): Uint8Array => lightEvidenceCodec.encode(evidence);

export function decodeLightEvidence(bytes: Uint8Array, maxBytes = DEFAULT_EVIDENCE_MAX_BYTES): Result<LightEvidence, DecodeError> {
  return lightEvidenceCodec.decode(bytes, { maxBytes });
}

/**
 * Evidence from two certificates served by two peers, if they really conflict: both must
 * verify against `trust` (the committee of their epoch), name one slot and differ. Ordered by
 * checkpoint hash, so one conflict has one encoding whoever reported it first.
 */
export async function buildLightEvidence(
  trust: CertificateTrust,
  first: ServedCertificate,
  second: ServedCertificate,
  verifier: LightVerifier,
): Promise<Result<LightEvidence, ConflictReject>> {
  const analysis = await analyzeConflict(trust, first, second, verifier);
  if (!analysis.ok) return analysis;
  const [a, b] = analysis.value.hashes;
  const [lower, higher] = compareBytes(a, b) < 0 ? [first, second] : [second, first];
  return ok(Object.freeze({ committee: trust.committee, first: lower, second: higher, offenders: analysis.value.offenders }));
}

export type EvidenceReject =
  | { readonly code: 'MALFORMED_EVIDENCE'; readonly reason: DecodeError }
  | { readonly code: 'WRONG_CHAIN'; readonly expected: string; readonly actual: string }
  | { readonly code: 'COMMITTEE_NOT_TRUSTED'; readonly expected: Hash32; readonly actual: Hash32 }
  | { readonly code: 'NOT_CANONICAL_ORDER' }
  | { readonly code: 'OFFENDERS_MISMATCH'; readonly listed: readonly number[]; readonly proven: readonly number[] }
  | ConflictReject;

export type EvidenceReport = {
  readonly chainId: string;
  readonly epoch: bigint;
  readonly sequence: bigint;
  readonly checkpointHashes: readonly [Hash32, Hash32];
  readonly peers: readonly [string, string];
  readonly offenders: readonly number[];
  readonly offenderStake: bigint;
  readonly totalStake: bigint;
};

export type EvidenceExpectations = {
  readonly chainId?: string;
  /** `committeeHash` of the committee the checker trusts for that epoch. */
  readonly expectedCommitteeHash?: Hash32;
  readonly maxBytes?: number;
};

/** Re-checks exported evidence from its bytes alone: decode, then the whole analysis again. */
export async function verifyLightEvidence(bytes: Uint8Array, verifier: LightVerifier, expect: EvidenceExpectations = {}): Promise<Result<EvidenceReport, EvidenceReject>> {
  const decoded = decodeLightEvidence(bytes, expect.maxBytes);
  if (!decoded.ok) return err({ code: 'MALFORMED_EVIDENCE', reason: decoded.error });
  const evidence = decoded.value;
  const chainId = evidence.first.certificate.checkpoint.chainId;
  if (expect.chainId !== undefined && chainId !== expect.chainId) return err({ code: 'WRONG_CHAIN', expected: expect.chainId, actual: chainId });
  if (expect.expectedCommitteeHash !== undefined) {
    const actual = committeeHash(evidence.committee);
    if (!bytesEqual(actual, expect.expectedCommitteeHash)) return err({ code: 'COMMITTEE_NOT_TRUSTED', expected: expect.expectedCommitteeHash, actual });
  }
  const analysis = await analyzeConflict({ chainId, committee: evidence.committee }, evidence.first, evidence.second, verifier);
  if (!analysis.ok) return analysis;
  const { hashes, offenders, offenderStake } = analysis.value;
  if (compareBytes(hashes[0], hashes[1]) > 0) return err({ code: 'NOT_CANONICAL_ORDER' });
  if (offenders.length !== evidence.offenders.length || offenders.some((m, i) => evidence.offenders[i] !== m)) {
    return err({ code: 'OFFENDERS_MISMATCH', listed: evidence.offenders, proven: offenders });
  }
  const { checkpoint } = evidence.first.certificate;
  return ok(Object.freeze({
    chainId,
    epoch: checkpoint.epoch,
    sequence: checkpoint.sequence,
    checkpointHashes: hashes,
    peers: Object.freeze([evidence.first.peer, evidence.second.peer] as const),
    offenders,
    offenderStake,
    totalStake: evidence.committee.totalStake,
  }));
}

/**
 * One double-sign evidence (core/state evidence, context 'checkpoint') per offender, ready for
 * an evidence transaction. Use on evidence that verified: this re-checks nothing.
 */
export function offenderSlashingEvidence(evidence: LightEvidence, hashes: readonly [Hash32, Hash32]): readonly Evidence[] {
  const { first, second, committee } = evidence;
  const voteOf = (certificate: Certificate, hash: Hash32, member: number) => {
    const position = [...signerIndices(certificate.signers)].indexOf(member);
    const signature = certificate.signatures[position];
    if (signature === undefined) throw new RangeError(`offenderSlashingEvidence: member ${member} did not sign`);
    return { sequence: certificate.checkpoint.sequence, checkpointHash: hash, signature };
  };
  return Object.freeze(
    evidence.offenders.map((member) => {
      const address = committee.members[member]?.address;
      if (address === undefined) throw new RangeError(`offenderSlashingEvidence: no member ${member}`);
      return checkpointEquivocationEvidence(first.certificate.checkpoint, voteOf(first.certificate, hashes[0], member), voteOf(second.certificate, hashes[1], member), address);
    }),
  );
}

/** A JSON document for people and files: the verified summary, plus the canonical bytes in hex. */
export function lightEvidenceToJson(evidence: LightEvidence, report: EvidenceReport): string {
  const document = {
    format: LIGHT_EVIDENCE_JSON_FORMAT,
    chainId: report.chainId,
    epoch: report.epoch.toString(),
    sequence: report.sequence.toString(),
    checkpointHashes: report.checkpointHashes.map(toHex),
    peers: report.peers,
    offenders: report.offenders.map((m) => ({ index: m, address: toHex(evidence.committee.members[m]?.address ?? new Uint8Array()) })),
    offenderStake: report.offenderStake.toString(),
    totalStake: report.totalStake.toString(),
    bytes: toHex(encodeLightEvidence(evidence)),
  };
  return JSON.stringify(document, null, 2);
}

export type EvidenceJsonReject = { readonly code: 'BAD_JSON'; readonly reason: string } | { readonly code: 'MALFORMED_EVIDENCE'; readonly reason: DecodeError };

/**
 * The evidence bytes of a JSON document written by `lightEvidenceToJson`. Only `bytes`
 * counts: the summary is for people; check the bytes with `verifyLightEvidence`.
 */
export function lightEvidenceBytesFromJson(text: string): Result<Uint8Array, EvidenceJsonReject> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (e) {
    return err({ code: 'BAD_JSON', reason: e instanceof Error ? e.message : 'not JSON' });
  }
  if (typeof document !== 'object' || document === null) return err({ code: 'BAD_JSON', reason: 'not an object' });
  const { format, bytes } = document as { readonly format?: unknown; readonly bytes?: unknown };
  if (format !== LIGHT_EVIDENCE_JSON_FORMAT) return err({ code: 'BAD_JSON', reason: `format must be ${LIGHT_EVIDENCE_JSON_FORMAT}` });
  const parsed = parseHex(bytes);
  if (!parsed.ok) return err({ code: 'BAD_JSON', reason: `bytes: ${parsed.error.reason}` });
  const decoded = decodeLightEvidence(parsed.value);
  return decoded.ok ? ok(parsed.value) : err({ code: 'MALFORMED_EVIDENCE', reason: decoded.error });
}
