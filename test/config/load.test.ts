import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/index.js';
import { createEnsembleFactory } from '../../src/detect/index.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'vigil-config-'));

function yamlDir(text: string): string {
  const dir = emptyDir();
  writeFileSync(join(dir, 'vigil.yaml'), text);
  return dir;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives embedded defaults with no environment and no file', () => {
    const c = loadConfig({}, emptyDir());
    expect(c.databaseUrl).toBeNull();
    expect(c.redisUrl).toBeNull();
    expect(c.dataDir).toBe('./.vigil');
    expect(c.incidents.resolveAfter).toBe(900_000);
  });

  it('returns a frozen object', () => {
    const c = loadConfig({}, emptyDir());
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.http)).toBe(true);
  });

  it('reads vigil.yaml and lets the environment win', () => {
    const dir = yamlDir('http:\n  port: 9000\nincidents:\n  resolveAfter: 5m\n');
    const c = loadConfig({ VIGIL_HTTP_PORT: '9100' }, dir);
    expect(c.http.port).toBe(9100);
    expect(c.incidents.resolveAfter).toBe(300_000);
  });

  it('names the key, its origin, the value and what is expected', () => {
    const msg = errorOf(() => loadConfig({ VIGIL_HTTP_PORT: 'eighty' }, emptyDir()));
    expect(msg).toContain('http.port');
    expect(msg).toContain('"eighty"');
    expect(msg).toContain('VIGIL_HTTP_PORT');
    expect(msg).toContain('number');
    expect(msg.split('\n')).toHaveLength(1);
  });

  it("takes 'auto' or a count of live detectors, and names what it expects otherwise", () => {
    expect(loadConfig({}, emptyDir()).worker.liveDetectors).toBe('auto');
    expect(loadConfig({ VIGIL_LIVE_DETECTORS: '120000' }, emptyDir()).worker.liveDetectors).toBe(120_000);
    expect(loadConfig({ VIGIL_LIVE_DETECTORS: 'auto' }, emptyDir()).worker.liveDetectors).toBe('auto');
    const msg = errorOf(() => loadConfig({ VIGIL_LIVE_DETECTORS: 'lots' }, emptyDir()));
    expect(msg).toContain('worker.liveDetectors');
    expect(msg).toContain("'auto' or a whole number of detectors from 0 to 10000000");
  });

  it('rejects an unknown key in the file', () => {
    const msg = errorOf(() => loadConfig({}, yamlDir('incidents:\n  resolveAftr: 5m\n')));
    expect(msg).toContain('unknown key incidents.resolveAftr');
  });

  it('rejects an unknown VIGIL_ environment variable', () => {
    expect(errorOf(() => loadConfig({ VIGIL_TRESHOLD: '0.5' }, emptyDir()))).toContain('VIGIL_TRESHOLD');
  });

  it('rejects a bad duration with the expected form', () => {
    const msg = errorOf(() => loadConfig({}, yamlDir('incidents:\n  resolveAfter: soon\n')));
    expect(msg).toContain('incidents.resolveAfter = "soon"');
    expect(msg).toContain('duration');
  });

  it("takes the trend test's metric names as a regular expression, and names a broken one", () => {
    expect(loadConfig({}, yamlDir('detection:\n  trendMetrics: "^(mem|gc_heap)"\n')).detection.trendMetrics).toBe(
      '^(mem|gc_heap)',
    );
    expect(loadConfig({}, emptyDir()).detection.trendMetrics).toBeUndefined();
    const msg = errorOf(() => loadConfig({}, yamlDir('detection:\n  trendMetrics: "mem(["\n')));
    expect(msg).toContain('detection.trendMetrics');
    expect(msg).toContain('not a regular expression');
  });

  it('never prints a password from a connection string', () => {
    const msg = errorOf(() => loadConfig({ DATABASE_URL: 'mysql://vigil:hunter2@db:3306/x' }, emptyDir()));
    expect(msg).toContain('databaseUrl');
    expect(msg).not.toContain('hunter2');
  });

  it('reports invalid YAML with the file name', () => {
    const dir = yamlDir('http: [unclosed\n');
    expect(errorOf(() => loadConfig({}, dir))).toContain('not valid YAML');
  });

  it('fails when VIGIL_CONFIG names a missing file', () => {
    expect(errorOf(() => loadConfig({ VIGIL_CONFIG: 'nope.yaml' }, emptyDir()))).toContain('does not exist');
  });

  it('checks source sections with the source schemas, naming the nested key', () => {
    const dir = yamlDir(
      'sources:\n  cloudwatch:\n    queries:\n      - namespace: AWS/EC2\n        metricName: CPUUtilization\n        statistic: Average\n        periodSeconds: 45\n',
    );
    const msg = errorOf(() => loadConfig({}, dir));
    expect(msg).toContain('sources.cloudwatch.queries.0.periodSeconds = 45');
    expect(msg).toContain('multiple of 60');
  });

  it('never prints a token value', () => {
    const msg = errorOf(() => loadConfig({ VIGIL_PUSH_TOKEN: 'short' }, emptyDir()));
    expect(msg).toContain('push.token');
    expect(msg).not.toContain('short"');
  });
});

describe('detection defaults', () => {
  // The damping after an alert must not outlast the incident grouping it stands in for:
  // a regression starting soon after one noise alert still has to be seen.
  it('do not leave a series blind long after one alert', () => {
    const c = loadConfig({}, emptyDir());
    const detector = createEnsembleFactory({ params: { refractory: c.detection.refractory } }).create({
      key: 'k',
      source: 'test',
      service: 's',
      metric: 'latency_ms',
      labels: {},
    });
    let seed = 7;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const MIN = 60_000;
    const scores: number[] = [];
    for (let i = 0; i < 600; i++) {
      const v = 100 + 4 * noise() + (i === 400 ? 60 : 0) + (i >= 430 ? 60 : 0);
      scores.push(detector.update({ t: i * MIN, v }).value);
    }
    expect(scores[400]).toBeGreaterThanOrEqual(c.detection.threshold);
    expect(Math.max(...scores.slice(430, 435))).toBeGreaterThanOrEqual(c.detection.threshold);
  });
});
