/**
 * ecs.force-new-deployment: replaces every task of an ECS service (a rolling restart).
 * Inputs: cluster, service. Effects: UpdateService with forceNewDeployment.
 * IAM: ecs:UpdateService. Failure modes: AWS errors become ok=false with the reason.
 */
import { z } from 'zod';
import type { Action } from '../types.js';
import { awsOptions, awsReason } from './aws.js';
import { AWS_NAME, ident } from './params.js';

const params = z.object({ cluster: ident(AWS_NAME, 'cluster'), service: ident(AWS_NAME, 'service') }).strict();
type Params = z.output<typeof params>;

export const ecsForceNewDeployment: Action<Params> = {
  name: 'ecs.force-new-deployment',
  effect: 'write',
  params,
  plan: (p) => [`start a new deployment of ECS service ${p.cluster}/${p.service} (every task replaced, rolling)`],
  async run(p, ctx) {
    const { ECSClient, UpdateServiceCommand } = await import('@aws-sdk/client-ecs');
    const client = new ECSClient(awsOptions(ctx));
    try {
      const out = await client.send(
        new UpdateServiceCommand({ cluster: p.cluster, service: p.service, forceNewDeployment: true }),
        { abortSignal: ctx.signal },
      );
      return {
        ok: true,
        summary: `new deployment of ${p.cluster}/${p.service} started (${out.service?.deployments?.length ?? 0} deployments active)`,
      };
    } catch (err) {
      return { ok: false, summary: `UpdateService ${p.cluster}/${p.service} failed: ${awsReason(err)}` };
    } finally {
      client.destroy();
    }
  },
};
