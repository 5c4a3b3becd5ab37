/**
 * EventBridge events (received directly or inside an SNS notification)
 * mapped to Vigil's records. Pure. CodeDeploy and CodePipeline state
 * changes become Deployments; CloudWatch alarm state changes become alerts
 * (cloudwatch-alarm.ts); every other detail-type is ignored.
 *
 * Ids are stable per deploy, so every state of one deploy updates the same
 * record: `codedeploy-<deploymentId>`, `codepipeline-<pipeline>-<execution-id>`.
 * The service comes from the service map (`"<application>/<group>"`, then
 * `"<application>"`; `"<pipeline>"`), else the application / pipeline name.
 * startedAt is the event time (the store keeps the earliest one it saw);
 * finishedAt is the event time of a terminal state.
 */
import { z } from 'zod';
import type { Deployment, DeploymentStatus } from '../domain/index.js';
import { alarmFromEventBridge } from './cloudwatch-alarm.js';
import { invalidAt, looseTime, nonEmpty, type Mapped, type ServiceMap } from './mapped.js';

export const eventBridgeEventSchema = z.object({
  id: z.string().min(1).max(200),
  'detail-type': z.string().min(1).max(200),
  source: z.string().min(1).max(200),
  account: z.string().max(50).optional(),
  time: looseTime,
  region: z.string().max(50).optional(),
  resources: z.array(z.string()).optional(),
  detail: z.record(z.string(), z.unknown()),
});

export type EventBridgeEvent = z.output<typeof eventBridgeEventSchema>;

const CODEDEPLOY: Record<string, DeploymentStatus> = {
  START: 'started',
  READY: 'started',
  SUCCESS: 'succeeded',
  FAILURE: 'failed',
  STOP: 'stopped',
};
const CODEPIPELINE: Record<string, DeploymentStatus> = {
  STARTED: 'started',
  RESUMED: 'started',
  STOPPING: 'started',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  STOPPED: 'stopped',
  CANCELED: 'stopped',
  SUPERSEDED: 'stopped',
};

const codeDeployDetail = z.object({
  deploymentId: nonEmpty,
  application: nonEmpty,
  deploymentGroup: nonEmpty,
  state: nonEmpty,
});
const codePipelineDetail = z.object({ pipeline: nonEmpty, 'execution-id': nonEmpty, state: nonEmpty });

/** Parses and maps one EventBridge event; `prefix` names where it sat (e.g. `Message` inside SNS). */
export function mapEventBridgeEvent(body: unknown, serviceMap: ServiceMap, prefix = ''): Mapped {
  const parsed = eventBridgeEventSchema.safeParse(body);
  if (!parsed.success) return invalidAt(prefix, parsed.error);
  const e = parsed.data;
  const at = (p: string) => (prefix ? `${prefix}.${p}` : p);
  switch (e['detail-type']) {
    case 'CodeDeploy Deployment State-change Notification':
      return codeDeploy(e, serviceMap, at('detail'));
    case 'CodePipeline Pipeline Execution State Change':
      return codePipeline(e, serviceMap, at('detail'));
    case 'CloudWatch Alarm State Change':
      return alarmFromEventBridge(e, at('detail'));
    default:
      return { kind: 'ignored', reason: `detail-type "${e['detail-type']}" is not tracked` };
  }
}

function codeDeploy(e: EventBridgeEvent, serviceMap: ServiceMap, prefix: string): Mapped {
  const parsed = codeDeployDetail.safeParse(e.detail);
  if (!parsed.success) return invalidAt(prefix, parsed.error);
  const d = parsed.data;
  const status = CODEDEPLOY[d.state];
  if (!status) return { kind: 'ignored', reason: `CodeDeploy state ${d.state} is not tracked` };
  const region = e.region ?? 'us-east-1';
  return deployment(e, status, {
    id: `codedeploy-${d.deploymentId}`,
    service: serviceMap[`${d.application}/${d.deploymentGroup}`] ?? serviceMap[d.application] ?? d.application,
    environment: d.deploymentGroup,
    source: 'codedeploy',
    url: `https://${region}.console.aws.amazon.com/codesuite/codedeploy/deployments/${encodeURIComponent(d.deploymentId)}?region=${region}`,
  });
}

function codePipeline(e: EventBridgeEvent, serviceMap: ServiceMap, prefix: string): Mapped {
  const parsed = codePipelineDetail.safeParse(e.detail);
  if (!parsed.success) return invalidAt(prefix, parsed.error);
  const d = parsed.data;
  const status = CODEPIPELINE[d.state];
  if (!status) return { kind: 'ignored', reason: `CodePipeline state ${d.state} is not tracked` };
  const region = e.region ?? 'us-east-1';
  const execution = d['execution-id'];
  return deployment(e, status, {
    id: `codepipeline-${d.pipeline}-${execution}`,
    service: serviceMap[d.pipeline] ?? d.pipeline,
    environment: 'production',
    source: 'codepipeline',
    url: `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(d.pipeline)}/executions/${encodeURIComponent(execution)}/timeline?region=${region}`,
  });
}

function deployment(
  e: EventBridgeEvent,
  status: DeploymentStatus,
  d: Pick<Deployment, 'id' | 'service' | 'environment' | 'source' | 'url'>,
): Mapped {
  return {
    kind: 'deployment',
    deployment: {
      ...d,
      version: null,
      startedAt: e.time,
      finishedAt: status === 'started' ? null : e.time,
      status,
      actor: null,
      strategy: null,
    },
  };
}
