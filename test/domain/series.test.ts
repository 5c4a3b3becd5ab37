import { metricOfKey, seriesKey } from '../../src/domain/index.js';

describe('seriesKey', () => {
  it('does not depend on label order', () => {
    expect(seriesKey('sim', 'cpu', { b: '2', a: '1' })).toBe(seriesKey('sim', 'cpu', { a: '1', b: '2' }));
  });
  it('keeps values with separators apart', () => {
    expect(seriesKey('sim', 'cpu', { a: '1,b=2' })).not.toBe(seriesKey('sim', 'cpu', { a: '1', b: '2' }));
  });
});

describe('metricOfKey', () => {
  test('reads back the metric a key was built from, label values and colons in the metric name included', () => {
    expect(metricOfKey(seriesKey('sim', 'latency_p95_ms', { service: 'timeout-svc' }))).toBe('latency_p95_ms');
    expect(metricOfKey(seriesKey('prom', 'job:http_errors:rate5m', { job: 'a{b}' }))).toBe('job:http_errors:rate5m');
    expect(metricOfKey(seriesKey('cw', 'CPUUtilization', {}))).toBe('CPUUtilization');
  });
});
