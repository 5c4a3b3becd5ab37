import { VigilError } from '../../../src/domain/index.js';
import { SIM_METRICS, createSimulator, createSimulatorFromQuery } from '../../../src/sources/simulator/index.js';
import { DAY, HOUR, START, fetchAll, sim } from './helpers.js';

describe('simulator source', () => {
  it('offers one JSON-serialisable query per service, with the spec in its params', async () => {
    const s = sim({ services: 6 });
    const queries = await s.queries();
    expect(queries.map((q) => q.params.service)).toEqual([
      'checkout',
      'payments',
      'search',
      'auth',
      'inventory',
      'gateway',
      'database',
    ]);
    expect(JSON.parse(JSON.stringify(queries))).toEqual(queries);
    expect(queries[0]?.params).toEqual({
      seed: 7,
      start: START,
      stepMs: 60_000,
      services: 6,
      durationMs: DAY,
      service: 'checkout',
    });
    expect(s.id).toBe('simulator');
    expect(s.stepMs).toBe(60_000);
  });

  it('returns the five metrics per service with keys from seriesKey and labels {service}', async () => {
    const s = sim();
    const [q] = await s.queries();
    const series = await s.fetch(q!, { from: START, to: START + HOUR });
    expect(series.map((x) => x.ref.metric)).toEqual([...SIM_METRICS]);
    expect(series[0]?.ref).toEqual({
      key: 'simulator:request_rate{service="checkout"}',
      source: 'simulator',
      metric: 'request_rate',
      service: 'checkout',
      labels: { service: 'checkout' },
    });
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const a = await fetchAll(sim({ seed: 1 }), START, START + DAY);
    const b = await fetchAll(sim({ seed: 1 }), START, START + DAY);
    const c = await fetchAll(sim({ seed: 2 }), START, START + DAY);
    // Compared as JSON: deep equality over ~30k points is needlessly slow in jest.
    expect(JSON.stringify([...a])).toBe(JSON.stringify([...b]));
    expect(a.get('checkout/latency_p95_ms')?.points).not.toEqual(c.get('checkout/latency_p95_ms')?.points);
    expect(sim({ seed: 1 }).scenario()).toEqual(sim({ seed: 1 }).scenario());
    expect(sim({ seed: 1 }).scenario().incidents).not.toEqual(sim({ seed: 2 }).scenario().incidents);
  });

  it('is additive over ranges, split on or off the sample grid', async () => {
    const s = sim();
    const [q] = await s.queries();
    const whole = await s.fetch(q!, { from: START + 5 * HOUR, to: START + 9 * HOUR });
    for (const cut of [START + 7 * HOUR, START + 7 * HOUR + 12_345]) {
      const left = await s.fetch(q!, { from: START + 5 * HOUR, to: cut });
      const right = await s.fetch(q!, { from: cut, to: START + 9 * HOUR });
      expect(left.map((x, i) => [...x.points, ...(right[i]?.points ?? [])])).toEqual(whole.map((x) => x.points));
    }
  });

  it('serves a query from another instance (a worker with only the query) identically', async () => {
    const s = sim({ seed: 99, services: 3 });
    const [, q] = await s.queries();
    const range = { from: START + 3 * HOUR, to: START + 6 * HOUR };
    expect(await createSimulatorFromQuery(q!).fetch(q!, range)).toEqual(await s.fetch(q!, range));
    expect(await sim({ seed: 5 }).fetch(q!, range)).toEqual(await s.fetch(q!, range));
  });

  it('keeps points on the grid, ascending, inside [from, to), never before start, with sane values', async () => {
    const s = sim();
    const all = await fetchAll(s, START - HOUR, START + DAY + 30_000);
    const bad: string[] = [];
    for (const [name, series] of all) {
      let prev = -Infinity;
      for (const p of series.points) {
        const ok =
          p.t > prev &&
          (p.t - START) % 60_000 === 0 &&
          p.t >= START &&
          p.t < START + DAY + 30_000 &&
          Number.isFinite(p.v) &&
          p.v >= 0 &&
          !(name.endsWith('/error_rate') && p.v > 1) &&
          !(name.endsWith('/cpu_pct') && p.v > 100);
        if (!ok) bad.push(`${name} ${p.t} ${p.v}`);
        prev = p.t;
      }
    }
    expect(bad).toEqual([]);
    expect(all.size).toBe(25); // 4 services and the shared database, 5 metrics each
  });

  it('has occasional gaps: a few missing samples, not many', async () => {
    const all = await fetchAll(sim({ durationMs: 2 * DAY }), START, START + 2 * DAY);
    const expected = (2 * DAY) / 60_000;
    const missing = [...all.values()].map((s) => expected - s.points.length);
    const total = missing.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(total / (expected * all.size)).toBeLessThan(0.02);
  });

  it('rejects bad options and queries with coded errors', async () => {
    expect(() => createSimulator({ seed: 1, start: START, services: 0 })).toThrow(
      expect.objectContaining({ code: 'E_SIM_OPTIONS' }),
    );
    expect(() => createSimulator({ seed: 1.5, start: START })).toThrow(VigilError);
    const s = sim();
    const [q] = await s.queries();
    await expect(s.fetch({ ...q!, sourceId: 'replay' }, { from: START, to: START + HOUR })).rejects.toMatchObject({
      code: 'E_SIM_QUERY',
    });
    await expect(
      s.fetch({ ...q!, params: { ...q!.params, service: 'nope' } }, { from: START, to: START + HOUR }),
    ).rejects.toMatchObject({ code: 'E_SIM_QUERY' });
    await expect(s.fetch(q!, { from: START, to: Infinity })).rejects.toMatchObject({ code: 'E_SIM_RANGE' });
    const empty = await s.fetch(q!, { from: START + HOUR, to: START });
    expect(empty.map((x) => x.points.length)).toEqual([0, 0, 0, 0, 0]);
  });
});
