/**
 * Change-event bodies, checked at the boundary, and their mapping to the
 * normalised Deployment. Pure: no I/O. A bad body is refused whole with the
 * first problem named by its path (e.g. `deployment_status.state`).
 * The GitHub schema is not strict (GitHub sends many more fields); the
 * API body is (an unknown field is a typo worth refusing).
 */
import { z } from 'zod';
import { describeIssue, nameSchema, timestampSchema, type Deployment, type DeploymentStatus } from '../domain/index.js';

const timestamp = timestampSchema;
const name = nameSchema;
const text = z.string().min(1).max(500);
const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2000);

export const deploymentBodySchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\w.:/@-]+$/, 'letters, digits and _ . : / @ -')
      .optional(),
    service: name,
    environment: name.default('production'),
    version: text.optional(),
    startedAt: timestamp.optional(),
    finishedAt: timestamp.optional(),
    status: z.enum(['started', 'succeeded', 'failed', 'stopped']).default('succeeded'),
    actor: text.optional(),
    url: httpUrl.optional(),
    strategy: z.enum(['all-at-once', 'rolling', 'blue-green', 'canary', 'linear']).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.finishedAt !== undefined && b.startedAt !== undefined && b.finishedAt < b.startedAt) {
      ctx.addIssue({ code: 'custom', path: ['finishedAt'], message: 'before startedAt' });
    }
  });

export type DeploymentBody = z.input<typeof deploymentBodySchema>;

/** A parsed API/CLI body as a Deployment; `now` fills a missing startedAt. */
export function deploymentFromBody(b: z.output<typeof deploymentBodySchema>, source: string, now: number): Deployment {
  const startedAt = b.startedAt ?? now;
  return {
    id: b.id ?? `${source}-${b.service}-${startedAt}`,
    service: b.service,
    environment: b.environment,
    version: b.version ?? null,
    startedAt,
    finishedAt: b.finishedAt ?? null,
    status: b.status,
    actor: b.actor ?? null,
    source,
    url: b.url ?? null,
    strategy: b.strategy ?? null,
  };
}

const STATE: Record<string, DeploymentStatus> = {
  success: 'succeeded',
  failure: 'failed',
  error: 'failed',
  in_progress: 'started',
  queued: 'started',
  pending: 'started',
  inactive: 'stopped',
};

const optionalString = z.string().nullish();

/** The parts of a GitHub `deployment_status` event Vigil reads. */
export const githubDeploymentStatusSchema = z
  .object({
    deployment: z.object({
      id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'a numeric id')]),
      environment: z.string().min(1).max(200),
      ref: optionalString,
      sha: optionalString,
      created_at: z.iso.datetime({ offset: true }),
      creator: z.object({ login: z.string().min(1) }).nullish(),
      payload: z.unknown().optional(),
    }),
    deployment_status: z.object({
      state: z.string().refine((s) => s in STATE, { message: `one of ${Object.keys(STATE).join(', ')}` }),
      updated_at: z.iso.datetime({ offset: true }).nullish(),
      created_at: z.iso.datetime({ offset: true }).nullish(),
      target_url: optionalString,
      log_url: optionalString,
    }),
    repository: z.object({ name: z.string().min(1).max(200) }),
  })
  .superRefine((e, ctx) => {
    const service = payloadService(e.deployment.payload);
    if (service !== undefined && !name.safeParse(service).success) {
      ctx.addIssue({
        code: 'custom',
        path: ['deployment', 'payload', 'service'],
        message: 'a service name: letters, digits and _ . : / -',
      });
    }
  });

/** `deployment.payload.service` when the payload is an object that has one. */
function payloadService(p: unknown): unknown {
  return p && typeof p === 'object' && 'service' in p ? (p as { service?: unknown }).service : undefined;
}

export type GithubDeploymentStatus = z.output<typeof githubDeploymentStatusSchema>;

/**
 * A tag-like ref (`v1.2.3`, `2026.01.5`) names the version; a branch ref
 * (`main`) does not, so the commit sha is used then.
 */
function versionOf(d: GithubDeploymentStatus['deployment']): string | null {
  const ref = d.ref || null;
  const sha = d.sha || null;
  if (ref && /^(refs\/tags\/)?v?\d/.test(ref)) return ref.replace(/^refs\/tags\//, '');
  return sha ?? ref;
}

function serviceOf(e: GithubDeploymentStatus): string {
  const s = payloadService(e.deployment.payload);
  return typeof s === 'string' && s.length > 0 ? s : e.repository.name;
}

/** Every status of one GitHub deployment maps to the same id, so later ones update it. */
export function deploymentFromGithub(e: GithubDeploymentStatus): Deployment {
  const status = STATE[e.deployment_status.state] ?? 'started';
  const terminal = status !== 'started';
  const finished = e.deployment_status.updated_at ?? e.deployment_status.created_at ?? null;
  return {
    id: `github-${e.deployment.id}`,
    service: serviceOf(e),
    environment: e.deployment.environment,
    version: versionOf(e.deployment),
    startedAt: Date.parse(e.deployment.created_at),
    finishedAt: terminal && finished ? Date.parse(finished) : null,
    status,
    actor: e.deployment.creator?.login ?? null,
    source: 'github',
    url: e.deployment_status.target_url || e.deployment_status.log_url || null,
    strategy: null,
  };
}

export { describeIssue };
