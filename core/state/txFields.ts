/**
 * Field codecs shared by transactions, accounts, evidence and genesis: addresses, amounts,
 * chain ids, tagged public keys and tagged signatures.
 *
 * docs/codec.md for the combinators; docs/crypto.md for the self-describing key and signature
 * encodings (`tag || bytes`), which are reused here unchanged inside a length prefix:
 *   publicKey = varint(len) || tag || key bytes      signature = varint(len) || tag || sig bytes
 * The prefix is needed because a tagged encoding runs to the end of its input (Falcon
 * signatures vary in length). A key or signature whose tag or length is wrong for its scheme
 * is INVALID_VALUE at decode, with the crypto layer's reason.
 *
 * Amounts are fixed-width u64 (8 bytes, big-endian), not varint64: a transaction is dominated
 * by its 2.4–17 KB signature, so the few bytes a varint would save do not matter, while a
 * fixed width has no non-minimal forms and keeps account leaves at fixed offsets.
 */
import { bytes, bytesFixed, parse, refine, u64, utf8, type Codec } from '../codec/index.ts';
import {
  ADDRESS_BYTES,
  ADDRESS_VERSION_0,
  type CryptoDecodeError,
  decodePublicKey,
  decodeSignature,
  encodePublicKey,
  encodeSignature,
  SCHEME_NAMES,
  schemeInfo,
  type Signature,
  type TaggedPublicKey,
} from '../crypto/index.ts';
import type { Address, Amount } from './types.ts';

/** A chain id is at most 32 UTF-8 bytes: short enough to ride in every signed message. */
export const CHAIN_ID_MAX_BYTES = 32;

/** The tag byte that precedes every key and signature (docs/crypto.md). */
const SCHEME_TAG_BYTES = 1;

/** Largest tagged public key of any scheme (ML-DSA-87: 2,592 + 1 bytes). */
export const TAGGED_PUBLIC_KEY_MAX_BYTES =
  SCHEME_TAG_BYTES + Math.max(...SCHEME_NAMES.map((s) => schemeInfo(s).publicKeyBytes));

/** Largest tagged signature of any scheme (SLH-DSA-SHA2-128f: 17,088 + 1 bytes). */
export const TAGGED_SIGNATURE_MAX_BYTES =
  SCHEME_TAG_BYTES + Math.max(...SCHEME_NAMES.map((s) => schemeInfo(s).signatureMaxBytes));

/** u64 amount of base units. */
export const amountCodec: Codec<Amount> = u64;

/** 33 raw bytes; only version-0 addresses exist, so any other first byte is refused. */
export const addressCodec: Codec<Address> = refine(bytesFixed(ADDRESS_BYTES), (a) =>
  a[0] === ADDRESS_VERSION_0 ? undefined : `unknown address version ${a[0] ?? -1}`,
);

/** Non-empty UTF-8, at most CHAIN_ID_MAX_BYTES bytes. */
export const chainIdCodec: Codec<string> = refine(utf8({ maxBytes: CHAIN_ID_MAX_BYTES }), (s) =>
  s.length === 0 ? 'chain id must not be empty' : undefined,
);

/** One line for a crypto decode error, used as the codec's INVALID_VALUE reason. */
export function describeCryptoDecodeError(what: string, e: CryptoDecodeError): string {
  switch (e.code) {
    case 'EMPTY':
      return `${what}: empty`;
    case 'UNKNOWN_SCHEME':
      return `${what}: unknown scheme tag ${e.tag}`;
    case 'BAD_LENGTH':
      return `${what}: ${e.actualBytes} bytes is not a ${e.scheme} ${what} (${e.minBytes}..${e.maxBytes})`;
  }
}

function taggedCodec<T>(
  what: string,
  maxBytes: number,
  decode: (b: Uint8Array) => { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CryptoDecodeError },
  encode: (value: T) => Uint8Array,
): Codec<T> {
  // Checked and converted in one call: every decoded transaction carries one of these.
  return parse(bytes({ maxBytes }), {
    fromWire: (b) => {
      const r = decode(b);
      return r.ok ? r : { ok: false, reason: describeCryptoDecodeError(what, r.error) };
    },
    toWire: encode,
  });
}

/** `varint(len) || tag || public key`. */
export const publicKeyCodec: Codec<TaggedPublicKey> = taggedCodec(
  'public key',
  TAGGED_PUBLIC_KEY_MAX_BYTES,
  decodePublicKey,
  encodePublicKey,
);

/** `varint(len) || tag || signature`. */
export const signatureCodec: Codec<Signature> = taggedCodec(
  'signature',
  TAGGED_SIGNATURE_MAX_BYTES,
  decodeSignature,
  encodeSignature,
);
