/**
 * The parsed defaults, written out as they were before each section's
 * defaults were declared once (issue 17). Any change to a default must
 * change this snapshot on purpose.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_PLAYBOOKS, loadConfig } from '../../src/config/index.js';
import { configSchema } from '../../src/config/schema.js';

const DEFAULTS = {
  databaseUrl: null,
  redisUrl: null,
  dataDir: './.vigil',
  queue: { prefix: 'vigil', lanes: 8 },
  http: { host: '127.0.0.1', port: 8080 },
  log: { level: 'info' },
  detection: { detector: 'vigil', threshold: 0.3, refractory: 15, learned: 'off' },
  incidents: {
    confirmCount: 2,
    confirmWithin: 600_000,
    openAtScore: 0.3,
    persistFor: 3,
    resolveAfter: 900_000,
    flapWindow: 1_800_000,
    openOnImprovement: false,
    openOnDemand: false,
    coOnsetWithin: 600_000,
  },
  worker: { concurrency: 2, pullInterval: 60_000, metricsPort: 9465, liveDetectors: 'auto' },
  push: { token: null, maxPoints: 50_000, shards: 1, batchSeries: 10_000 },
  deploy: { token: null },
  github: { webhookSecret: null },
  changeEvents: {
    snsTopicArns: [],
    eventBridgeSecret: null,
    argocdToken: null,
    alertmanagerToken: null,
    serviceMap: {},
  },
  correlate: { dependsOn: {}, lookback: 7_200_000, verdictWindow: 1_800_000 },
  serviceRules: [],
  sources: {},
  notify: {
    slack: {
      botToken: null,
      signingSecret: null,
      appToken: null,
      channel: null,
      routes: [],
      stormPerMinute: 5,
      verdicts: 'digest',
      apiUrl: null,
    },
    sns: { topicArn: null, region: null },
  },
  remediation: {
    mode: 'dry-run',
    playbooksDir: BUILTIN_PLAYBOOKS,
    webhookHosts: [],
    localCommands: [],
    awsRegion: null,
  },
};

describe('config defaults', () => {
  it('parse from nothing to the snapshot', () => {
    expect(configSchema.parse({})).toStrictEqual(DEFAULTS);
  });

  it('are what loadConfig gives with no environment and no file', () => {
    expect(loadConfig({}, mkdtempSync(join(tmpdir(), 'vigil-defaults-')))).toStrictEqual(DEFAULTS);
  });

  it('fill a section that is present but empty, field by field', () => {
    const c = configSchema.parse({ notify: { slack: { channel: 'C1' } }, incidents: { persistFor: 0 } });
    expect(c.notify).toStrictEqual({ ...DEFAULTS.notify, slack: { ...DEFAULTS.notify.slack, channel: 'C1' } });
    expect(c.incidents).toStrictEqual({ ...DEFAULTS.incidents, persistFor: 0 });
  });

  it('give an enabled source section its own defaults', () => {
    const c = configSchema.parse({ sources: { simulator: {} } });
    expect(c.sources).toStrictEqual({ simulator: { enabled: false, seed: 1, services: 4 } });
  });
});
