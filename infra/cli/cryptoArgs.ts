/**
 * Command-line values that feed the signature layer: scheme names, FIPS 204 contexts, and
 * public keys / signatures given as raw or tag-prefixed hex.
 *
 * Raw or tagged: a value is read as tag-prefixed (signatureEncoding.ts) when its first byte is
 * the tag of `--scheme` and the rest has the scheme's length; otherwise as raw bytes of the
 * scheme's length. For fixed-length schemes the two lengths differ by one, so nothing is
 * ambiguous; for Falcon's variable-length signatures the first byte decides (a raw Falcon-512
 * signature starts with its header byte 0x39, never the tag 0x05). A value tagged for another
 * scheme is rejected, never reinterpreted.
 */
import { ok, type Result } from '../../core/result.ts';
import { CONTEXT_MAX_BYTES, CONTEXTS } from '../../core/crypto/contexts.ts';
import { parseSchemeName, SCHEME_NAMES, schemeByTag, schemeInfo } from '../../core/crypto/schemes.ts';
import type { SchemeName } from '../../core/crypto/types.ts';
import { failure, quoteInput, type CliFailure } from './failure.ts';
import { parseHexFlag } from './hexArg.ts';

/** The context `kaldrix sign` and `verify` use unless told otherwise. */
export const DEFAULT_CONTEXT_TEXT: string = CONTEXTS.message;

export function parseSchemeFlag(text: string): Result<SchemeName, CliFailure> {
  const scheme = parseSchemeName(text);
  if (scheme === undefined) return failure(`unknown scheme ${quoteInput(text)}`, `use one of ${SCHEME_NAMES.join(', ')}`);
  return ok(scheme);
}

/** The UTF-8 bytes of `--context`, at most 255 of them (FIPS 204 §5.2). */
export function parseContextFlag(text: string): Result<Uint8Array, CliFailure> {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > CONTEXT_MAX_BYTES) {
    return failure(`--context is ${bytes.length} bytes`, `FIPS 204 allows at most ${CONTEXT_MAX_BYTES} bytes of context`);
  }
  return ok(bytes);
}

type ValueKind = { readonly flag: string; readonly noun: string; readonly minBytes: number; readonly maxBytes: number };

function publicKeyKind(scheme: SchemeName): ValueKind {
  const { publicKeyBytes } = schemeInfo(scheme);
  return { flag: 'public-key', noun: 'public key', minBytes: publicKeyBytes, maxBytes: publicKeyBytes };
}

function signatureKind(scheme: SchemeName): ValueKind {
  const { signatureMinBytes, signatureMaxBytes } = schemeInfo(scheme);
  return { flag: 'signature', noun: 'signature', minBytes: signatureMinBytes, maxBytes: signatureMaxBytes };
}

/** The raw public key bytes of `--public-key` for `scheme`. */
export function parsePublicKeyFlag(scheme: SchemeName, text: string): Result<Uint8Array, CliFailure> {
  return parseTaggedOrRaw(scheme, text, publicKeyKind(scheme));
}

/** The raw signature bytes of `--signature` for `scheme`. */
export function parseSignatureFlag(scheme: SchemeName, text: string): Result<Uint8Array, CliFailure> {
  return parseTaggedOrRaw(scheme, text, signatureKind(scheme));
}

function parseTaggedOrRaw(scheme: SchemeName, text: string, kind: ValueKind): Result<Uint8Array, CliFailure> {
  const decoded = parseHexFlag(kind.flag, text);
  if (!decoded.ok) return decoded;
  const bytes = decoded.value;
  const { tag } = schemeInfo(scheme);
  const fits = (n: number): boolean => n >= kind.minBytes && n <= kind.maxBytes;
  if (bytes[0] === tag && fits(bytes.length - 1)) return ok(bytes.slice(1));
  if (fits(bytes.length)) return ok(bytes);
  return failure(...explainMismatch(scheme, bytes, kind));
}

/** Why bytes are neither a raw nor a tagged value of `scheme`: another scheme's tag, or length. */
function explainMismatch(scheme: SchemeName, bytes: Uint8Array, kind: ValueKind): [string, string] {
  const other = bytes[0] === undefined ? undefined : schemeByTag(bytes[0]);
  if (other !== undefined && other.name !== scheme) {
    const otherKind = kind.flag === 'public-key' ? publicKeyKind(other.name) : signatureKind(other.name);
    const n = bytes.length - 1;
    if (n >= otherKind.minBytes && n <= otherKind.maxBytes) {
      return [`--${kind.flag} carries the ${other.name} tag but --scheme is ${scheme}`, 'pass the matching --scheme'];
    }
  }
  const expected = kind.minBytes === kind.maxBytes ? `${kind.minBytes}` : `${kind.minBytes} to ${kind.maxBytes}`;
  return [
    `--${kind.flag} is ${bytes.length} bytes, not a ${scheme} ${kind.noun}`,
    `expected ${expected} bytes, or one more with the tag byte 0x${schemeInfo(scheme).tag.toString(16).padStart(2, '0')}`,
  ];
}
