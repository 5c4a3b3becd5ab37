/**
 * wait-and-verify: waits the window through the injected sleep, then reads
 * the incident's series and judges each against its pre-onset expected
 * value and band, reporting the numbers.
 */
import type { Anomaly, Point } from '../../../src/domain/index.js';
import { ACTIONS } from '../../../src/remediate/actions/index.js';
import { ctx, incident, T0 } from '../helpers.js';

const a = ACTIONS['wait-and-verify'];
const anomaly = (metric: string, seriesKey: string, t = T0 + 1): Anomaly => ({
  seriesKey,
  service: 'checkout',
  metric,
  t,
  observed: 9,
  expected: 1,
  band: [0, 2],
  score: 0.8,
  kind: 'spike',
});
const HEADLINE = 'prom:checkout:http_5xx_rate';
const WAIT_START = T0 + 3_600_000;

/** A context whose clock moves by the slept time, with `points` stored for the headline series. */
function watching(points: Point[], anomalies: Anomaly[] = []) {
  let clock = WAIT_START;
  const reads: Array<{ key: string; from: number; to: number }> = [];
  const c = ctx({
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    store: {
      listAnomalies: async () => anomalies,
      getDeployment: async () => null,
      listPoints: async (key, r) => {
        reads.push({ key, ...r });
        return key === HEADLINE ? points.filter((p) => p.t >= r.from && p.t < r.to) : [];
      },
    },
  });
  return { c, reads };
}
const during = (values: number[]): Point[] => values.map((v, k) => ({ t: WAIT_START + (k + 1) * 60_000, v }));

describe('wait-and-verify', () => {
  it('recovered: the series read after the wait is back in its pre-onset band, with the numbers', async () => {
    const { c, reads } = watching(during([9, 6, 3, 1.2, 1.1, 0.9]));
    const r = await a.run(a.params.parse({ window: '10m' }), c);
    expect(reads).toEqual([{ key: HEADLINE, from: WAIT_START, to: WAIT_START + 600_001 }]);
    expect(r).toMatchObject({
      ok: true,
      data: {
        recovered: true,
        series: [{ seriesKey: HEADLINE, observed: 1, expected: 1, band: [0, 2], recovered: true }],
      },
    });
    expect(r.summary).toBe(
      'recovered after 10m: http_5xx_rate 1 (median of the last 2 points) vs expected 1 (band 0 to 2): recovered',
    );
  });

  it('not recovered: the series stays out of its band', async () => {
    const { c } = watching(during([12, 11.8, 12.1]));
    const r = await a.run(a.params.parse({ window: '5m' }), c);
    expect(r).toMatchObject({ ok: false, data: { recovered: false } });
    expect(r.summary).toBe(
      'not recovered after 5m: http_5xx_rate 12.1 (median of the last 1 points) vs expected 1 (band 0 to 2): not recovered',
    );
  });

  it('every series of the incident is judged against its own first anomaly; metric globs narrow them', async () => {
    const i = incident({ seriesKeys: [HEADLINE, 'prom:checkout:latency'] });
    const latency = {
      ...anomaly('latency_ms', 'prom:checkout:latency', T0 + 60_000),
      expected: 120,
      band: [100, 140] as const,
    };
    const { c } = watching(during([1]), [latency]);
    const r = await a.run(a.params.parse({ window: '5m' }), { ...c, incident: i });
    expect(r.summary).toContain(
      'latency_ms no points stored, 0 anomalies during the wait vs expected 120 (band 100 to 140): recovered',
    );
    const only = await a.run(a.params.parse({ window: '5m', metrics: ['latency*'] }), {
      ...watching([], [latency]).c,
      incident: i,
    });
    expect(only.data).toMatchObject({ series: [{ seriesKey: 'prom:checkout:latency' }] });
  });

  it('without stored points, an anomaly during the wait on a watched metric means not recovered', async () => {
    const { c } = watching([], [anomaly('http_5xx_rate', 'other-series', WAIT_START + 60_000)]);
    const r = await a.run(a.params.parse({ window: '5m', metrics: ['*5xx*'] }), c);
    expect(r).toMatchObject({ ok: false, summary: expect.stringContaining('1 new anomalies on other series') });
  });

  it('its default timeout covers the window', () => {
    expect(a.timeoutMs?.(a.params.parse({ window: '10m' }))).toBe(660_000);
  });
});
