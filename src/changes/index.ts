/**
 * Change events (deployments) and alerts in: the verified HTTP routes, the
 * body schemas and their mapping to the normalised Deployment.
 */
export { deploymentRoutes, type DeploymentRouteOptions } from './api.js';
export {
  deploymentBodySchema,
  deploymentFromBody,
  deploymentFromGithub,
  describeIssue,
  githubDeploymentStatusSchema,
  type DeploymentBody,
  type GithubDeploymentStatus,
} from './schema.js';
export { bearerCheck, secretCheck, verifyGithubSignature } from './verify.js';
/** Change and alert webhooks: SNS, EventBridge, Argo CD, Alertmanager (docs/change-events.md). */
export { changeEventRoutes, type ChangeEventRouteOptions, type ChangeEventStore } from './routes.js';
export type { SnsTrustOptions } from './sns.js';
export { SNS_HOST, snsVerifier, trustedUrl, type SnsVerdict } from './sns-verify.js';
export { parseSnsMessage, snsStringToSign, type SnsMessage } from './sns-message.js';
export { mapEventBridgeEvent, type EventBridgeEvent } from './aws-events.js';
export { alarmFromNative } from './cloudwatch-alarm.js';
export { mapArgoEvent, type ArgoEvent } from './argo.js';
export { alertmanagerPayloadSchema, alertsFromAlertmanager, type AlertmanagerPayload } from './alertmanager.js';
export { alertTimelineEntry, recordAlert, type AlertOutcome, type AlertStore } from './alerts.js';
export type { Mapped, ServiceMap } from './mapped.js';
