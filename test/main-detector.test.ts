/** detectorFor: the configured detector, with the learned forecaster plugged in as detection.learned says. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { seriesKey, type SeriesRef } from '../src/domain/index.js';
import { detectorFor } from '../src/main.js';

const labels = { service: 'api' };
const ref: SeriesRef = {
  key: seriesKey('sim', 'latency', labels),
  source: 'sim',
  metric: 'latency',
  service: 'api',
  labels,
};
const configWith = (env: Record<string, string>) => loadConfig(env, mkdtempSync(join(tmpdir(), 'vigil-detector-')));
// In operation the ensemble runs inside the page-once policy (detect/policy.ts withPageOnce): its snapshot is `inner`.
const subsOf = (env: Record<string, string>) =>
  (detectorFor(configWith(env)).create(ref).snapshot() as { inner: { subs: string[] } }).inner.subs;

test('the ensemble runs without the learned model by default, and with it when detection.learned asks', () => {
  expect(subsOf({})).toEqual([]);
  expect(subsOf({ VIGIL_LEARNED: 'confirm' })).toEqual(['learned']);
  expect(subsOf({ VIGIL_LEARNED: 'full' })).toEqual(['learned']);
});

test('a series scored with one setting does not silently continue under another (its baseline restarts)', () => {
  const off = detectorFor(configWith({}));
  const confirm = detectorFor(configWith({ VIGIL_LEARNED: 'confirm' }));
  const d = off.create(ref);
  for (let i = 0; i < 50; i++) d.update({ t: i * 60_000, v: 100 + (i % 7) });
  expect(() => confirm.restore(ref, d.snapshot())).toThrow(/different configuration/);
  const c = confirm.create(ref);
  for (let i = 0; i < 50; i++) c.update({ t: i * 60_000, v: 100 + (i % 7) });
  expect(() => confirm.restore(ref, c.snapshot())).not.toThrow();
});

test('an unknown value names the key and the choices', () => {
  expect(() => configWith({ VIGIL_LEARNED: 'sometimes' })).toThrow(ConfigError);
  expect(() => configWith({ VIGIL_LEARNED: 'sometimes' })).toThrow(
    /detection\.learned = "sometimes" \(from VIGIL_LEARNED\): expected one of "off"\|"confirm"\|"full"/,
  );
});
