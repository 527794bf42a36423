/**
 * Deterministic commit bytes for the store tests: a length that varies with the index (so a
 * torn write cannot pass for a shorter entry) and content that names the index.
 */
import { blake3Hash } from '../../../core/crypto/index.ts';

export function commitBytes(index: bigint): Uint8Array {
  const seed = new TextEncoder().encode(`commit ${index}`);
  const length = 64 + Number(index % 1000n);
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 32) out.set(blake3Hash(Uint8Array.of(...seed, offset & 0xff)).subarray(0, Math.min(32, length - offset)), offset);
  return out;
}
