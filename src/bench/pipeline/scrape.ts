/**
 * Reads values out of Prometheus text exposition (what /metrics serves and
 * a prom-client registry renders): the sum of a metric's samples whose
 * labels include the given ones. Absent metrics read 0. Pure.
 */
export function sumSamples(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue; // another metric sharing the prefix
    const close = rest.indexOf('}');
    const labelText = rest[0] === '{' ? rest.slice(1, close) : '';
    if (!wanted.every((w) => labelText.split(',').includes(w))) continue;
    const value = Number(
      rest
        .slice(rest[0] === '{' ? close + 1 : 0)
        .trim()
        .split(' ')[0],
    );
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

export interface Usage {
  readonly cpuSeconds: number;
  /** main-thread garbage collection pauses so far (seconds; V8's concurrent marking threads not included) */
  readonly gcSeconds: number;
  readonly peakRssBytes: number;
  /** resident memory now */
  readonly rssBytes: number;
  readonly scored: number;
  /** Detectors pull jobs resumed, by where they were found (vigil_detectors_resumed_total). */
  readonly resumed: Resumed;
}

export interface Resumed {
  readonly memory: number;
  /** in memory, and fed first what another process fed it since */
  readonly caughtUp: number;
  readonly store: number;
  readonly new: number;
}

/** CPU seconds so far, peak and current RSS, push points scored and detectors resumed of one process, from its metrics text. */
export function usageOf(text: string): Usage {
  return {
    cpuSeconds: sumSamples(text, 'vigil_process_cpu_seconds_total'),
    gcSeconds: sumSamples(text, 'vigil_nodejs_gc_duration_seconds_sum'),
    peakRssBytes: sumSamples(text, 'vigil_process_max_resident_memory_bytes'),
    rssBytes: sumSamples(text, 'vigil_process_resident_memory_bytes'),
    scored: sumSamples(text, 'vigil_points_ingested_total', { source: 'push' }),
    resumed: {
      memory: sumSamples(text, 'vigil_detectors_resumed_total', { from: 'memory' }),
      caughtUp: sumSamples(text, 'vigil_detectors_resumed_total', { from: 'caught-up' }),
      store: sumSamples(text, 'vigil_detectors_resumed_total', { from: 'store' }),
      new: sumSamples(text, 'vigil_detectors_resumed_total', { from: 'new' }),
    },
  };
}
