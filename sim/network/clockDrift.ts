/**
 * Per-validator clock drift: maps virtual time to a validator's local clock and back.
 *
 * local(v) = v + offsetMs + (v − epochMs) · ratePpm / 10^6. Validators read `nowMs` from their
 * local clock and set timers in it, so the simulator converts a local deadline back with
 * `virtualAtMs` before scheduling. TigerBeetle's VOPR models drift the same way (offset plus a
 * rate); real NTP-disciplined clocks stay within tens of ms and ~100 ppm.
 * Caveat: the inverse is a float division; callers schedule at max(now, virtualAtMs(t)).
 */
export type ClockDrift = {
  readonly offsetMs: number;
  readonly ratePpm: number;
  /** The local clock reading at virtual time `virtualMs`. */
  localMs(virtualMs: number): number;
  /** The virtual time at which the local clock reads `localMs`. */
  virtualAtMs(localMs: number): number;
};

export type ClockDriftInit = {
  /** Constant offset of the local clock, ms (positive: ahead). Default 0. */
  readonly offsetMs?: number;
  /** Rate error in parts per million (positive: runs fast). Default 0. Must be > −10^6. */
  readonly ratePpm?: number;
  /** Virtual time at which the rate error starts to accumulate. Default 0. */
  readonly epochMs?: number;
};

export function createClockDrift(init: ClockDriftInit = {}): ClockDrift {
  const offsetMs = init.offsetMs ?? 0;
  const ratePpm = init.ratePpm ?? 0;
  const epochMs = init.epochMs ?? 0;
  if (!Number.isFinite(offsetMs) || !Number.isFinite(epochMs)) throw new RangeError('createClockDrift: offsetMs and epochMs must be finite');
  // A rate of −10^6 ppm would stop the clock; anything below would run it backwards.
  if (!Number.isFinite(ratePpm) || ratePpm <= -1e6) throw new RangeError(`createClockDrift: ratePpm must be > -1e6, got ${ratePpm}`);
  const rate = 1 + ratePpm / 1e6;
  return Object.freeze({
    offsetMs,
    ratePpm,
    localMs: (virtualMs: number) => epochMs + (virtualMs - epochMs) * rate + offsetMs,
    virtualAtMs: (localMs: number) => epochMs + (localMs - offsetMs - epochMs) / rate,
  });
}
