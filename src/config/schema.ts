/**
 * The one Config shape, as a zod schema. `strict()` everywhere so a misspelt
 * key is an error naming it, not a silently ignored setting.
 *
 * One source of truth, for code and docs alike:
 * - each default is written once, on its own key; a section defaults to `{}`
 *   parsed through its own schema (`prefault`), so it never repeats them;
 * - what a key means to the person setting it is its `.describe()` text, kept
 *   beside the key so the two cannot drift; comments above a key are for
 *   developers (reasons, measurements, contracts) and are not published;
 * - environment variable names live where they are read (ENV_KEYS, load.ts).
 * scripts/gen-config-doc.ts renders all three into docs/configuration.md
 * (`npm run docs:config`), and test/docs/config-doc.test.ts fails when the
 * committed file is stale. A described object (sources.cloudwatch) is one
 * row there; an undescribed one is a section whose keys are rows.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseDuration } from '../domain/duration.js';
import { DEFAULT_QUEUE_PREFIX, QUEUE_PREFIX_PATTERN, QUEUE_PREFIX_RULE } from './queue-prefix.js';
import { cloudWatchOptionsSchema } from './sources/cloudwatch.js';
import { prometheusOptionsSchema } from './sources/prometheus.js';

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
  })
  // Read by the doc generator: defaults print as "15m", not milliseconds.
  .meta({ format: 'duration' });

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `a URL starting with ${protocols.map((p) => p + '//').join(' or ')}` },
  );

/** An integer in [min, max]; every way of missing says `says`. */
const wholeNumber = (min: number, max: number, says: string) =>
  z.number({ error: says }).int({ error: says }).min(min, { error: says }).max(max, { error: says });

const isRegExp = (s: string): boolean => {
  try {
    new RegExp(s, 'i');
    return true;
  } catch {
    return false;
  }
};

const SNS_TOPIC_ARN = /^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w.-]+$/;
const SNS_TOPIC_ARN_RULE = 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)';
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const AWS_REGION_RULE = 'an AWS region such as eu-west-1';
/** A bearer token or shared secret: at least 16 characters, null when unset (the feature is off). */
const secret = (what: 'token' | 'secret') =>
  z
    .string()
    .min(16, { message: `a ${what} of at least 16 characters` })
    .nullable()
    .default(null);

