import { badDirection, fillDirection, isAccumulating, isImprovement } from '../../src/domain/index.js';

describe('metric direction', () => {
  it('reads the bad direction from common metric names', () => {
    expect(badDirection('http_request_duration_seconds')).toBe('up');
    expect(badDirection('memory_mb')).toBe('up');
    expect(badDirection('requests_per_second')).toBe('down');
    expect(badDirection('temperature')).toBe('both');
  });

  it('calls a bad-when-high metric falling an improvement, and nothing else', () => {
    expect(isImprovement({ metric: 'memory_mb', observed: 400, expected: 900 })).toBe(true);
    expect(isImprovement({ metric: 'memory_mb', observed: 1400, expected: 900 })).toBe(false);
    expect(isImprovement({ metric: 'requests_per_second', observed: 10, expected: 90 })).toBe(false);
    expect(isImprovement({ metric: 'requests_per_second', observed: 900, expected: 90 })).toBe(false);
    expect(isImprovement({ metric: 'temperature', observed: 1, expected: 50 })).toBe(false);
  });

  it('knows resource levels, and that disk I/O rates are not levels', () => {
    for (const m of [
      'memory_pct',
      'jvm_heap_used_bytes',
      'connections',
      'queue_depth',
      'disk_used_pct',
      'node_filesystem_avail_bytes',
      'open_files',
    ])
      expect(isAccumulating(m)).toBe(true);
    for (const m of ['ec2_disk_write_bytes', 'latency_p95_ms', 'cpu_pct', 'requests', 'error_rate'])
      expect(isAccumulating(m)).toBe(false);
  });

  it('says which way a resource fills: use rises, headroom falls', () => {
    expect(fillDirection('memory_pct')).toBe(1);
    expect(fillDirection('connections')).toBe(1);
    expect(fillDirection('node_memory_MemAvailable_bytes')).toBe(-1);
    expect(fillDirection('disk_free_pct')).toBe(-1);
  });
});
