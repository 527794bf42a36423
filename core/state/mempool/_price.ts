/**
 * Fee per byte: the mempool's one price. Post-quantum signatures differ tenfold in size between
 * schemes (ML-DSA-44 2.4 KB, SLH-DSA 17 KB), and a block is bounded in bytes, so what a
 * transaction pays for is its space: fee / encoded size. Compared exactly by cross
 * multiplication in bigints (no division, no rounding).
 *
 * Ties are broken by id (hex of the id bytes, so the same order as the bytes): every node
 * holding the same transactions orders them the same way.
 */
export type Priced = {
  readonly fee: bigint;
  readonly sizeBytes: number;
  readonly idHex: string;
};

/** Negative when `a` pays less per byte than `b`, 0 when equal, positive when more. */
export function comparePrice(a: Priced, b: Priced): number {
  const left = a.fee * BigInt(b.sizeBytes);
  const right = b.fee * BigInt(a.sizeBytes);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Block order: dearer first, then the smaller id. */
export function selectsBefore(a: Priced, b: Priced): boolean {
  const c = comparePrice(a, b);
  return c > 0 || (c === 0 && a.idHex < b.idHex);
}

/** Eviction order: cheaper first, then the larger id (the exact reverse of block order). */
export function evictsBefore(a: Priced, b: Priced): boolean {
  const c = comparePrice(a, b);
  return c < 0 || (c === 0 && a.idHex > b.idHex);
}

/** The least fee for `sizeBytes` bytes that pays strictly more per byte than `than`. */
export function feeAbove(than: Priced, sizeBytes: number): bigint {
  return (than.fee * BigInt(sizeBytes)) / BigInt(than.sizeBytes) + 1n;
}

/** The least fee for `sizeBytes` bytes that pays at least `minFeePerByte` per byte. */
export function feeAtLeast(minFeePerByte: bigint, sizeBytes: number): bigint {
  return minFeePerByte * BigInt(sizeBytes);
}

/**
 * Whether `replacement` outbids `existing` for the same sender and nonce: strictly more per
 * byte, and at least `bumpPercent` percent more (so a slot cannot be re-bid for a fee of 1
 * forever, each round costing every node a signature verification).
 */
export function outbids(replacement: Priced, existing: Priced, bumpPercent: number): boolean {
  if (comparePrice(replacement, existing) <= 0) return false;
  const paid = replacement.fee * BigInt(existing.sizeBytes) * 100n;
  const needed = existing.fee * BigInt(replacement.sizeBytes) * BigInt(100 + bumpPercent);
  return paid >= needed;
}

/** The least fee for a replacement of `sizeBytes` bytes that outbids `existing`. */
export function replacementFee(existing: Priced, sizeBytes: number, bumpPercent: number): bigint {
  const size = BigInt(sizeBytes);
  const denominator = BigInt(existing.sizeBytes) * 100n;
  const numerator = existing.fee * size * BigInt(100 + bumpPercent);
  const bumped = (numerator + denominator - 1n) / denominator;
  const above = feeAbove(existing, sizeBytes);
  return bumped > above ? bumped : above;
}
