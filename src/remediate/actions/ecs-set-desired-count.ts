/**
 * ecs.set-desired-count: sets how many tasks an ECS service runs.
 * Inputs: cluster, service, count (0..1000). Effects: UpdateService desiredCount.
 * IAM: ecs:UpdateService. Failure modes: AWS errors become ok=false with the reason.
 */
import { z } from 'zod';
import type { Action } from '../types.js';
import { awsOptions, awsReason } from './aws.js';
import { AWS_NAME, ident } from './params.js';

const params = z
  .object({
    cluster: ident(AWS_NAME, 'cluster'),
    service: ident(AWS_NAME, 'service'),
    count: z.number().int().min(0).max(1000),
  })
  .strict();
type Params = z.output<typeof params>;

export const ecsSetDesiredCount: Action<Params> = {
  name: 'ecs.set-desired-count',
  effect: 'write',
  params,
  plan: (p) => [`set the desired task count of ECS service ${p.cluster}/${p.service} to ${p.count}`],
  async run(p, ctx) {
    const { ECSClient, UpdateServiceCommand } = await import('@aws-sdk/client-ecs');
    const client = new ECSClient(awsOptions(ctx));
    try {
      const out = await client.send(
        new UpdateServiceCommand({ cluster: p.cluster, service: p.service, desiredCount: p.count }),
        { abortSignal: ctx.signal },
      );
      return {
        ok: true,
        summary: `desired count of ${p.cluster}/${p.service} is now ${out.service?.desiredCount ?? p.count}`,
      };
    } catch (err) {
      return { ok: false, summary: `UpdateService ${p.cluster}/${p.service} failed: ${awsReason(err)}` };
    } finally {
      client.destroy();
    }
  },
};
