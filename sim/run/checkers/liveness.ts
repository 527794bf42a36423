/**
 * The liveness checker: once the last fault was applied, honest commits must keep advancing,
 * with no gap longer than `boundMs` (issue "Simulator": liveness once the network heals;
 * Mysticeti's simulator's NoProgress verdict). A new fault restarts the clock: whether a run
 * is live is judged from its last fault on, so a partition that heals later is no stall.
 * The bound is a multiple of the leader timeout (default 20 ×: 4 s with 200 ms), long enough
 * for catch-up after a heal and for a few timeouts with backoff.
 */
export type Stall = { readonly sinceMs: number; readonly boundMs: number };

export type LivenessChecker = {
  onFault(nowMs: number): void;
  /** A new highest honest commit index was reached. */
  onProgress(nowMs: number): void;
  /** The stall at `nowMs`, if commits have not advanced within the bound since the last fault or commit. */
  check(nowMs: number): Stall | undefined;
};

export function createLivenessChecker(boundMs: number): LivenessChecker {
  if (!(boundMs > 0)) throw new RangeError(`createLivenessChecker: boundMs must be > 0, got ${boundMs}`);
  let lastFaultMs = 0;
  let lastProgressMs = 0;
  return {
    onFault: (nowMs) => {
      lastFaultMs = nowMs;
    },
    onProgress: (nowMs) => {
      lastProgressMs = nowMs;
    },
    check: (nowMs) => {
      const sinceMs = Math.max(lastFaultMs, lastProgressMs);
      return nowMs - sinceMs > boundMs ? { sinceMs, boundMs } : undefined;
    },
  };
}
