/**
 * BLAKE3 (core/crypto/hash.ts, @noble/hashes in pure JS) throughput for small, medium and large
 * inputs: 64 B (a Merkle node), 1 KiB (a transaction), 1 MiB (a batch or snapshot chunk).
 */
import { hash } from '../../core/crypto/hash.ts';
import { registerSuite } from '../_registry.ts';

const SIZES: ReadonlyArray<[string, number]> = [
  ['64 B', 64],
  ['1 KiB', 1024],
  ['1 MiB', 1024 * 1024],
];

registerSuite({
  name: 'hash',
  description: 'BLAKE3 throughput (pure JS)',
  async run(ctx) {
    for (const [label, size] of SIZES) {
      const name = `BLAKE3 ${label}`;
      if (!ctx.enabled(name)) continue;
      const input = new Uint8Array(size).map((_, i) => i & 0xff);
      const m = await ctx.measure(() => hash(input));
      ctx.figure({ name, value: (m.opsPerSecond * size) / 1e6, unit: 'MB/s', note: `${m.microsPerOp.toFixed(1)} µs per hash` });
    }
  },
});
