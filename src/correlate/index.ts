/**
 * Change events (deployments) in: the verified HTTP routes, the body
 * schemas and their mapping to the normalised Deployment.
 */
export { deploymentRoutes, type DeploymentRouteOptions } from './events/api.js';
export {
  deploymentBodySchema, deploymentFromBody, deploymentFromGithub, describeIssue, githubDeploymentStatusSchema,
  type DeploymentBody, type GithubDeploymentStatus,
} from './events/schema.js';
export { bearerCheck, secretCheck, verifyGithubSignature } from './events/verify.js';
/** Change and alert webhooks: SNS, EventBridge, Argo CD, Alertmanager (docs/change-events.md). */
export { changeEventRoutes, type ChangeEventRouteOptions, type ChangeEventStore } from './events/routes.js';
export type { SnsTrustOptions } from './events/sns.js';
export { SNS_HOST, snsVerifier, trustedUrl, type SnsVerdict } from './events/sns-verify.js';
export { parseSnsMessage, snsStringToSign, type SnsMessage } from './events/sns-message.js';
export { mapEventBridgeEvent, type EventBridgeEvent } from './events/aws-events.js';
export { alarmFromNative } from './events/cloudwatch-alarm.js';
export { mapArgoEvent, type ArgoEvent } from './events/argo.js';
export { alertmanagerPayloadSchema, alertsFromAlertmanager, type AlertmanagerPayload } from './events/alertmanager.js';
export { alertTimelineEntry, recordAlert, type AlertOutcome, type AlertStore } from './events/alerts.js';
export type { Mapped, ServiceMap } from './events/mapped.js';
/** Grouping of linked services, suspect ranking and deploy verdicts. */
export { compileLinks, type ServiceLinks } from './links.js';
export { attributeIncident, type AttributeDeps } from './attribution/attribute.js';
export { newChangeCause } from './attribution/new-cause.js';
export { judgeReadyDeploys, type VerdictDeps } from './attribution/verdicts.js';
export { rankSuspects, MIN_CONFIDENCE, type Attribution, type AttributionInput, type IncidentSeries, type NeighbourSeries } from './attribution/rank.js';
export { judgeDeploy, type VerdictInput, type VerdictSeries } from './attribution/verdict.js';
export { mannWhitney, type UTest } from './attribution/mann-whitney.js';
