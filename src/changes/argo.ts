/**
 * Argo CD sync operations as Deployments. Pure. Argo CD notifications send
 * whatever JSON template the user configures; Vigil reads the template
 * docs/change-events.md gives (fields below). Go templates render a missing value as
 * "<no value>" or "", both read as absent.
 *
 * Id: `argocd-<app>-<revision>`, else `argocd-<app>-<operationId>` (multi-source
 * apps have no single revision). Status from the operation phase: Running ->
 * started, Succeeded -> succeeded, Failed and Error -> failed; other phases
 * (Terminating) are ignored. Service: serviceMap[app], else the app name;
 * environment: the destination namespace.
 */
import { z } from 'zod';
import type { DeploymentStatus } from '../domain/index.js';
import { invalidAt, looseTime, type Mapped, type ServiceMap } from './mapped.js';

const absent = (v: unknown) => (v === '' || v === '<no value>' || v === null ? undefined : v);
const field = z.preprocess(absent, z.string().max(500).optional());
const time = z.preprocess(absent, looseTime.optional());

export const argoEventSchema = z.object({
  app: z.string().min(1).max(253),
  project: field,
  revision: field,
  operationId: field,
  phase: z.string().min(1).max(50),
  syncStatus: field,
  healthStatus: field,
  startedAt: time,
  finishedAt: time,
  repoURL: field,
  author: field,
  namespace: field,
  url: field,
});

export type ArgoEvent = z.output<typeof argoEventSchema>;

const PHASE: Record<string, DeploymentStatus> = {
  Running: 'started',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Error: 'failed',
};

/** `now` stands in for a start or finish time the template left out. */
export function mapArgoEvent(body: unknown, serviceMap: ServiceMap, now: number): Mapped {
  const parsed = argoEventSchema.safeParse(body);
  if (!parsed.success) return invalidAt('', parsed.error);
  const e = parsed.data;
  const status = PHASE[e.phase];
  if (!status) return { kind: 'ignored', reason: `Argo CD phase ${e.phase} is not tracked` };
  const key = e.revision ?? e.operationId;
  if (!key)
    return { kind: 'invalid', message: 'revision: required (or operationId when the app has no single revision)' };
  const startedAt = e.startedAt ?? now;
  return {
    kind: 'deployment',
    deployment: {
      id: `argocd-${e.app}-${key}`,
      service: serviceMap[e.app] ?? e.app,
      environment: e.namespace ?? 'production',
      version: e.revision ?? null,
      startedAt,
      finishedAt: status === 'started' ? null : Math.max(e.finishedAt ?? now, startedAt),
      status,
      actor: e.author ?? null,
      source: 'argocd',
      url: e.url && /^https?:\/\//.test(e.url) ? e.url : null,
      strategy: null,
    },
  };
}
