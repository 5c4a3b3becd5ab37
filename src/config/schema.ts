/**
 * The one Config shape, as a zod schema. Every key is documented in the
 * README's configuration reference; `strict()` everywhere so a misspelt key
 * is an error naming it, not a silently ignored setting.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseDuration } from '../domain/duration.js';
import { cloudWatchOptionsSchema } from '../sources/cloudwatch/index.js';
import { prometheusOptionsSchema } from '../sources/prometheus/index.js';
import { DEFAULT_QUEUE_PREFIX, QUEUE_PREFIX_PATTERN, QUEUE_PREFIX_RULE } from '../queue/index.js';

/** The playbooks shipped with Vigil (<package>/playbooks), wherever the process runs from. */
export const BUILTIN_PLAYBOOKS = fileURLToPath(new URL('../../playbooks', import.meta.url));

const duration = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : parseDuration(v);
    if (ms === null || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: 'a duration such as "90s", "15m", "2h" or "14d"' });
      return z.NEVER;
    }
    return ms;
  });

const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try { return protocols.includes(new URL(v).protocol); } catch { return false; }
  }, { message: `a URL starting with ${protocols.map((p) => p + '//').join(' or ')}` });

export const configSchema = z.object({
  /** PostgreSQL connection string; null means embedded PGlite under dataDir. */
  databaseUrl: url(['postgres:', 'postgresql:']).nullable().default(null),
  /** Redis connection string; null means the in-process queue. */
  redisUrl: url(['redis:', 'rediss:']).nullable().default(null),
  dataDir: z.string().min(1).default('./.vigil'),
  queue: z.object({
    /**
     * Redis key prefix of the BullMQ queues. Deployments sharing one Redis
     * share jobs exactly when their prefixes are equal, so each deployment
     * (each database) needs its own. Unused by the in-process queue.
     */
    prefix: z.string({ error: `a queue prefix of ${QUEUE_PREFIX_RULE}` })
      .regex(QUEUE_PREFIX_PATTERN, { error: `a queue prefix of ${QUEUE_PREFIX_RULE}` })
      .default(DEFAULT_QUEUE_PREFIX),
  }).strict().default({ prefix: DEFAULT_QUEUE_PREFIX }),
  http: z.object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
  }).strict().default({ host: '127.0.0.1', port: 8080 }),
  log: z.object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }).strict().default({ level: 'info' }),
  detection: z.object({
    /** Which detector scores points: the full ensemble or the simple robust baseline. */
    detector: z.enum(['vigil', 'robust-mad']).default('vigil'),
    /**
     * A point is an anomaly when its calibrated score is at least this. 0.25
     * raised scenario recall on seeds 1-8 only (held-out seeds unchanged) and
     * split one injected regression into two incidents (test/pipeline.test.ts),
     * so 0.3 stays.
     */
    threshold: z.number().gt(0).lte(1).default(0.3),
    /**
     * Page-once policy applied to the score in operation (main.ts
     * detectorFor, src/detect/policy.ts withPageOnce; the detector itself
     * never damps): after an alert, points an alerting series stays damped
     * at most (damping also ends early once the series is quiet). Also the
     * detector's own event length for its calibrators' hold-out. NAB
     * (`vigil bench nab`) uses the detector's maximum, 300, since it
     * penalises every repeated alert. In operation the open incident absorbs
     * repeats and stays open while its series still deviate
     * (src/incidents/evidence.ts), so longer damping only blinds: after one
     * noise alert, 60 points hid a regression that began within the hour.
     */
    refractory: z.number().int().min(0).max(10_000).default(15),
    /**
     * The learned forecaster (models/forecaster) in the ensemble: 'off', 'confirm'
     * (a spike counts only as far as the forecaster also finds the point
     * unlikely) or 'full' (confirming, plus a residual-likelihood test of its
     * own). NAB numbers for each are under Benchmarks (vigil, vigil-confirm,
     * vigil-full). Changing it restarts every series' baseline.
     */
    learned: z.enum(['off', 'confirm', 'full']).default('off'),
  }).strict().default({ detector: 'vigil', threshold: 0.3, refractory: 15, learned: 'off' }),
  incidents: z.object({
    /**
     * An incident opens after `confirmCount` anomalies on a service within
     * `confirmWithin`... Defaults measured with `vigil demo --json` over
     * seeds 1-4 (README, Benchmarks): one anomaly alone opened too many
     * incidents for nothing.
     */
    confirmCount: z.number().int().min(1).default(2),
    confirmWithin: duration.default(600_000),
    /**
     * ...or for one anomaly scoring at least this... Since persistence
     * (`persistFor`) filters blips, any alerting anomaly that persists may
     * open: 0.5 missed slow steps the detector adapts to after one point
     * (scenario recall 70% -> 80%, seeds 9-16 held out: 70% -> 85%, precision
     * unchanged; README, Benchmarks).
     */
    openAtScore: z.number().gt(0).lte(1).default(0.3),
    /**
     * ...once at least half of the next `persistFor` samples of its series
     * still deviate (0: at once). A one-sample blip does not open an incident.
     */
    persistFor: z.number().int().min(0).max(60).default(3),
    /** Resolved after this long without a new anomaly (data time). */
    resolveAfter: duration.default(900_000),
    /** An incident re-opening within this window of resolving stays the same incident. */
    flapWindow: duration.default(1_800_000),
    /**
     * Whether a metric improving (latency, errors, saturation or memory
     * falling, judged by its name) may open an incident. Off: the recovery
     * after a leak or a rollback does not page (README, Incidents).
     */
    openOnImprovement: z.boolean().default(false),
  }).strict().default({ confirmCount: 2, confirmWithin: 600_000, openAtScore: 0.3, persistFor: 3, resolveAfter: 900_000, flapWindow: 1_800_000, openOnImprovement: false }),
  worker: z.object({
    /** Jobs of each kind one worker process runs at once. */
    concurrency: z.number().int().min(1).max(64).default(2),
    /** How often the scheduler pulls each source. */
    pullInterval: duration.default(60_000),
    /**
     * Port of `vigil worker`'s own listener (GET /metrics, /healthz, /readyz)
     * on http.host; 0 turns it off. Two workers on one host need two ports.
     */
    metricsPort: z.number({ error: 'a port number from 1 to 65535, or 0 for no listener' })
      .int({ error: 'a port number from 1 to 65535, or 0 for no listener' })
      .min(0, { error: 'a port number from 1 to 65535, or 0 for no listener' })
      .max(65535, { error: 'a port number from 1 to 65535, or 0 for no listener' })
      .default(9465),
  }).strict().default({ concurrency: 2, pullInterval: 60_000, metricsPort: 9465 }),
  push: z.object({
    /** Bearer token for POST /api/v1/metrics; null disables the endpoint. Secret: never logged. */
    token: z.string().min(16, { message: 'a token of at least 16 characters' }).nullable().default(null),
    /** Most points one request may carry (413 beyond). */
    maxPoints: z.number().int().min(1).max(1_000_000).default(50_000),
  }).strict().default({ token: null, maxPoints: 50_000 }),
  deploy: z.object({
    /** Bearer token for POST /api/v1/deployments; null disables it. Secret. */
    token: z.string().min(16, { message: 'a token of at least 16 characters' }).nullable().default(null),
  }).strict().default({ token: null }),
  github: z.object({
    /** Secret of the GitHub webhook (X-Hub-Signature-256); null disables /webhooks/github. Secret. */
    webhookSecret: z.string().min(16, { message: 'a secret of at least 16 characters' }).nullable().default(null),
  }).strict().default({ webhookSecret: null }),
  /** Change and alert webhooks: SNS, EventBridge, Argo CD, Alertmanager (src/correlate/events; README, Change and alert events). */
  changeEvents: z.object({
    /** SNS topics whose messages POST /webhooks/sns accepts (others 403); empty disables it. */
    snsTopicArns: z.array(z.string().regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w.-]+$/, { message: 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)' })).default([]),
    /** X-Vigil-Secret of POST /webhooks/eventbridge (an EventBridge API destination); null disables it. Secret. */
    eventBridgeSecret: z.string().min(16, { message: 'a secret of at least 16 characters' }).nullable().default(null),
    /** Bearer token of POST /webhooks/argocd; null disables it. Secret. */
    argocdToken: z.string().min(16, { message: 'a token of at least 16 characters' }).nullable().default(null),
    /** Bearer token of POST /webhooks/alertmanager; null disables it. Secret. */
    alertmanagerToken: z.string().min(16, { message: 'a token of at least 16 characters' }).nullable().default(null),
    /** Service of a deploy: key "<application>/<group>" or "<application>" (CodeDeploy), "<pipeline>" (CodePipeline), "<app>" (Argo CD). */
    serviceMap: z.record(z.string().min(1), z.string().min(1)).default({}),
  }).strict().default({ snsTopicArns: [], eventBridgeSecret: null, argocdToken: null, alertmanagerToken: null, serviceMap: {} }),
  /** Grouping and attribution (src/correlate; README, Incidents and deploys). */
  correlate: z.object({
    /**
     * Which services each service calls: linked services share one incident,
     * and a deploy of a dependency is a suspect for its callers.
     */
    dependsOn: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
    /** How long before an incident's onset a deploy may have started to be a suspect. */
    lookback: duration.default(7_200_000),
    /** Each side of a deploy verdict's before/after comparison (the rollout is left out). */
    verdictWindow: duration.default(1_800_000),
  }).strict().default({ dependsOn: {}, lookback: 7_200_000, verdictWindow: 1_800_000 }),
  /** Service mapping rules (src/sources/mapping.ts): first match wins. */
  serviceRules: z.array(z.object({
    match: z.record(z.string(), z.string()).refine((m) => Object.keys(m).length > 0, { message: 'at least one label pattern' }),
    service: z.string().min(1),
  }).strict()).default([]),
  sources: z.object({
    simulator: z.object({
      enabled: z.boolean().default(false),
      seed: z.number().int().default(1),
      services: z.number().int().min(1).max(12).default(4),
    }).strict().optional(),
    replay: z.object({
      root: z.string().min(1),
    }).strict().optional(),
    /** AWS CloudWatch (README, CloudWatch); credentials and region from the standard AWS chain. */
    cloudwatch: cloudWatchOptionsSchema.optional(),
    /** Prometheus query_range over PromQL (README, Prometheus); `url` also from PROMETHEUS_URL. */
    prometheus: prometheusOptionsSchema.optional(),
  }).strict().default({}),
  /** Where incidents and verdicts go besides the log (src/notify; README, Slack and SNS). */
  notify: z.object({
    slack: z.object({
      /** Bot token (xoxb-...); with `channel` it turns the Slack notifier and bot on. Secret. */
      botToken: z.string().regex(/^xoxb-[\w-]+$/, { message: 'a Slack bot token starting with xoxb-' }).nullable().default(null),
      /** Signing secret verifying requests to POST /slack/events (HTTP mode). Secret. */
      signingSecret: z.string().min(16, { message: 'at least 16 characters: the app\'s signing secret (Basic Information, App Credentials; Slack\'s are 32 hex characters)' }).nullable().default(null),
      /** App-level token (xapp-...): Socket Mode instead of POST /slack/events. Secret. */
      appToken: z.string().regex(/^xapp-[\w-]+$/, { message: 'a Slack app-level token starting with xapp-' }).nullable().default(null),
      /** Default channel (ID such as C0123456789, or #name) for incident posts. */
      channel: z.string().min(1).nullable().default(null),
      /** First match wins: incidents of services matching the glob, at or above minSeverity, go to that channel. */
      routes: z.array(z.object({
        service: z.string().min(1),
        minSeverity: z.enum(['low', 'medium', 'high', 'critical']).default('low'),
        channel: z.string().min(1),
      }).strict()).default([]),
      /** Beyond this many new incidents a minute in one channel, one summary message replaces the posts. */
      stormPerMinute: z.number().int().min(1).max(1000).default(5),
      /** Pass and marginal deploy verdicts: one hourly digest message per channel (edited as they come), each in the channel, or none. Failed verdicts always go to the thread of the incident they caused, else the channel. */
      verdicts: z.enum(['digest', 'channel', 'off']).default('digest'),
      /** Web API base URL ending in /api/ (a proxy, or a loopback fake in tests). */
      apiUrl: url(['https:', 'http:']).nullable().default(null),
    }).strict().default({ botToken: null, signingSecret: null, appToken: null, channel: null, routes: [], stormPerMinute: 5, verdicts: 'digest', apiUrl: null }),
    sns: z.object({
      /** Topic incidents and verdicts are published to (JSON, with severity/service/type attributes); null: off. */
      topicArn: z.string().regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w.-]+$/, { message: 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)' }).nullable().default(null),
      /** Region of the topic; null: taken from the ARN. */
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'an AWS region such as eu-west-1' }).nullable().default(null),
    }).strict().default({ topicArn: null, region: null }),
  }).strict().default({
    slack: { botToken: null, signingSecret: null, appToken: null, channel: null, routes: [], stormPerMinute: 5, verdicts: 'digest', apiUrl: null },
    sns: { topicArn: null, region: null },
  }),
  /** Playbooks and fixes (src/remediate; README, Remediation). */
  remediation: z.object({
    /** off: nothing planned or run; dry-run: write steps planned and audited, never run; on: they run. */
    mode: z.enum(['off', 'dry-run', 'on']).default('dry-run'),
    /** Absolute after loadConfig: the shipped playbooks/ by default; a relative path in vigil.yaml is relative to that file. */
    playbooksDir: z.string().min(1).default(BUILTIN_PLAYBOOKS),
    /** Hosts (host or host:port) http.webhook steps may POST to. */
    webhookHosts: z.array(z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, { message: 'a host name, optionally with :port' })).default([]),
    /** Executables local.command steps may run, exactly as written in playbooks. */
    localCommands: z.array(z.string().regex(/^[A-Za-z0-9_./-]{1,256}$/, { message: 'an executable name or path' })).default([]),
    /** Region for AWS actions; null means the SDK's default chain (AWS_REGION, profile). */
    awsRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'an AWS region such as eu-west-1' }).nullable().default(null),
  }).strict().default({ mode: 'dry-run', playbooksDir: BUILTIN_PLAYBOOKS, webhookHosts: [], localCommands: [], awsRegion: null }),
}).strict();

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
