/**
 * Tiny synthetic corpora in temp dirs for the `vigil bench all` and
 * `vigil bench calibration` tests: KPI layout (series/<id>.csv.gz) and
 * deploy-attribution scenario layout (<name>/metrics, deployments.json,
 * truth.json). NAB layout comes from test/bench/support/fixture.ts. Nothing
 * here reads shared data.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../../bench/support/fixture.js';

/** KPI series keyed by id: n points a minute apart, label 1 where `anomalous(i)`. */
export function writeKpi(
  series: Record<string, { n: number; value: (i: number) => number; anomalous: (i: number) => boolean }>,
): string {
  const root = tempDir('vigil-kpi-');
  mkdirSync(join(root, 'series'));
  for (const [id, s] of Object.entries(series)) {
    const rows = Array.from(
      { length: s.n },
      (_, i) => `${1_500_000_000 + 60 * i},${s.value(i)},${s.anomalous(i) ? 1 : 0}`,
    );
    writeFileSync(join(root, 'series', `${id}.csv.gz`), gzipSync(rows.join('\n') + '\n'));
  }
  return root;
}

const START = Date.UTC(2026, 2, 2);
const iso = (m: number): string => new Date(START + m * 60_000).toISOString().replace('.000Z', 'Z');

function csv(n: number, level: (m: number) => number, seed: number): string {
  let x = seed;
  const rand = (): number => {
    x = (x * 9301 + 49297) % 233280;
    return x / 233280 - 0.5;
  };
  return `timestamp,value\n${Array.from({ length: n }, (_, m) => `${iso(m)},${(level(m) * (1 + 0.08 * rand())).toFixed(3)}`).join('\n')}\n`;
}

/** One scenario, 8 h a minute apart: a deploy of api at minute 300 steps its latency up for an hour. */
export function writeScenarios(): string {
  const root = tempDir('vigil-scen-');
  const dir = join(root, 'c01');
  const specs: Array<[string, string, (m: number) => number, number]> = [
    ['api', 'latency_p95_ms', (m) => (m >= 302 && m < 362 ? 260 : 100), 1],
    ['api', 'error_rate', () => 0.02, 2],
    ['web', 'latency_p95_ms', () => 80, 3],
  ];
  for (const [service, metric, level, seed] of specs) {
    mkdirSync(join(dir, 'metrics', service), { recursive: true });
    writeFileSync(join(dir, 'metrics', service, `${metric}.csv`), csv(480, level, seed));
  }
  writeFileSync(
    join(dir, 'deployments.json'),
    JSON.stringify([
      {
        id: 'web-1',
        service: 'web',
        startedAt: iso(120),
        finishedAt: iso(123),
        version: '1',
        actor: 'ci',
        strategy: 'rolling',
      },
      {
        id: 'api-7',
        service: 'api',
        startedAt: iso(300),
        finishedAt: iso(304),
        version: '7',
        actor: 'ci',
        strategy: 'all-at-once',
      },
    ]),
  );
  writeFileSync(
    join(dir, 'truth.json'),
    JSON.stringify([{ service: 'api', start: iso(302), end: iso(362), kind: 'latency', cause: 'api-7' }]),
  );
  mkdirSync(join(root, 'not-a-scenario'));
  return root;
}