export const configSchema = z
  .object({
    databaseUrl: url(['postgres:', 'postgresql:'])
      .nullable()
      .default(null)
      .describe(
        'PostgreSQL connection string (`postgres://user:pass@host:5432/db`); none: embedded PGlite under `dataDir`',
      ),
    redisUrl: url(['redis:', 'rediss:'])
      .nullable()
      .default(null)
      .describe('Redis connection string (`redis://host:6379`) for BullMQ; none: the in-process queue'),
    dataDir: z
      .string()
      .min(1)
      .default('./.vigil')
      .describe('where embedded PGlite keeps its data (`<dataDir>/pglite`)'),
    queue: z
      .object({
        prefix: z
          .string({ error: `a queue prefix of ${QUEUE_PREFIX_RULE}` })
          .regex(QUEUE_PREFIX_PATTERN, { error: `a queue prefix of ${QUEUE_PREFIX_RULE}` })
          .default(DEFAULT_QUEUE_PREFIX)
          .describe(
            'Redis key prefix of the BullMQ queues: processes with the same prefix share jobs, so give each deployment (each database) sharing one Redis its own; letters, digits, `_`, `.`, `-`. Unused by the in-process queue',
          ),
        lanes: wholeNumber(1, 64, 'a whole number of lanes from 1 to 64')
          .default(8)
          .describe(
            'queues the pull jobs are spread over, by query (a push shard is one query): the processes that score (`vigil start`, `vigil worker`) split the lanes among themselves, so each query is scored by the same process job after job and its detectors stay in that memory; a process that stops or dies (10 s without a heartbeat) gives its lanes to the others. Keep it at least the number of scoring processes, and `push.shards` at least as many, or some process gets nothing to score. `1`: one queue, any process takes any job. Unused by the in-process queue',
          ),
      })
      .strict()
      .prefault({}),
    http: z
      .object({
        host: z.string().min(1).default('127.0.0.1').describe('HTTP listen address (`0.0.0.0` in a container)'),
        port: z.number().int().min(0).max(65535).default(8080).describe('HTTP port'),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z
          .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
          .default('info')
          .describe('`fatal` `error` `warn` `info` `debug` `trace` `silent`; logs are JSON on stderr'),
      })
      .strict()
      .prefault({}),
    detection: z
      .object({
        detector: z
          .enum(['vigil', 'robust-mad'])
          .default('vigil')
          .describe('which detector scores points: `vigil` (the ensemble) or `robust-mad` (a simple robust baseline)'),
        /**
         * 0.25 raised scenario recall on seeds 1-8 only (held-out seeds
         * unchanged) and split one injected regression into two incidents
         * (test/pipeline.test.ts), so 0.3 stays.
         */
        threshold: z.number().gt(0).lte(1).default(0.3).describe('calibrated score at which a point is an anomaly'),
        /**
         * compose/detectors.ts detectorFor, src/detect/policy.ts withPageOnce; the detector
         * itself never damps. Also the detector's own event length for its
         * calibrators' hold-out. NAB (`vigil bench nab`) uses the detector's
         * maximum, 300, since it penalises every repeated alert. In operation the
         * open incident absorbs repeats and stays open while its series still
         * deviate (src/incidents/evidence.ts), so longer damping only blinds:
         * after one noise alert, 60 points hid a regression that began within the hour.
         */
        refractory: z
          .number()
          .int()
          .min(0)
          .max(10_000)
          .default(15)
          .describe(
            "page-once policy applied to the score in operation (`src/detect/policy.ts`; the detector itself does not damp): after an alert the series is damped so one event alerts once, until it is quiet again and at most this many points (`vigil bench nab` applies the detector's own maximum, 300; see [Benchmarks](benchmarks.md)). Short, so a new regression right after a noise alert is not hidden; an incident that is still deviating absorbs repeat alerts",
          ),
        trendMetrics: z
          .string()
          .refine(isRegExp, { message: 'not a regular expression' })
          .optional()
          .describe(
            "metrics the trend (leak) test runs on: a case-insensitive regular expression over the metric name; default: levels of a finite resource (memory, heap, disk or filesystem used or free, inodes, open file descriptors, connections, queue depth, backlog, threads). A steady rise there pages before the resource runs out; on rates and latencies a ramp is load, and the trend test is off. Changing it restarts those series' baselines (see [Benchmarks](benchmarks.md))",
          ),
        loadMetrics: z
          .string()
          .refine(isRegExp, { message: 'not a regular expression' })
          .optional()
          .describe(
            "metrics the load test judges against the service's load (a case-insensitive regular expression over the metric name); default `cpu`. CPU follows traffic through the day; more CPU than the load explains is a costlier release. Needs the service's load series in the same pull (see `detection.loadSeries`). Changing it restarts those series' baselines",
          ),
        loadSeries: z
          .string()
          .refine(isRegExp, { message: 'not a regular expression' })
          .optional()
          .describe(
            "the series that measures a service's load, for the load test (a case-insensitive regular expression over the metric name); default: request or invocation rates and counts (`requests`, `request_rate`, `http_requests_total`, `rps`, `qps`, `RequestCount`, `Invocations`...)",
          ),
        learned: z
          .enum(['off', 'confirm', 'full'])
          .default('off')
          .describe(
            "the learned forecaster (`models/forecaster`) in the ensemble: `off`, `confirm` (a spike counts only as far as the forecaster also finds the point unlikely) or `full` (confirming plus a residual-likelihood test of its own); NAB numbers as vigil / vigil-confirm / vigil-full in [Benchmarks](benchmarks.md). Changing it restarts every series' baseline",
          ),
      })
      .strict()
      .prefault({}),
    incidents: z
      .object({
        /**
         * Defaults measured with `vigil demo --json` over seeds 1-4
         * (docs/benchmarks.md): one anomaly alone opened too many incidents for nothing.
         */
        confirmCount: z
          .number()
          .int()
          .min(1)
          .default(2)
          .describe('anomalies on a service within `confirmWithin` that open an incident...'),
        confirmWithin: duration.default(600_000).describe('...the window for that count'),
        /**
         * Since persistence (`persistFor`) filters blips, any alerting anomaly
         * that persists may open: 0.5 missed slow steps the detector adapts to
         * after one point (scenario recall 70% -> 80%, seeds 9-16 held out:
         * 70% -> 85%, precision unchanged; docs/benchmarks.md).
         */
        openAtScore: z
          .number()
          .gt(0)
          .lte(1)
          .default(0.3)
          .describe('...or one anomaly at least this strong (persistence does the filtering)...'),
        persistFor: z
          .number()
          .int()
          .min(0)
          .max(60)
          .default(3)
          .describe(
            '...whose deviation persists: at least half of this many next samples of its series still deviate (0: at once), so a one-sample blip does not open an incident; see [Incidents](incidents.md)',
          ),
        resolveAfter: duration
          .default(900_000)
          .describe(
            'quiet time (data time: no anomaly, and its series back in their onset band) after which an incident resolves',
          ),
        flapWindow: duration
          .default(1_800_000)
          .describe('an incident re-opening within this window of resolving stays the same incident'),
        openOnImprovement: z
          .boolean()
          .default(false)
          .describe(
            'whether a metric improving (latency, errors, saturation or memory falling, judged by its name) may open an incident; off: the recovery after a leak or a rollback does not page (see [Incidents](incidents.md))',
          ),
        openOnDemand: z
          .boolean()
          .default(false)
          .describe(
            "whether a change of demand alone (request rate, traffic, sessions: judged by the metric's name) may open an incident; off: a traffic surge or dip does not page (it is load from outside, not a fault) but joins the incident that latency, errors or saturation open. Turn it on to be paged on traffic that drops when no other metric of the service is watched (see [Incidents](incidents.md))",
          ),
        coOnsetWithin: duration
          .default(600_000)
          .describe(
            "a service whose anomalies start within this of another open incident's onset, and whose series moved with that incident's (correlation at least 0.5 over the minutes around onset), joins that incident instead of paging on its own: one backend degradation felt by its callers is one incident, with no `correlate.dependsOn` needed; 0: off (see [Incidents](incidents.md))",
          ),
      })
      .strict()
      .prefault({}),
    worker: z
      .object({
        concurrency: z.number().int().min(1).max(64).default(2).describe('jobs of each kind one process runs at once'),
        pullInterval: duration.default(60_000).describe('how often the scheduler (`vigil start`) pulls each source'),
        metricsPort: wholeNumber(0, 65535, 'a port number from 1 to 65535, or 0 for no listener')
          .default(9465)
          .describe(
            "port of `vigil worker`'s own listener (`GET /metrics`, `/healthz`, `/readyz`) on `http.host`; `0` turns it off. Two workers on one host need two ports: a port in use stops the worker with `E_CONFIG`",
          ),
        liveDetectors: z
          .union([z.literal('auto'), z.number().int().min(0).max(10_000_000)], {
            error: "'auto' or a whole number of detectors from 0 to 10000000",
          })
          .default('auto')
          .describe(
            "series whose detectors each process keeps in memory between pull jobs; `auto`: as many as fill half of Node's heap limit at about 18 KB each (about 117,000 with the default 4 GB limit; `NODE_OPTIONS=--max-old-space-size=MB` raises it). When full, a new series takes the place of one idle for 10 minutes, or is not kept. A series not kept is restored from the store each job (0.3 ms of parsing and restoring on a warmed detector, 10 to 60 times its scoring). `0` keeps none. Keep it above the series the process scores",
          ),
      })
      .strict()
      .prefault({}),
    push: z
      .object({
        token: secret('token').describe(
          'bearer token for `POST /api/v1/metrics`; none: push disabled (at least 16 characters; secret, never logged)',
        ),
        maxPoints: z
          .number()
          .int()
          .min(1)
          .max(1_000_000)
          .default(50_000)
          .describe('most points one push request may carry (413 beyond)'),
        shards: wholeNumber(1, 64, 'a whole number of shards from 1 to 64')
          .default(1)
          .describe(
            'pull jobs the pushed series are split into, by service (linked services together), so that many processes score them at once: shard i goes to lane i of `queue.lanes`, so with several scoring processes set it to the lanes or a multiple of them; with 1, one process scores every pushed series',
          ),
        batchSeries: wholeNumber(100, 1_000_000, 'a whole number of series from 100 to 1000000')
          .default(10_000)
          .describe(
            'most pushed series a pull job scores at once (whole services, the longest waiting first); a job with more waiting scores them in batches of this size, so a worker holds about this many detectors per job (about 18 KB of heap each)',
          ),
      })
      .strict()
      .prefault({}),
    deploy: z
      .object({
        token: secret('token').describe(
          'bearer token for `POST /api/v1/deployments`; none: disabled (at least 16 characters; secret, never logged)',
        ),
      })
      .strict()
      .prefault({}),
    github: z
      .object({
        webhookSecret: secret('secret').describe(
          'secret of the GitHub webhook at `/webhooks/github` (`X-Hub-Signature-256`); none: disabled (at least 16 characters; secret, never logged)',
        ),
      })
      .strict()
      .prefault({}),
    /** Change and alert webhooks: SNS, EventBridge, Argo CD, Alertmanager (src/changes; docs/change-events.md). */
    changeEvents: z
      .object({
        snsTopicArns: z
          .array(z.string().regex(SNS_TOPIC_ARN, { message: SNS_TOPIC_ARN_RULE }))
          .default([])
          .describe('SNS topics whose messages `POST /webhooks/sns` accepts (others 403); empty: disabled'),
        eventBridgeSecret: secret('secret').describe(
          '`X-Vigil-Secret` of `POST /webhooks/eventbridge` (an EventBridge API destination); none: disabled (at least 16 characters; secret)',
        ),
        argocdToken: secret('token').describe(
          'bearer token of `POST /webhooks/argocd`; none: disabled (at least 16 characters; secret)',
        ),
        alertmanagerToken: secret('token').describe(
          'bearer token of `POST /webhooks/alertmanager`; none: disabled (at least 16 characters; secret)',
        ),
        serviceMap: z
          .record(z.string().min(1), z.string().min(1))
          .default({})
          .describe(
            'service of a deploy, keyed by CodeDeploy `<application>/<group>` or `<application>`, CodePipeline `<pipeline>` or Argo CD `<app>`',
          ),
      })
      .strict()
      .prefault({}),
    /** Grouping and attribution (src/correlate; docs/incidents.md). */
    correlate: z
      .object({
        dependsOn: z
          .record(z.string().min(1), z.array(z.string().min(1)))
          .default({})
          .describe(
            'which services each service calls: linked services share one incident, and a deploy of a dependency is a suspect for its callers',
          ),
        lookback: duration
          .default(7_200_000)
          .describe("how long before an incident's onset a deploy may have started to be a suspect"),
        verdictWindow: duration
          .default(1_800_000)
          .describe(
            "each side of a deploy verdict's before/after comparison, which attribution shares (the after side follows the rollout; the rollout stands in only when that is too short)",
          ),
      })
      .strict()
      .prefault({}),
    /** src/sources/mapping.ts. */
    serviceRules: z
      .array(
        z
          .object({
            match: z
              .record(z.string(), z.string())
              .refine((m) => Object.keys(m).length > 0, { message: 'at least one label pattern' }),
            service: z.string().min(1),
          })
          .strict(),
      )
      .default([])
      .describe(
        'service mapping rules `{ match, service }`, first match wins; see [Service mapping](#service-mapping)',
      ),
    sources: z
      .object({
        simulator: z
          .object({
            enabled: z.boolean().default(false).describe('`vigil start` pulls a live simulated fleet'),
            seed: z.number().int().default(1).describe('its seed'),
            services: z
              .number()
              .int()
              .min(1)
              .max(12)
              .default(4)
              .describe('its size (services, plus the database they all call)'),
          })
          .strict()
          .optional(),
        replay: z
          .object({
            root: z
              .string()
              .min(1)
              .describe(
                'replay CSV files (`timestamp,value`) from this file or directory: `<root>/<service>/<metric>.csv`, `<root>/<service>.csv`, or one file',
              ),
          })
          .strict()
          .optional(),
        cloudwatch: cloudWatchOptionsSchema
          .optional()
          .describe(
            'AWS CloudWatch queries and discovery; credentials and region from the standard AWS chain (`AWS_REGION`, `AWS_PROFILE`, ...); see [AWS CloudWatch](operations.md#aws-cloudwatch-end-to-end)',
          ),
        prometheus: prometheusOptionsSchema
          .optional()
          .describe('Prometheus `query_range` queries over PromQL; see [Prometheus](operations.md#prometheus)'),
      })
      .strict()
      .prefault({}),
    /** Where incidents and verdicts go besides the log (src/notify; docs/slack.md). */
    notify: z
      .object({
        slack: z
          .object({
            botToken: z
              .string()
              .regex(/^xoxb-[\w-]+$/, { message: 'a Slack bot token starting with xoxb-' })
              .nullable()
              .default(null)
              .describe(
                'Bot User OAuth Token (`xoxb-...`); with `channel` it turns on Slack posts and the bot; none: Slack off (secret)',
              ),
            signingSecret: z
              .string()
              .min(16, {
                message:
                  "at least 16 characters: the app's signing secret (Basic Information, App Credentials; Slack's are 32 hex characters)",
              })
              .nullable()
              .default(null)
              .describe('checks requests to `POST /slack/events` (HTTP mode; secret; at least 16 characters)'),
            appToken: z
              .string()
              .regex(/^xapp-[\w-]+$/, { message: 'a Slack app-level token starting with xapp-' })
              .nullable()
              .default(null)
              .describe(
                'app-level token (`xapp-...`): Socket Mode instead of `POST /slack/events` (secret); `vigil start` needs this or `signingSecret`',
              ),
            channel: z
              .string()
              .min(1)
              .nullable()
              .default(null)
              .describe(
                'default channel of incident posts and verdicts (ID such as `C0123456789`, or `#name`); required with `botToken`',
              ),
            routes: z
              .array(
                z
                  .object({
                    service: z.string().min(1),
                    minSeverity: z.enum(['low', 'medium', 'high', 'critical']).default('low'),
                    channel: z.string().min(1),
                  })
                  .strict(),
              )
              .default([])
              .describe(
                '`{ service, minSeverity, channel }`: incidents of services matching the glob at or above `minSeverity` (default `low`) go to `channel`; first match wins, see [Slack](slack.md#channel-routing)',
              ),
            stormPerMinute: z
              .number()
              .int()
              .min(1)
              .max(1000)
              .default(5)
              .describe(
                'top-level posts (incidents, verdicts, digests) a minute per channel before one summary message takes the rest (storm mode)',
              ),
            verdicts: z
              .enum(['digest', 'channel', 'off'])
              .default('digest')
              .describe(
                'pass and marginal deploy verdicts: `digest` (one hourly message per channel, edited as they come), `channel` (each posted) or `off`; failed ones always go to the thread of the incident they caused, else the channel',
              ),
            apiUrl: url(['https:', 'http:'])
              .nullable()
              .default(null)
              .describe(
                'Web API base URL ending in `/api/` (a proxy, or a loopback fake in tests); none: `https://slack.com/api/`',
              ),
          })
          .strict()
          .prefault({}),
        sns: z
          .object({
            topicArn: z
              .string()
              .regex(SNS_TOPIC_ARN, { message: SNS_TOPIC_ARN_RULE })
              .nullable()
              .default(null)
              .describe(
                'topic incidents and deploy verdicts are published to (JSON, with severity/service/type attributes); none: SNS off; see [SNS fan-out](slack.md#sns-fan-out)',
              ),
            region: z
              .string()
              .regex(AWS_REGION, { message: AWS_REGION_RULE })
              .nullable()
              .default(null)
              .describe("region of the SNS topic; none: the topic ARN's region"),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Playbooks and fixes (src/remediate; docs/playbooks.md). */
    remediation: z
      .object({
        mode: z
          .enum(['off', 'dry-run', 'on'])
          .default('dry-run')
          .describe(
            '`off` (nothing planned or run), `dry-run` (plan, approve and audit; write steps never run) or `on`; see [Playbooks](playbooks.md)',
          ),
        /** Absolute after loadConfig (withAbsolutePaths). */
        playbooksDir: z
          .string()
          .min(1)
          .default(BUILTIN_PLAYBOOKS)
          .describe('directory of playbook YAML files; a relative path in `vigil.yaml` is relative to that file'),
        webhookHosts: z
          .array(z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, { message: 'a host name, optionally with :port' }))
          .default([])
          .describe('hosts (`host` or `host:port`) `http.webhook` steps may POST to, exactly'),
        localCommands: z
          .array(z.string().regex(/^[A-Za-z0-9_./-]{1,256}$/, { message: 'an executable name or path' }))
          .default([])
          .describe('executables `local.command` steps may run, exactly as written in playbooks'),
        awsRegion: z
          .string()
          .regex(AWS_REGION, { message: AWS_REGION_RULE })
          .nullable()
          .default(null)
          .describe("region of the AWS actions; none: the SDK's default chain (`AWS_REGION`, profile)"),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
