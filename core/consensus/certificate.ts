/**
 * Finality certificates: a checkpoint with the signatures of a quorum of its epoch's committee.
 *
 * DESIGN.md §2 "Finality certificate" (a PBFT stable checkpoint; what light clients and
 * lagging peers verify; the pruning watermark). Encoding (docs/codec.md):
 *
 *   checkpoint  (checkpoint.ts)
 *   signers     signer bitmap: varint(n) || ceil(n/8) bytes (signerBitmap.ts)
 *   signatures  list{≤ 10,000} of varint(len) || tagged signature, one per set bit, in
 *               ascending signer index order
 *
 * Post-quantum signatures do not aggregate, so a certificate carries them all: with 100
 * ML-DSA-44 validators a certificate holds 67..100 signatures of 2,423 wire bytes each,
 * 162..242 KB (`certificateMaxBytes` states the exact bound for a committee).
 * The decoder accepts only well-formed certificates (canonical bitmap, one signature per
 * signer); whether the signers hold a quorum and their signatures verify is
 * `certificateVerify.ts`'s job, against a committee the caller trusts.
 */
import { list, refine, struct, type Codec, type DecodeError } from '../codec/index.ts';
import { schemeInfo, type Signature } from '../crypto/index.ts';
import { signatureCodec } from '../state/index.ts';
import { checkpointCodec, checkpointMaxBytes, type Checkpoint } from './checkpoint.ts';
import { MAX_COMMITTEE_SIZE, type Committee } from './committee.ts';
import { signerBitmapBytes, signerBitmapCodec, signerCount, type SignerBitmap } from './signerBitmap.ts';
import type { Result } from '../result.ts';

export type Certificate = {
  readonly checkpoint: Checkpoint;
  readonly signers: SignerBitmap;
  /** One per signer, in ascending member index order. */
  readonly signatures: readonly Signature[];
};

export const certificateCodec: Codec<Certificate> = refine(
  struct({
    checkpoint: checkpointCodec,
    signers: signerBitmapCodec,
    signatures: list(signatureCodec, { maxItems: MAX_COMMITTEE_SIZE }),
  }),
  (c) => {
    const count = signerCount(c.signers);
    return c.signatures.length === count ? undefined : `${c.signatures.length} signatures for ${count} signers`;
  },
);

/** Bytes of the unsigned LEB128 varint of `n` (docs/codec.md). */
function varintBytes(n: number): number {
  let bytes = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) bytes++;
  return bytes;
}

/**
 * Upper bound of the encoding of any certificate `committee` can sign, when the certified
 * checkpoint names at most `nextCommitteeMembers` next validators (the chain's largest possible
 * validator set; MAX_COMMITTEE_SIZE when unknown). Every member is assumed to sign with its
 * scheme's largest signature and every next member to hold the largest key. Pass it as
 * `maxBytes` to `decodeCertificate`, so an untrusted peer cannot make a decoder allocate more.
 * Example: 100 ML-DSA-44 validators, no next committee: 242,501 bytes (signatures: 242,300).
 */
export function certificateMaxBytes(committee: Committee, nextCommitteeMembers: number): number {
  const n = committee.members.length;
  const signatures = committee.members.reduce((sum, m) => {
    const tagged = 1 + schemeInfo(m.key.scheme).signatureMaxBytes;
    return sum + varintBytes(tagged) + tagged;
  }, 0);
  return checkpointMaxBytes(nextCommitteeMembers) + varintBytes(n) + signerBitmapBytes(n) + varintBytes(n) + signatures;
}

export const encodeCertificate = (certificate: Certificate): Uint8Array => certificateCodec.encode(certificate);

/** Decodes untrusted bytes (at most `maxBytes`, see `certificateMaxBytes`); frozen on success. */
export function decodeCertificate(bytes: Uint8Array, maxBytes: number): Result<Certificate, DecodeError> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new RangeError('decodeCertificate: maxBytes must be a positive integer');
  return certificateCodec.decode(bytes, { maxBytes });
}
