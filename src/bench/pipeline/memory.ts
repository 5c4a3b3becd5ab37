/**
 * The memory plateau of a run, per process: resident memory once per
 * simulated minute (read at the first sample that counted that minute's
 * points scored) and a summary of that trace: RSS at 25/50/75/100% of the
 * run, and the growth over its second half (least-squares slope, MiB per
 * hour of data). A bounded process levels off: its growth tends to 0. Pure.
 */

export interface MemorySample {
  /** points scored so far in the measured phase */
  readonly scored: number;
  /** resident memory of every process at this sample, in the harness's process order */
  readonly rssBytes: readonly number[];
}

export interface MemoryPlateau {
  /** RSS in bytes at 25, 50, 75 and 100% of the traced minutes; null with no minute traced */
  readonly rssAtBytes: readonly [number, number, number, number] | null;
  /** least-squares slope of RSS over the second half of the trace, in MiB per hour of data; null under 2 samples */
  readonly growthMiBPerHour: number | null;
}

/**
 * Per process, one RSS per minute m (1..minutes): that of the first sample
 * with at least m x perMinute points scored. Minutes never seen scored end
 * the trace early.
 */
export function minuteTraces(
  samples: readonly MemorySample[],
  perMinute: number,
  minutes: number,
  processes: number,
): number[][] {
  const traces: number[][] = Array.from({ length: processes }, () => []);
  let m = 1;
  for (const s of samples) {
    while (m <= minutes && s.scored >= m * perMinute) {
      traces.forEach((t, i) => t.push(s.rssBytes[i] ?? 0));
      m++;
    }
  }
  return traces;
}

/** The summary of one process's trace of RSS samples taken every `minutesPerSample` minutes of data. */
export function plateauOf(trace: readonly number[], minutesPerSample = 1): MemoryPlateau {
  const n = trace.length;
  const at = (p: number) => trace[Math.max(0, Math.ceil(p * n) - 1)]!;
  const half = trace.slice(Math.floor(n / 2));
  const slope = slopePerSample(half);
  return {
    rssAtBytes: n === 0 ? null : [at(0.25), at(0.5), at(0.75), at(1)],
    growthMiBPerHour: slope === null ? null : (slope / minutesPerSample / 1048576) * 60,
  };
}

/** Least-squares slope of ys against their index; null under two values. */
function slopePerSample(ys: readonly number[]): number | null {
  const n = ys.length;
  if (n < 2) return null;
  const meanX = (n - 1) / 2;
  const meanY = ys.reduce((a, y) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  });
  return sxy / sxx;
}
