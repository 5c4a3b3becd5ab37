import { seriesKey, type SeriesRef } from '../../src/domain/index.js';
import { compileServiceRules } from '../../src/sources/mapping.js';

function ref(metric: string, labels: Record<string, string>, service = 'default'): SeriesRef {
  return { key: seriesKey('prometheus', metric, labels), source: 'prometheus', metric, service, labels };
}

describe('service rules', () => {
  const map = compileServiceRules([
    { match: { job: 'node', instance: '(\\w+)-\\d+:9100' }, service: '$1' },
    { match: { AutoScalingGroupName: 'prod-(.+)-asg' }, service: '$1' },
    { match: { metric: 'http_.*' }, service: '{app}' },
  ]);

  it('takes the first rule whose patterns all match, with captured groups', () => {
    expect(map(ref('cpu', { job: 'node', instance: 'checkout-3:9100' })).service).toBe('checkout');
    expect(map(ref('CPUUtilization', { AutoScalingGroupName: 'prod-payments-asg' })).service).toBe('payments');
  });

  it('fills {label} from the series labels', () => {
    expect(map(ref('http_requests_total', { app: 'search' })).service).toBe('search');
  });

  it('anchors patterns and leaves unmatched series alone', () => {
    const r = ref('cpu', { job: 'node-exporter', instance: 'checkout-3:9100' }, 'kept');
    expect(map(r)).toBe(r);
  });

  it('keeps the series key: mapping changes the service only', () => {
    const r = ref('cpu', { job: 'node', instance: 'auth-1:9100' });
    expect(map(r).key).toBe(r.key);
  });

  it('rejects a bad pattern at start-up with the rule and key named', () => {
    expect(() => compileServiceRules([{ match: { job: '(' }, service: 'x' }])).toThrow(/serviceRules\[0\]\.match\.job/);
  });
});
