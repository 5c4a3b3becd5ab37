/**
 * Every action name with its effect, without loading any SDK: the playbook
 * schema derives each step's effect from here (and refuses auto approval of
 * write steps). actions/index.ts holds the implementations; a test asserts
 * the two agree.
 */
export const ACTION_EFFECTS = {
  'codedeploy.stop-with-rollback': 'write',
  'codedeploy.redeploy-last-good': 'write',
  'ecs.force-new-deployment': 'write',
  'ecs.set-desired-count': 'write',
  'autoscaling.set-desired-capacity': 'write',
  'lambda.rollback-alias': 'write',
  'ssm.run-command': 'write',
  'ssm.start-automation': 'write',
  'kubectl.rollout-undo': 'write',
  'kubectl.rollout-restart': 'write',
  'http.webhook': 'write',
  'local.command': 'write',
  'wait-and-verify': 'read',
} as const;

export type ActionName = keyof typeof ACTION_EFFECTS;
export const ACTION_NAMES = Object.keys(ACTION_EFFECTS) as [ActionName, ...ActionName[]];
