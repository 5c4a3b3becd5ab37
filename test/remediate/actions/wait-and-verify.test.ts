/** wait-and-verify: waits the window through the injected sleep, then judges recovery from stored anomalies. */
import type { Anomaly } from '../../../src/domain/index.js';
import { ACTIONS } from '../../../src/remediate/actions/index.js';
import { ctx, T0 } from '../helpers.js';

const a = ACTIONS['wait-and-verify'];
const anomaly = (metric: string, seriesKey: string): Anomaly => ({ seriesKey, service: 'checkout', metric, t: T0 + 1, observed: 9, expected: 1, band: [0, 2], score: 0.8, kind: 'spike' });

describe('wait-and-verify', () => {
  it('waits the window, then reports recovered when no anomaly arrived on the incident series', async () => {
    const waited: number[] = [];
    const queries: unknown[] = [];
    const c = ctx({
      sleep: async (ms) => { waited.push(ms); },
      store: { listAnomalies: async (q) => { queries.push(q); return [anomaly('cpu', 'other-series')]; }, getDeployment: async () => null },
    });
    const r = await a.run(a.params.parse({ window: '10m' }), c);
    expect(waited).toEqual([600_000]);
    expect(queries).toEqual([{ services: ['checkout'], since: T0 }]);
    expect(r).toMatchObject({ ok: true, data: { recovered: true } });
  });

  it('not recovered when an anomaly matches the metric globs', async () => {
    const r = await a.run(a.params.parse({ window: '5m', metrics: ['*5xx*'] }), ctx({}, [anomaly('http_5xx_rate', 'x')]));
    expect(r).toMatchObject({ ok: false, data: { recovered: false, anomalies: 1 }, summary: expect.stringContaining('not recovered') });
  });

  it('its default timeout covers the window', () => {
    expect(a.timeoutMs?.(a.params.parse({ window: '10m' }))).toBe(660_000);
  });
});
