/**
 * Deterministic key seeds from text labels, for the devnet genesis and the known-answer vectors.
 *
 * PUBLIC, WELL-KNOWN SEEDS: anyone can rebuild these keys. They exist so that the example genesis
 * (`genesis.example.json`), the test vectors and local devnets are reproducible; never fund a
 * real chain with them.
 *
 *   seed(label, n) = first n bytes of  D(label, 0x00) || D(label, 0x01)
 *   D(label, i)    = hashDomain('kaldrix/devnet-seed/v1', utf8(label), [i])   (BLAKE3 derive-key)
 *
 * Labels used: `devnet-validator-0..3`, `devnet-account-0..1` (genesis.example.json) and
 * `vector-<name>` (vectors/transactions.json).
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { hashDomain, schemeInfo, type KeyPair, type SchemeName, type SignatureBackend } from '../crypto/index.ts';

const SEED_DOMAIN = 'kaldrix/devnet-seed/v1';
/** Two BLAKE3 outputs: enough for the 48-byte SLH-DSA and Falcon seeds. */
const MAX_SEED_BYTES = 64;

export function seedFromLabel(label: string, seedBytes: number): Uint8Array {
  if (!Number.isInteger(seedBytes) || seedBytes < 1 || seedBytes > MAX_SEED_BYTES) {
    throw new RangeError(`seedFromLabel: seedBytes must be in [1, ${MAX_SEED_BYTES}]`);
  }
  const out = new Uint8Array(MAX_SEED_BYTES);
  const text = utf8ToBytes(label);
  out.set(hashDomain(SEED_DOMAIN, text, Uint8Array.of(0)), 0);
  out.set(hashDomain(SEED_DOMAIN, text, Uint8Array.of(1)), 32);
  return out.slice(0, seedBytes);
}

/** The key pair of `scheme` whose seed is `seedFromLabel(label)`. */
export function keyPairFromLabel(backend: SignatureBackend, scheme: SchemeName, label: string): KeyPair {
  return backend.keygen(scheme, seedFromLabel(label, schemeInfo(scheme).seedBytes));
}
