/**
 * BLAKE3 helpers: plain digests, domain-separated digests, byte comparison and hex.
 *
 * DESIGN.md §2 Cryptography: BLAKE3 names every object (ids, Merkle trees, the state root).
 *
 * Domain separation uses BLAKE3's own `derive_key` mode (BLAKE3 paper §5.3, "key derivation"):
 * the domain string is the context, and the parts are the key material, each framed as
 * `u32 big-endian length || bytes`. Why this construction:
 * - `derive_key` sets its own mode flags, so a domain digest can never equal a plain `hash(x)`
 *   of any `x` nor a digest under another domain (the context key differs).
 * - length-prefixing every part makes the parts list injective: `("ab","c")` and `("a","bc")`
 *   frame to different material.
 * Caveat: domain strings must be hard-coded constants, one per object kind and version
 * (`kaldrix/tx-id/v1`), exactly as BLAKE3 asks of `derive_key` contexts.
 *
 * The BLAKE3 itself is blake3.ts (hand-written, allocation-light, cross-checked against the
 * official test vectors and @noble/hashes); the digests are the standard BLAKE3 ones.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { equalBytes } from '@noble/ciphers/utils.js';
import { err, ok, type Result } from '../result.ts';
import { blake3Hash, createBlake3, deriveContextKey, type Blake3Hasher } from './blake3.ts';

/** Length of every BLAKE3 digest KALDRIX stores: 256 bits, 128-bit collision resistance. */
export const HASH32_BYTES = 32;

/** A 32-byte BLAKE3 digest. A plain alias: decoders check the length with `isHash32`. */
export type Hash32 = Uint8Array;

/** Largest part `hashDomain` frames: its length must fit the u32 prefix. */
const MAX_PART_BYTES = 0xffff_ffff;

export function isHash32(value: unknown): value is Hash32 {
  return value instanceof Uint8Array && value.length === HASH32_BYTES;
}

/** Plain BLAKE3-256 of `bytes` (no domain): for ids the design defines as "BLAKE3 of the encoding". */
export function hash(bytes: Uint8Array): Hash32 {
  return blake3Hash(bytes);
}

/**
 * BLAKE3-256 in `derive_key` mode with context `domain` over the length-prefixed `parts`.
 * Digests of different domains, or of different part lists, never collide (short of breaking
 * BLAKE3). Recomputes the context key each call; hot paths use `createDomainHash`.
 */
export function hashDomain(domain: string, ...parts: readonly Uint8Array[]): Hash32 {
  return createDomainHash(domain)(...parts);
}

/**
 * `hashDomain` with the context key computed once: returns a function equal to
 * `(...parts) => hashDomain(domain, ...parts)` that saves one compression per call. The parts
 * stream into one reused hasher (reset per call), so nothing is concatenated or allocated but
 * the digest.
 */
export function createDomainHash(domain: string): (...parts: readonly Uint8Array[]) => Hash32 {
  const hasher = createDomainHasher(domain);
  const lengthBytes = new Uint8Array(4);
  return (...parts) => {
    hasher.reset();
    for (const part of parts) {
      if (!(part instanceof Uint8Array)) throw new TypeError('hashDomain: every part must be a Uint8Array');
      if (part.length > MAX_PART_BYTES) throw new RangeError('hashDomain: part longer than 2^32-1 bytes');
      const length = part.length;
      // u32 big-endian length prefix.
      lengthBytes[0] = length >>> 24; lengthBytes[1] = length >>> 16; lengthBytes[2] = length >>> 8; lengthBytes[3] = length;
      hasher.update(lengthBytes).update(part);
    }
    return hasher.digest();
  };
}

/**
 * A BLAKE3 `derive_key` hasher for `domain` with nothing absorbed yet; callers `clone()` it per
 * message. For fixed-layout inputs (a Merkle node is always two 32-byte halves) that need no
 * length framing. The returned object must not be updated directly: clone it.
 */
export function createDomainHasher(domain: string): Blake3Hasher {
  if (typeof domain !== 'string' || domain.length === 0) throw new TypeError('domain must be a non-empty string');
  return createBlake3({ contextKey: deriveContextKey(domain) });
}

/**
 * Byte equality whose running time depends only on the lengths, not on where the inputs differ
 * (for comparing MACs, tags and secrets). Differing lengths return false at once.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return equalBytes(a, b);
}

/** Bytewise (lexicographic) order: negative, zero or positive as `a` sorts before, equal to or after `b`. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

export type HexError = { readonly code: 'BAD_HEX'; readonly reason: string };

/**
 * Parses lowercase or uppercase hex without a `0x` prefix. Bad input (odd length, a non-hex
 * character, a non-string) is an error value, never an exception.
 */
export function parseHex(text: unknown): Result<Uint8Array, HexError> {
  if (typeof text !== 'string') return err({ code: 'BAD_HEX', reason: 'not a string' });
  if (text.length % 2 !== 0) return err({ code: 'BAD_HEX', reason: 'odd length' });
  if (!/^[0-9a-fA-F]*$/.test(text)) return err({ code: 'BAD_HEX', reason: 'non-hex character' });
  return ok(hexToBytes(text));
}
