/**
 * The push source through the real pipeline on an embedded store. Regression
 * for points answered 202 and never scored: the source used to read only
 * [last pull, now) with one cursor for every pushed series, so history, late
 * points and points of a series that failed once were dropped.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/index.js';
import { seriesKey, type Series } from '../../../src/domain/index.js';
import { buildApp, type App } from '../../../src/main.js';
import { silentLogger } from '../../../src/observability/index.js';
import { pull } from '../../../src/pipeline.js';
import { createPushSource, PUSH_QUERY } from '../../../src/sources/push/index.js';
import { failingOnce } from '../../support/failing-store.js';

const T0 = Date.UTC(2026, 0, 5);
const SEC = 1000;

let app: App;
beforeAll(async () => {
  app = await buildApp(loadConfig({}, mkdtempSync(join(tmpdir(), 'vigil-push-'))), { consume: [], ephemeralStore: true, log: silentLogger(), notifiers: [] });
});
afterAll(async () => { await app.close(); });

function series(metric: string, from: number, n: number): Series {
  const labels = { service: 'orders' };
  const ref = { key: seriesKey('push', metric, labels), source: 'push', metric, service: 'orders', labels };
  return { ref, points: Array.from({ length: n }, (_, i) => ({ t: from + i * SEC, v: 10 + (i % 3) })) };
}

const scored = (s: Series) => app.store.getCursor('push', s.ref.key);

describe('push source in the pipeline', () => {
  it('scores every accepted point once, however old or late it is', async () => {
    const deps = { ...app.deps, resolveSource: () => createPushSource(app.store) };
    // Four minutes of history for a new series, pulled with a one-minute window.
    const history = series('history', T0, 240);
    expect(await app.store.insertPushedPoints([history])).toEqual({ accepted: 240, duplicates: 0 });
    let now = T0 + 240 * SEC;
    expect((await pull({ query: PUSH_QUERY, range: { from: now - 60 * SEC, to: now } }, deps)).points).toBe(240);
    // Points 30 s late: their times are before the last pull's end.
    const late = series('history', T0 + 240 * SEC, 10);
    expect(await app.store.insertPushedPoints([late])).toEqual({ accepted: 10, duplicates: 0 });
    const from = now;
    now += 60 * SEC;
    expect((await pull({ query: PUSH_QUERY, range: { from, to: now } }, deps)).points).toBe(10);
    expect(await scored(history)).toBe(T0 + 249 * SEC);
    // The same request again: nothing new, nothing scored twice.
    expect(await app.store.insertPushedPoints([late])).toEqual({ accepted: 0, duplicates: 10 });
    expect((await pull({ query: PUSH_QUERY, range: { from: now, to: now + 60 * SEC } }, deps)).points).toBe(0);
  });

  it('keeps the points of a series that failed to score queued until a later pull scores them', async () => {
    const flaky = series('flaky', T0, 30);
    await app.store.insertPushedPoints([flaky]);
    const store = failingOnce(app.store, 'loadDetectorState', (key) => key === flaky.ref.key);
    const deps = { ...app.deps, store, resolveSource: () => createPushSource(app.store) };
    const range = { from: T0, to: T0 + 60 * SEC };
    expect((await pull({ query: PUSH_QUERY, range }, deps)).points).toBe(0);
    expect(await scored(flaky)).toBeNull();
    expect((await pull({ query: PUSH_QUERY, range: { from: range.to, to: range.to + 60 * SEC } }, deps)).points).toBe(30);
    expect(await scored(flaky)).toBe(T0 + 29 * SEC);
  });
});
