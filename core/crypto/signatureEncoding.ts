/**
 * Self-describing wire encodings of signatures and public keys: one scheme tag byte, then the
 * scheme's own bytes.
 *
 * DESIGN.md §2 ("every signature names its scheme"); tags in `schemes.ts`. The encodings are
 * canonical: the length must fit the scheme exactly (a range for Falcon), so
 * `encode(decode(b))` equals `b` for every accepted `b` (HOUSE-RULES 11).
 *
 * Caveat: an encoding runs to the end of its input. Falcon signatures vary in length, so an
 * enclosing codec must length-prefix the field (the maximum is `SCHEMES[s].signatureMaxBytes + 1`).
 */
import { err, ok, type Result } from '../result.ts';
import { isSignatureLengthValid, schemeByTag, schemeInfo } from './schemes.ts';
import type { SchemeName, Signature } from './types.ts';

/** Why bytes were not a signature or public key: a value, since a peer may send anything. */
export type CryptoDecodeError =
  | { readonly code: 'EMPTY' }
  | { readonly code: 'UNKNOWN_SCHEME'; readonly tag: number }
  | {
      readonly code: 'BAD_LENGTH';
      readonly scheme: SchemeName;
      readonly minBytes: number;
      readonly maxBytes: number;
      readonly actualBytes: number;
    };

/** A public key together with its scheme, as it travels and as accounts store it. */
export type TaggedPublicKey = {
  readonly scheme: SchemeName;
  readonly publicKey: Uint8Array;
};

const TAG_BYTES = 1;

function tagged(tag: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(TAG_BYTES + body.length);
  out[0] = tag;
  out.set(body, TAG_BYTES);
  return out;
}

/** tag || signature bytes. A signature of the wrong length is the caller's bug: RangeError. */
export function encodeSignature(signature: Signature): Uint8Array {
  const info = schemeInfo(signature.scheme);
  if (!isSignatureLengthValid(signature.scheme, signature.bytes.length)) {
    throw new RangeError(`encodeSignature: ${signature.bytes.length}-byte signature is not a ${info.name} signature`);
  }
  return tagged(info.tag, signature.bytes);
}

/** tag || public key bytes. A key of the wrong length is the caller's bug: RangeError. */
export function encodePublicKey(key: TaggedPublicKey): Uint8Array {
  const info = schemeInfo(key.scheme);
  if (key.publicKey.length !== info.publicKeyBytes) {
    throw new RangeError(`encodePublicKey: ${key.publicKey.length}-byte key is not a ${info.name} public key`);
  }
  return tagged(info.tag, key.publicKey);
}

type Body = { readonly scheme: SchemeName; readonly body: Uint8Array };

function splitTagged(
  bytes: Uint8Array,
  lengthRange: (scheme: SchemeName) => readonly [number, number],
): Result<Body, CryptoDecodeError> {
  const tag = bytes[0];
  if (tag === undefined) return err({ code: 'EMPTY' });
  const info = schemeByTag(tag);
  if (info === undefined) return err({ code: 'UNKNOWN_SCHEME', tag });
  const [minBytes, maxBytes] = lengthRange(info.name);
  const actualBytes = bytes.length - TAG_BYTES;
  if (actualBytes < minBytes || actualBytes > maxBytes) {
    return err({ code: 'BAD_LENGTH', scheme: info.name, minBytes, maxBytes, actualBytes });
  }
  // A copy: the decoded value must not change when the caller reuses its receive buffer.
  return ok({ scheme: info.name, body: bytes.slice(TAG_BYTES) });
}

const signatureRange = (s: SchemeName) => [schemeInfo(s).signatureMinBytes, schemeInfo(s).signatureMaxBytes] as const;
const publicKeyRange = (s: SchemeName) => [schemeInfo(s).publicKeyBytes, schemeInfo(s).publicKeyBytes] as const;

/** Decodes tag || signature. Checks the tag and the length only: `verify` judges the rest. */
export function decodeSignature(bytes: Uint8Array): Result<Signature, CryptoDecodeError> {
  const r = splitTagged(bytes, signatureRange);
  if (!r.ok) return r;
  return ok(Object.freeze({ scheme: r.value.scheme, bytes: r.value.body }));
}

/** Decodes tag || public key. Checks the tag and the length only. */
export function decodePublicKey(bytes: Uint8Array): Result<TaggedPublicKey, CryptoDecodeError> {
  const r = splitTagged(bytes, publicKeyRange);
  if (!r.ok) return r;
  return ok(Object.freeze({ scheme: r.value.scheme, publicKey: r.value.body }));
}
