/**
 * Virtual CPU time charged for signature operations, in both crypto modes, so a run's timing
 * does not depend on whether signatures were real or modeled.
 *
 * Source: bench/report.json, suite "signatures" (this machine, 2 cores): ML-DSA-44
 * deterministic sign 4,662 µs/op (noble; liboqs signs with noble too), verify 166 µs/op
 * (liboqs, the backend the verify pool uses). A shell with other hardware overrides them.
 * The cost is charged per validator as a busy CPU: a validator verifying 99 vertices of a
 * round is busy 99 × 0.166 ms, and its next signature waits behind that.
 */
export type CryptoCosts = {
  /** Virtual ms per signature made. */
  readonly signMs: number;
  /** Virtual ms per signature verified (a verify pool's cache hit is still charged: each real node verifies for itself). */
  readonly verifyMs: number;
};

export const MEASURED_CRYPTO_COSTS: CryptoCosts = Object.freeze({ signMs: 4.662, verifyMs: 0.166 });

export function cryptoCostsOf(overrides: Partial<CryptoCosts> = {}): CryptoCosts {
  const costs = { ...MEASURED_CRYPTO_COSTS, ...overrides };
  for (const [name, value] of Object.entries(costs)) {
    if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`cryptoCosts.${name} must be a finite number >= 0, got ${value}`);
  }
  return Object.freeze(costs);
}
