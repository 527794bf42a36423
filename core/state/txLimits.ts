/**
 * Size limits derived from the encodings: the largest evidence transaction any combination of
 * schemes can produce. `max_tx_bytes` must admit it, or an equivocating validator using a
 * large-signature scheme (SLH-DSA: 17 KB) could not be slashed.
 *
 * Computed by encoding a worst-case transaction (longest chain id, longest evidence messages,
 * the largest signature of any scheme in all three places, the largest public key carried), so
 * it follows the codec and the scheme registry automatically.
 */
import { SCHEME_NAMES, schemeInfo, type SchemeName } from '../crypto/index.ts';
import { EVIDENCE_MESSAGE_MAX_BYTES } from './evidence.ts';
import { signedTxCodec } from './txCodec.ts';
import { CHAIN_ID_MAX_BYTES } from './txFields.ts';
import { U64_MAX } from './types.ts';

function largest(by: (s: SchemeName) => number): SchemeName {
  return SCHEME_NAMES.reduce((best, s) => (by(s) > by(best) ? s : best));
}

let cached: number | undefined;

/** Encoded size in bytes of the largest possible evidence transaction. */
export function maxEvidenceTxBytes(): number {
  if (cached !== undefined) return cached;
  const sigScheme = largest((s) => schemeInfo(s).signatureMaxBytes);
  const keyScheme = largest((s) => schemeInfo(s).publicKeyBytes);
  const signature = { scheme: sigScheme, bytes: new Uint8Array(schemeInfo(sigScheme).signatureMaxBytes) };
  const message = new Uint8Array(EVIDENCE_MESSAGE_MAX_BYTES);
  const address = new Uint8Array(33);
  const bytes = signedTxCodec.encode({
    tx: {
      chainId: 'x'.repeat(CHAIN_ID_MAX_BYTES),
      sender: address,
      nonce: U64_MAX,
      fee: U64_MAX,
      body: {
        kind: 'evidence',
        value: { evidence: { context: 'vertex', offender: address, first: { message, signature }, second: { message, signature } } },
      },
    },
    publicKey: { scheme: keyScheme, publicKey: new Uint8Array(schemeInfo(keyScheme).publicKeyBytes) },
    signature,
  });
  cached = bytes.length;
  return cached;
}
