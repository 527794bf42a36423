/**
 * Words for what the light client refused, and the downloadable record of a forged
 * certificate: a peer's reason line ("BAD_SIGNATURES: …"), an alarm's summary, and the JSON
 * file (format FORGED_CERTIFICATE_JSON_FORMAT) a person can hand to anyone to re-check —
 * the peer, the reject with its numbers, the certificate's bytes in hex and the trusted head
 * it was checked against. bigints are written as decimal strings and bytes as hex, since JSON
 * has neither.
 */
import { formatDecodeError, type DecodeError } from '../../core/codec/index.ts';
import { toHex } from '../../core/crypto/index.ts';
import { committeeHash, type CheckpointReject, type LightState } from '../../core/light/index.ts';

export const FORGED_CERTIFICATE_JSON_FORMAT = 'kaldrix-light-forged-certificate/v1';

/** What a peer served that was refused: a certificate reject, or bytes that did not decode. */
export type Refusal =
  | { readonly kind: 'certificate'; readonly reject: CheckpointReject }
  | { readonly kind: 'malformed'; readonly what: string; readonly reason: DecodeError };

export function refusalCode(refusal: Refusal): string {
  return refusal.kind === 'certificate' ? refusal.reject.code : 'MALFORMED_CERTIFICATE';
}

/** One sentence for a refusal, with the numbers a person would check. */
export function describeRefusal(refusal: Refusal): string {
  if (refusal.kind === 'malformed') return `${refusal.what} did not decode (${formatDecodeError(refusal.reason)})`;
  const r = refusal.reject;
  switch (r.code) {
    case 'BAD_SIGNATURES':
      return `valid signatures carry ${r.validStake} of the ${r.quorumStake} stake a quorum needs (invalid signers: ${r.invalidSigners.join(', ') || 'none checked'})`;
    case 'WRONG_VALIDATOR_SET':
      return `no signature verified against the trusted committee of epoch ${r.committeeEpoch}: another validator set signed it, or it is forged`;
    case 'WRONG_CHAIN':
      return `it is for chain ${JSON.stringify(r.actual)}, not ${JSON.stringify(r.expected)}`;
    case 'WRONG_EPOCH':
      return `it is of epoch ${r.checkpointEpoch}, the trusted committee vouches for epoch ${r.committeeEpoch} only`;
    case 'BITMAP_SIZE_MISMATCH':
      return `its signer bitmap has ${r.bitmapMembers} members, the committee ${r.committeeMembers}`;
    case 'NON_CANONICAL_BITMAP':
      return `its signer bitmap is not canonical (${r.reason.code})`;
    case 'SIGNATURE_COUNT_MISMATCH':
      return `${r.signers} signers are marked but ${r.signatures} signatures are attached`;
    case 'INSUFFICIENT_STAKE':
      return `its signers hold ${r.signedStake} of the ${r.quorumStake} stake a quorum needs`;
    case 'SCHEME_MISMATCH':
      return `member ${r.memberIndex} has a ${r.keyScheme} key but signed with ${r.signatureScheme}`;
    case 'BAD_SIGNATURE_LENGTH':
      return `member ${r.memberIndex}'s signature has ${r.lengthBytes} bytes, not its scheme's size`;
    case 'MALFORMED_CHECKPOINT':
      return `its checkpoint is not canonical (${r.reason})`;
    case 'STALE_CHECKPOINT':
      return r.conflictsWithHead
        ? `it certifies another checkpoint at the head's sequence ${r.headSequence}`
        : `sequence ${r.sequence} is not newer than the head's ${r.headSequence}`;
    case 'BROKEN_CHAIN':
      return `it does not follow the trusted head (${r.reason.code})`;
    case 'NOT_END_OF_EPOCH':
      return `it was served as the end of epoch ${r.epoch} but carries no next committee (sequence ${r.sequence})`;
  }
}

export const refusalLine = (refusal: Refusal): string => `${refusalCode(refusal)}: ${describeRefusal(refusal)}`;

/** A JSON-ready copy: bigints as decimal strings, bytes as hex, depth-bounded (rejects are shallow). */
export function jsonReady(value: unknown, depth = 0): unknown {
  if (depth > 8) return '…';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map((v: unknown) => jsonReady(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonReady(v, depth + 1)]));
  }
  return value;
}

export type ForgedRecord = {
  readonly peerId: string;
  readonly multiaddr: string;
  readonly refusal: Refusal;
  /** The bytes as served (one certificate, or the whole answer when it did not decode), bounded by the protocol's cap. */
  readonly bytes: Uint8Array;
  /** The state it was checked against. */
  readonly trusted: LightState;
  readonly atMs: number;
};

export function forgedRecordToJson(record: ForgedRecord): string {
  const { trusted } = record;
  const head = trusted.head;
  const document = {
    format: FORGED_CERTIFICATE_JSON_FORMAT,
    chainId: trusted.chainId,
    peerId: record.peerId,
    multiaddr: record.multiaddr,
    detectedAtMs: record.atMs,
    reject: { code: refusalCode(record.refusal), sentence: describeRefusal(record.refusal), detail: jsonReady(record.refusal.kind === 'certificate' ? record.refusal.reject : record.refusal.reason) },
    certificateHex: toHex(record.bytes),
    trustedHead: {
      committeeEpoch: trusted.committee.epoch.toString(),
      committeeHash: toHex(committeeHash(trusted.committee)),
      sequence: head?.checkpoint.sequence.toString() ?? null,
      epoch: head?.checkpoint.epoch.toString() ?? null,
      checkpointHash: head === undefined ? null : toHex(head.hash),
      stateRoot: head === undefined ? null : toHex(head.checkpoint.stateRoot),
    },
  };
  return JSON.stringify(document, null, 2);
}
