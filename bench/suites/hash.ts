/**
 * BLAKE3 throughput for small, medium and large inputs: 64 B (a Merkle node), 1 KiB (a
 * transaction), 1 MiB (a batch or snapshot chunk). The project's BLAKE3 (core/crypto/hash.ts on
 * core/crypto/blake3.ts) and `@noble/hashes`' run interleaved on the same input, so the ratio
 * (the speed-up of the hand-written one) shares one machine load and anyone can reproduce it
 * with `npm run bench -- --filter blake3`. Both are checked to agree before they are timed.
 */
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { bytesEqual, hash } from '../../core/crypto/hash.ts';
import { registerSuite } from '../_registry.ts';

const SIZES: ReadonlyArray<[string, number]> = [
  ['64 B', 64],
  ['1 KiB', 1024],
  ['1 MiB', 1024 * 1024],
];
const REFERENCE = '@noble/hashes';

registerSuite({
  name: 'hash',
  description: `BLAKE3 throughput (pure JS): the project's and ${REFERENCE}', side by side`,
  async run(ctx) {
    for (const [label, size] of SIZES) {
      const name = `BLAKE3 ${label}`;
      const referenceName = `${name} (${REFERENCE})`;
      if (!ctx.enabled(name) && !ctx.enabled(referenceName)) continue;
      const input = new Uint8Array(size).map((_, i) => i & 0xff);
      if (!bytesEqual(hash(input), nobleBlake3(input))) throw new Error(`BLAKE3 ${label}: the project's digest differs from ${REFERENCE}'s`);
      const [own, reference] = await ctx.measureInterleaved([() => hash(input), () => nobleBlake3(input)]);
      if (own === undefined || reference === undefined) throw new Error('measureInterleaved returned fewer measurements than operations');
      const megabytesPerSecond = (opsPerSecond: number): number => (opsPerSecond * size) / 1e6;
      ctx.figure({
        name,
        value: megabytesPerSecond(own.opsPerSecond),
        unit: 'MB/s',
        ratio: { value: own.opsPerSecond / reference.opsPerSecond, to: REFERENCE },
        note: `${own.microsPerOp.toFixed(1)} µs per hash (core/crypto/blake3.ts)`,
      });
      ctx.figure({
        name: referenceName,
        value: megabytesPerSecond(reference.opsPerSecond),
        unit: 'MB/s',
        note: `${reference.microsPerOp.toFixed(1)} µs per hash`,
      });
    }
  },
});
