/**
 * Change events (deployments) in: the verified HTTP routes, the body
 * schemas and their mapping to the normalised Deployment.
 */
export { deploymentRoutes, type DeploymentRouteOptions } from './events/api.js';
export {
  deploymentBodySchema, deploymentFromBody, deploymentFromGithub, describeIssue, githubDeploymentStatusSchema,
  type DeploymentBody, type GithubDeploymentStatus,
} from './events/schema.js';
export { bearerCheck, DeliveryLog, verifyGithubSignature } from './events/verify.js';
