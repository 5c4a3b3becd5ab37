/** Every built-in action by name. The playbook loader checks step params against these. */
import type { AnyAction } from '../types.js';
import { autoscalingSetDesired } from './autoscaling-set-desired.js';
import type { ActionName } from './catalog.js';
import { codedeployRedeploy } from './codedeploy-redeploy.js';
import { codedeployStop } from './codedeploy-stop.js';
import { ecsForceNewDeployment } from './ecs-force-new-deployment.js';
import { ecsSetDesiredCount } from './ecs-set-desired-count.js';
import { httpWebhook } from './http-webhook.js';
import { kubectlRolloutRestart, kubectlRolloutUndo } from './kubectl.js';
import { lambdaRollbackAlias } from './lambda-rollback-alias.js';
import { localCommand } from './local-command.js';
import { ssmRunCommand } from './ssm-run-command.js';
import { ssmStartAutomation } from './ssm-start-automation.js';
import { waitAndVerify } from './wait-and-verify.js';

export const ACTIONS: Readonly<Record<ActionName, AnyAction>> = {
  'codedeploy.stop-with-rollback': codedeployStop,
  'codedeploy.redeploy-last-good': codedeployRedeploy,
  'ecs.force-new-deployment': ecsForceNewDeployment,
  'ecs.set-desired-count': ecsSetDesiredCount,
  'autoscaling.set-desired-capacity': autoscalingSetDesired,
  'lambda.rollback-alias': lambdaRollbackAlias,
  'ssm.run-command': ssmRunCommand,
  'ssm.start-automation': ssmStartAutomation,
  'kubectl.rollout-undo': kubectlRolloutUndo,
  'kubectl.rollout-restart': kubectlRolloutRestart,
  'http.webhook': httpWebhook,
  'local.command': localCommand,
  'wait-and-verify': waitAndVerify,
};

export { ACTION_EFFECTS, ACTION_NAMES, type ActionName } from './catalog.js';
export { resolvePlaceholders, hasPlaceholder } from './params.js';
