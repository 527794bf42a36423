/**
 * A bounded cache of signatures already verified as valid (DESIGN.md §2: "a bounded cache
 * remembers what was already verified").
 *
 * Key: a 32-byte digest over the whole verification statement, every part framed as
 * `u32 big-endian length || bytes` in a fixed order: scheme name, context, public key,
 * message, signature. Length framing makes the statement → bytes map injective, so two
 * different statements can share a key only through a hash collision (2^128 work for a
 * 256-bit hash). The default digest is BLAKE3 in `derive_key` mode under the domain
 * `kaldrix/verify-cache/v1` (hash.ts on blake3.ts: about 50 µs for a 3.9 KB ML-DSA-44
 * statement here, against 200–1300 µs with @noble/hashes); a shell may inject another
 * collision-resistant 256-bit hash (the Node shell uses the runtime's native SHA-256, still
 * about 2–3× faster than BLAKE3 in pure JS, see bench/report.md).
 *
 * Only VALID results are cached. A forged signature can never become "valid" through the
 * cache: a hit requires the exact same (scheme, context, key, message, signature) bytes to
 * have verified before, and signature verification is deterministic. Negative results are not
 * cached because forgeries are free to mint: an attacker could flood the cache with junk and
 * evict the valid entries that save real work (the same choice as Bitcoin Core's signature
 * cache). Repeated junk is the peer-scoring layer's job, not this cache's.
 *
 * Eviction: least recently used, O(1) per operation (a JS Map keeps insertion order; a hit
 * re-inserts the key at the young end, eviction removes the oldest). Bound: `entries` keys of
 * 32 characters each, about 100 bytes per entry with the Map's overhead.
 */
import { createDomainHasher } from './hash.ts';
import type { VerifyItem } from './types.ts';

/** Domain of the default cache-key digest; bump the version if the framing ever changes. */
export const VERIFY_CACHE_DOMAIN = 'kaldrix/verify-cache/v1';

/** Default bound: 65,536 entries ≈ 6 MiB, a few certificates' worth of signers for many epochs. */
export const DEFAULT_VERIFY_CACHE_ENTRIES = 65_536;

/** An incremental 256-bit hash, already bound to its domain: BLAKE3 `derive_key`, or similar. */
export interface CacheKeyHasher {
  create(): { update(bytes: Uint8Array): unknown; digest(): Uint8Array };
}

/** A cache key: the 32 digest bytes as a 32-character string (one char per byte, cheap to map). */
export type VerifyCacheKey = string & { readonly __brand: 'VerifyCacheKey' };

export type VerifyCacheStats = {
  readonly entries: number;
  readonly capacity: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
};

export type VerifyCacheComponents = {
  /** Digest for keys. Default: BLAKE3 derive_key under `VERIFY_CACHE_DOMAIN`. */
  readonly hasher?: CacheKeyHasher;
};

export type VerifyCacheInit = {
  /** Most keys held at once; the least recently used goes first. Default 65,536. */
  readonly entries?: number;
};

export interface VerifyCache {
  /** The key of a verification statement (hashes all of its bytes: cost ∝ item size). */
  keyOf(item: VerifyItem): VerifyCacheKey;
  /** True when this exact statement verified as valid before; counts a hit or a miss. */
  isKnownValid(key: VerifyCacheKey): boolean;
  /** Records a statement that a backend verified as valid. Never call it for anything else. */
  rememberValid(key: VerifyCacheKey): void;
  stats(): VerifyCacheStats;
  clear(): void;
}

/** The default hasher: BLAKE3 `derive_key` whose context key is computed once. */
export function createBlake3CacheKeyHasher(): CacheKeyHasher {
  const prefix = createDomainHasher(VERIFY_CACHE_DOMAIN);
  return { create: () => prefix.clone() };
}

export function createVerifyCache(components: VerifyCacheComponents = {}, init: VerifyCacheInit = {}): VerifyCache {
  const capacity = init.entries ?? DEFAULT_VERIFY_CACHE_ENTRIES;
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('init.entries must be a positive integer');
  const hasher = components.hasher ?? createBlake3CacheKeyHasher();
  // Map<key, true> used as an ordered set: the first key in iteration order is the LRU one.
  const valid = new Map<VerifyCacheKey, true>();
  let hits = 0;
  let misses = 0;
  let evictions = 0;

  const keyOf = (item: VerifyItem): VerifyCacheKey => {
    const state = hasher.create();
    const lengthBytes = new Uint8Array(4);
    const view = new DataView(lengthBytes.buffer);
    const absorb = (part: Uint8Array): void => {
      view.setUint32(0, part.length, false);
      state.update(lengthBytes);
      state.update(part);
    };
    absorb(asciiBytes(item.scheme));
    absorb(item.context);
    absorb(item.publicKey);
    absorb(item.message);
    absorb(item.signature);
    return digestToKey(state.digest());
  };

  const isKnownValid = (key: VerifyCacheKey): boolean => {
    if (!valid.has(key)) {
      misses++;
      return false;
    }
    hits++;
    valid.delete(key);
    valid.set(key, true);
    return true;
  };

  const rememberValid = (key: VerifyCacheKey): void => {
    if (valid.has(key)) valid.delete(key);
    else if (valid.size >= capacity) evictOldest();
    valid.set(key, true);
  };

  const evictOldest = (): void => {
    const oldest = valid.keys().next();
    if (oldest.done === true) return;
    valid.delete(oldest.value);
    evictions++;
  };

  const stats = (): VerifyCacheStats =>
    Object.freeze({ entries: valid.size, capacity, hits, misses, evictions });

  return Object.freeze({ keyOf, isKnownValid, rememberValid, stats, clear: () => valid.clear() });
}

/** Scheme names are short ASCII literals; encoding them by hand keeps core free of TextEncoder. */
function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new TypeError('scheme name must be ASCII');
    out[i] = code;
  }
  return out;
}

function digestToKey(digest: Uint8Array): VerifyCacheKey {
  if (digest.length !== 32) throw new Error(`cache-key hasher returned ${digest.length} bytes, expected 32`);
  return String.fromCharCode(...digest) as VerifyCacheKey;
}
