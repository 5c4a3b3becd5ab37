import { badDirection, isImprovement } from '../../src/domain/index.js';

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
});
