/**
 * Reads the environment and an optional vigil.yaml once into one frozen
 * Config. Inputs: `env` (normally process.env) and the file named by
 * VIGIL_CONFIG, else ./vigil.yaml when present. Environment variables win
 * over the file. Failure: a ConfigError whose one-line message names the key,
 * where it came from, the value (secrets masked) and what is expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { VigilError } from '../domain/errors.js';
import { configSchema, type Config } from './schema.js';
import { maskSecrets } from './secrets.js';

export class ConfigError extends VigilError {
  constructor(message: string) {
    super('E_CONFIG', message);
  }
}

/**
 * Environment variable -> config path, and how to read its text. The one
 * list of variable names: docs/configuration.md is generated from it.
 */
export const ENV_KEYS: Readonly<
  Record<string, { readonly path: readonly string[]; readonly type: 'string' | 'number' | 'boolean' }>
> = {
  DATABASE_URL: { path: ['databaseUrl'], type: 'string' },
  REDIS_URL: { path: ['redisUrl'], type: 'string' },
  VIGIL_DATA_DIR: { path: ['dataDir'], type: 'string' },
  VIGIL_QUEUE_PREFIX: { path: ['queue', 'prefix'], type: 'string' },
  VIGIL_QUEUE_LANES: { path: ['queue', 'lanes'], type: 'number' },
  VIGIL_HTTP_HOST: { path: ['http', 'host'], type: 'string' },
  VIGIL_HTTP_PORT: { path: ['http', 'port'], type: 'number' },
  LOG_LEVEL: { path: ['log', 'level'], type: 'string' },
  VIGIL_DETECTOR: { path: ['detection', 'detector'], type: 'string' },
  VIGIL_THRESHOLD: { path: ['detection', 'threshold'], type: 'number' },
  VIGIL_LEARNED: { path: ['detection', 'learned'], type: 'string' },
  VIGIL_WORKER_CONCURRENCY: { path: ['worker', 'concurrency'], type: 'number' },
  VIGIL_WORKER_METRICS_PORT: { path: ['worker', 'metricsPort'], type: 'number' },
  VIGIL_LIVE_DETECTORS: { path: ['worker', 'liveDetectors'], type: 'number' },
  VIGIL_PUSH_TOKEN: { path: ['push', 'token'], type: 'string' },
  VIGIL_PUSH_SHARDS: { path: ['push', 'shards'], type: 'number' },
  VIGIL_PUSH_BATCH_SERIES: { path: ['push', 'batchSeries'], type: 'number' },
  PROMETHEUS_URL: { path: ['sources', 'prometheus', 'url'], type: 'string' },
  VIGIL_DEPLOY_TOKEN: { path: ['deploy', 'token'], type: 'string' },
  VIGIL_GITHUB_WEBHOOK_SECRET: { path: ['github', 'webhookSecret'], type: 'string' },
  VIGIL_EVENTBRIDGE_SECRET: { path: ['changeEvents', 'eventBridgeSecret'], type: 'string' },
  VIGIL_ARGOCD_TOKEN: { path: ['changeEvents', 'argocdToken'], type: 'string' },
  VIGIL_ALERTMANAGER_TOKEN: { path: ['changeEvents', 'alertmanagerToken'], type: 'string' },
  VIGIL_REMEDIATION: { path: ['remediation', 'mode'], type: 'string' },
  SLACK_BOT_TOKEN: { path: ['notify', 'slack', 'botToken'], type: 'string' },
  SLACK_SIGNING_SECRET: { path: ['notify', 'slack', 'signingSecret'], type: 'string' },
  SLACK_APP_TOKEN: { path: ['notify', 'slack', 'appToken'], type: 'string' },
  SLACK_CHANNEL: { path: ['notify', 'slack', 'channel'], type: 'string' },
  SLACK_API_URL: { path: ['notify', 'slack', 'apiUrl'], type: 'string' },
  VIGIL_SNS_TOPIC_ARN: { path: ['notify', 'sns', 'topicArn'], type: 'string' },
};
/** Read by other parts of the config step or reserved, not mapped to keys. */
export const OTHER_VIGIL_VARS = new Set(['VIGIL_CONFIG']);

type Json = Record<string, unknown>;

function setPath(obj: Json, path: readonly string[], value: unknown): void {
  let node = obj;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1]!] = value;
}

function getPath(obj: unknown, path: PropertyKey[]): unknown {
  let node = obj;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function envValue(name: string, text: string, type: 'string' | 'number' | 'boolean'): unknown {
  if (type === 'string') return text === '' ? null : text;
  if (type === 'boolean')
    return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : text;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

function readFile(path: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`config: cannot read ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config: ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError(`config: ${path} must hold a mapping of keys at the top level`);
  return doc as Json;
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): Config {
  const explicit = env.VIGIL_CONFIG;
  const file = explicit ? resolve(cwd, explicit) : resolve(cwd, 'vigil.yaml');
  if (explicit && !existsSync(file)) throw new ConfigError(`config: VIGIL_CONFIG names ${file}, which does not exist`);
  const raw: Json = existsSync(file) ? readFile(file) : {};
  const origin = new Map<string, string>();

  for (const [name, text] of Object.entries(env)) {
    if (text === undefined) continue;
    const spec = ENV_KEYS[name];
    if (spec) {
      setPath(raw, spec.path, envValue(name, text, spec.type));
      origin.set(spec.path.join('.'), name);
    } else if (name.startsWith('VIGIL_') && !OTHER_VIGIL_VARS.has(name)) {
      throw new ConfigError(
        `config: unknown environment variable ${name}; known: ${[...OTHER_VIGIL_VARS, ...Object.keys(ENV_KEYS).filter((k) => k.startsWith('VIGIL_'))].join(', ')}`,
      );
    }
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const where = key ? `${key}.` : '';
      throw new ConfigError(
        `config: unknown key ${issue.keys.map((k) => where + k).join(', ')} in ${existsSync(file) ? file : 'the environment'}`,
      );
    }
    const from = origin.get(key) ?? (existsSync(file) ? file : 'defaults');
    const secret = /token|secret|password/i.test(key);
    // An empty variable reads as "unset" (null); say what was written, not null.
    const written = origin.has(key) && env[origin.get(key)!] === '' ? '' : getPath(raw, issue.path);
    const value = secret ? '"***"' : maskSecrets(JSON.stringify(written) ?? 'nothing');
    throw new ConfigError(`config: ${key} = ${value} (from ${from}): expected ${describeExpected(issue.message)}`);
  }
  return deepFreeze(withAbsolutePaths(parsed.data, raw, dirname(file)));
}

/**
 * Paths a person writes in vigil.yaml are relative to that file, so a
 * service started from any directory reads the same playbooks; the default
 * is already absolute (the shipped playbooks/).
 */
function withAbsolutePaths(config: Config, raw: Json, fileDir: string): Config {
  const written = getPath(raw, ['remediation', 'playbooksDir']);
  if (typeof written !== 'string') return config;
  return { ...config, remediation: { ...config.remediation, playbooksDir: resolve(fileDir, written) } };
}

/** The process's own environment and working directory: what commands use. */
export function loadConfigFromProcess(): Config {
  return loadConfig(process.env, process.cwd());
}

function describeExpected(message: string): string {
  return message.replace(/^Invalid input: expected /, '').replace(/^Invalid option: expected one of /, 'one of ');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
