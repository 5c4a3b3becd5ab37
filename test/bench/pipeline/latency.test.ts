/** The pure parts of the pipeline benchmark: percentiles, first-in-first-out matching, reading metrics text. */
import { fifoLatencies, percentile, summarise } from '../../../src/bench/pipeline/latency.js';
import { sumSamples, usageOf } from '../../../src/bench/pipeline/scrape.js';

describe('pipeline benchmark latency', () => {
  it('nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 0.5), percentile(sorted, 0.99), percentile(sorted, 1)]).toEqual([50, 99, 100]);
    expect(percentile(new Float64Array(0), 0.5)).toBeNull();
    expect(summarise([3, 1, 2])).toEqual({ samples: 3, p50Ms: 2, p99Ms: 3, maxMs: 3 });
  });

  it('matches the k-th point accepted with the first sample counting k scored', () => {
    const arrivals = [
      { at: 1000, n: 2 },
      { at: 1100, n: 2 },
    ];
    const samples = [
      { at: 1050, scored: 1 },
      { at: 1150, scored: 3 },
      { at: 1300, scored: 4 },
    ];
    expect(Array.from(fifoLatencies(arrivals, samples))).toEqual([50, 150, 50, 200]);
    // Points never seen scored get no value; a sample read before an arrival counts as 0.
    expect(Array.from(fifoLatencies([{ at: 2000, n: 3 }], [{ at: 1990, scored: 2 }]))).toEqual([0, 0]);
  });
});

describe('pipeline benchmark metrics text', () => {
  const text = [
    '# HELP vigil_points_ingested_total Points scored, by source',
    'vigil_points_ingested_total{source="push"} 40',
    'vigil_points_ingested_total{source="simulator"} 7',
    'vigil_points_ingested_total_extra{source="push"} 99',
    'vigil_process_cpu_seconds_total 1.5',
    'vigil_process_max_resident_memory_bytes 1048576',
    'vigil_process_resident_memory_bytes 524288',
    'vigil_detectors_resumed_total{from="memory"} 30',
    'vigil_detectors_resumed_total{from="caught-up"} 5',
    'vigil_detectors_resumed_total{from="store"} 6',
    'vigil_detectors_resumed_total{from="new"} 4',
    'vigil_nodejs_gc_duration_seconds_bucket{le="0.1",kind="minor"} 9',
    'vigil_nodejs_gc_duration_seconds_sum{kind="minor"} 0.5',
    'vigil_nodejs_gc_duration_seconds_count{kind="minor"} 9',
    'vigil_nodejs_gc_duration_seconds_sum{kind="major"} 0.25',
  ].join('\n');
  it('sums the samples of one metric whose labels match', () => {
    expect(sumSamples(text, 'vigil_points_ingested_total')).toBe(47);
    expect(sumSamples(text, 'vigil_points_ingested_total', { source: 'push' })).toBe(40);
    expect(sumSamples(text, 'vigil_absent')).toBe(0);
    expect(usageOf(text)).toEqual({
      cpuSeconds: 1.5,
      gcSeconds: 0.75,
      peakRssBytes: 1048576,
      rssBytes: 524288,
      scored: 40,
      resumed: { memory: 30, caughtUp: 5, store: 6, new: 4 },
    });
  });
});
