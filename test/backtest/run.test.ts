/**
 * `vigil backtest` over a hand-built directory: a deploy that regresses
 * latency and an innocent one, through the real pipeline.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDeployments, runBacktest, type BacktestResult } from '../../src/backtest/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/observability/index.js';

const MIN = 60_000;
const START = Date.UTC(2026, 2, 2);
const iso = (m: number) => new Date(START + m * MIN).toISOString();
const plain = (m: number) => iso(m).replace('T', ' ').slice(0, 19);

function csv(n: number, level: (m: number) => number, seed: number): string {
  let x = seed;
  const rand = () => {
    x = (x * 9301 + 49297) % 233280;
    return x / 233280 - 0.5;
  };
  const rows = Array.from({ length: n }, (_, m) => `${plain(m)},${(level(m) * (1 + 0.08 * rand())).toFixed(3)}`);
  return `timestamp,value\n${rows.join('\n')}\n`;
}

type Spec = readonly [service: string, metric: string, level: (m: number) => number, seed: number];
const ONE_REGRESSION: readonly Spec[] = [
  ['api', 'latency_p95_ms', (m: number) => (m >= 302 && m < 362 ? 260 : 100), 1],
  ['api', 'error_rate', () => 0.02, 2],
  ['web', 'latency_p95_ms', () => 80, 3],
];

function writeDir(deployments: unknown, specs: readonly Spec[] = ONE_REGRESSION): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bt-'));
  for (const [service, metric, level, seed] of specs) {
    mkdirSync(join(dir, 'metrics', service), { recursive: true });
    writeFileSync(join(dir, 'metrics', service, `${metric}.csv`), csv(480, level, seed));
  }
  writeFileSync(join(dir, 'deployments.json'), JSON.stringify(deployments));
  return dir;
}

describe('vigil backtest', () => {
  let result: BacktestResult;
  beforeAll(async () => {
    const dir = writeDir([
      { id: 'web-1', service: 'web', startedAt: plain(120), finishedAt: plain(123), version: '1' },
      { id: 'api-7', service: 'api', startedAt: iso(300), finishedAt: iso(304), version: '7', actor: 'alice' },
    ]);
    result = await runBacktest({ dir, config: loadConfig({}, dir), log: silentLogger() });
  }, 120_000);

  test('the regression is one incident on api whose suspect is the api deploy, with a reason', () => {
    const during = result.incidents.filter(
      (i) => i.services.includes('api') && i.openedAt >= iso(300) && i.openedAt < iso(362),
    );
    expect(during).toHaveLength(1);
    expect(during[0]!.series.some((k) => k.includes('latency_p95_ms'))).toBe(true);
    expect(during[0]!.suspect).toMatchObject({ deploymentId: 'api-7' });
    expect(during[0]!.suspect!.reason).toMatch(/api 7 by alice started \d+ min before onset/);
  });

  test('every deploy gets a verdict: the regressing one fails, the innocent one passes', () => {
    expect(result.verdicts.map((v) => [v.deploymentId, v.verdict])).toEqual([
      ['web-1', 'pass'],
      ['api-7', 'fail'],
    ]);
    expect(result.verdicts[1]!.summary).toMatch(/latency_p95_ms rose 2\.\dx/);
  });

  test('the innocent deploy is never blamed', () => {
    expect(result.incidents.filter((i) => i.suspect?.deploymentId === 'web-1')).toEqual([]);
  });

  test('a deploy keeps its strategy (canary, rolling...); one without says null', async () => {
    const dir = writeDir([
      { id: 'c', service: 'api', startedAt: iso(1), strategy: 'canary' },
      { id: 'r', service: 'api', startedAt: iso(2) },
    ]);
    expect((await readDeployments(join(dir, 'deployments.json'))).map((d) => [d.id, d.strategy])).toEqual([
      ['c', 'canary'],
      ['r', null],
    ]);
  });

  test('a bad deployments.json entry is refused naming the entry and field', async () => {
    const dir = writeDir([{ id: 'x', service: 'api', startedAt: 'yesterday' }]);
    await expect(readDeployments(join(dir, 'deployments.json'))).rejects.toMatchObject({
      code: 'E_BACKTEST_DEPLOYMENTS',
      message: expect.stringMatching(/^deployments\.json\[0\]\.startedAt: a time such as/),
    });
    const unknown = writeDir([{ id: 'x', service: 'api', startedAt: iso(1), strategy: 'big-bang' }]);
    await expect(readDeployments(join(unknown, 'deployments.json'))).rejects.toThrow(
      /^deployments\.json\[0\]\.strategy: /,
    );
    const twice = writeDir([
      { id: 'x', service: 'api', startedAt: iso(1) },
      { id: 'x', service: 'api', startedAt: iso(2) },
    ]);
    await expect(readDeployments(join(twice, 'deployments.json'))).rejects.toThrow(
      'deployments.json[1].id: "x" appears twice',
    );
  });
});

describe('vigil backtest: a second bad deploy while the first incident is still open', () => {
  let result: BacktestResult;
  beforeAll(async () => {
    // api-7 at minute 300 raises latency for good; api-8 at minute 340, while that incident is open, raises errors 10x.
    const dir = writeDir(
      [
        { id: 'api-7', service: 'api', startedAt: iso(300), finishedAt: iso(304), version: '7' },
        { id: 'api-8', service: 'api', startedAt: iso(340), finishedAt: iso(343), version: '8' },
      ],
      [
        ['api', 'latency_p95_ms', (m: number) => (m >= 302 ? 260 : 100), 1],
        ['api', 'error_rate', (m: number) => (m >= 342 ? 0.2 : 0.02), 2],
      ],
    );
    result = await runBacktest({ dir, config: loadConfig({}, dir), log: silentLogger() });
  }, 120_000);

  test('is a new incident; the first keeps its suspect and ends when the second deploy started', () => {
    const api = result.incidents.filter((i) => i.services.includes('api') && i.openedAt >= iso(300));
    expect(api).toHaveLength(2);
    expect(api[0]!.suspect?.deploymentId).toBe('api-7');
    // The first regression's latency keeps alerting into the second incident, but api-7 is the first
    // incident's business: the second draws its suspects from api-8's start on.
    expect(api[1]!.suspect?.deploymentId).toBe('api-8');
    expect(api[0]!.resolvedAt).toBe(iso(340));
    expect(api[1]!.openedAt >= iso(340)).toBe(true);
    expect(api[1]!.series.some((k) => k.includes('error_rate'))).toBe(true);
  });
});

describe('vigil backtest: a shared dependency degrading just after an innocent deploy', () => {
  // api-7 at minute 298; at minute 302 the database (no deploy) and api both get slower. api's files are read
  // before the database's, so api's incident is ranked before the database's anomalies exist and must be ranked again.
  const run = (databaseDegrades: boolean) =>
    runBacktest({
      dir: writeDir(
        [{ id: 'api-7', service: 'api', startedAt: iso(298), finishedAt: iso(303), version: '7' }],
        [
          ['api', 'latency_p95_ms', (m: number) => (m >= 302 && m < 362 ? 260 : 100), 1],
          ['database', 'latency_p95_ms', (m: number) => (databaseDegrades && m >= 302 && m < 362 ? 30 : 12), 4],
          ['database', 'request_rate', () => 1500, 5],
        ],
      ),
      config: loadConfig({}, tmpdir()),
      log: silentLogger(),
    });
  const apiIncident = (r: BacktestResult) =>
    r.incidents.find((i) => i.services.includes('api') && i.openedAt >= iso(298) && i.openedAt < iso(362));

  test('the deploy is not blamed', async () => {
    const incident = apiIncident(await run(true));
    expect(incident?.suspect).toBeNull();
  }, 120_000);

  test('control: with the database steady the same deploy is the suspect', async () => {
    expect(apiIncident(await run(false))?.suspect?.deploymentId).toBe('api-7');
  }, 120_000);
});
