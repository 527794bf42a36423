/**
 * Frame-rate figures from requestAnimationFrame timestamps: frames per second over the whole
 * run and the distribution of frame times (the interval between consecutive frames), since a
 * view that averages 40 fps with a stall of 200 ms every second does not feel smooth.
 */

export type FrameSummary = {
  /** Intervals measured (frames after the first). */
  readonly frames: number;
  readonly seconds: number;
  readonly fps: number;
  readonly meanFrameMs: number;
  readonly p50FrameMs: number;
  readonly p95FrameMs: number;
  readonly maxFrameMs: number;
  /** Frames longer than LONG_FRAME_MS: the ones a person sees as a hitch. */
  readonly longFrames: number;
};

/** Three 60 Hz frames: a frame this long is a visible stutter. */
export const LONG_FRAME_MS = 50;

/** Nearest-rank percentile of ascending values (p in 0..100). */
export function percentile(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) throw new RangeError('percentile: no values');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`p: a percentage in 0..100 is needed, got ${p}`);
  const rank = Math.max(1, Math.ceil((p / 100) * ascending.length));
  return ascending[rank - 1] as number;
}

/** Summarizes ascending frame timestamps (ms); at least two are needed for one interval. */
export function summarizeFrames(timestampsMs: readonly number[]): FrameSummary {
  if (timestampsMs.length < 2) throw new RangeError(`timestampsMs: two or more frames are needed, got ${timestampsMs.length}`);
  const intervals: number[] = [];
  for (let i = 1; i < timestampsMs.length; i++) {
    const interval = (timestampsMs[i] as number) - (timestampsMs[i - 1] as number);
    if (!(interval >= 0)) throw new RangeError(`timestampsMs: not ascending at index ${i}`);
    intervals.push(interval);
  }
  const totalMs = (timestampsMs[timestampsMs.length - 1] as number) - (timestampsMs[0] as number);
  const ascending = [...intervals].sort((a, b) => a - b);
  return Object.freeze({
    frames: intervals.length,
    seconds: totalMs / 1000,
    fps: totalMs > 0 ? (intervals.length * 1000) / totalMs : 0,
    meanFrameMs: totalMs / intervals.length,
    p50FrameMs: percentile(ascending, 50),
    p95FrameMs: percentile(ascending, 95),
    maxFrameMs: ascending[ascending.length - 1] as number,
    longFrames: intervals.filter((ms) => ms > LONG_FRAME_MS).length,
  });
}
