/**
 * autoscaling.set-desired-capacity: sets an EC2 Auto Scaling group's desired capacity,
 * either to `capacity` or to the current value plus `increaseBy`, clamped to the
 * group's min and max. Effects: DescribeAutoScalingGroups, then SetDesiredCapacity
 * (HonorCooldown false: a fix should not wait for a cooldown). IAM:
 * autoscaling:DescribeAutoScalingGroups, autoscaling:SetDesiredCapacity.
 * Failure modes: group missing, or AWS errors: ok=false with the reason.
 */
import { z } from 'zod';
import type { Action } from '../types.js';
import { awsOptions, awsReason } from './aws.js';
import { ident } from './params.js';

const params = z
  .object({
    group: ident(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,254}$/, 'group'),
    capacity: z.number().int().min(0).max(10_000).optional(),
    increaseBy: z.number().int().min(-10_000).max(10_000).optional(),
  })
  .strict()
  .refine((p) => (p.capacity === undefined) !== (p.increaseBy === undefined), {
    message: 'give exactly one of capacity or increaseBy',
  });
type Params = z.output<typeof params>;

const target = (p: Params) =>
  p.capacity !== undefined ? `${p.capacity}` : `current ${p.increaseBy! >= 0 ? '+' : '-'} ${Math.abs(p.increaseBy!)}`;

export const autoscalingSetDesired: Action<Params> = {
  name: 'autoscaling.set-desired-capacity',
  effect: 'write',
  params,
  plan: (p) => [
    `set the desired capacity of Auto Scaling group ${p.group} to ${target(p)}, kept within the group's min and max`,
  ],
  async run(p, ctx) {
    const { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } =
      await import('@aws-sdk/client-auto-scaling');
    const client = new AutoScalingClient(awsOptions(ctx));
    const opts = { abortSignal: ctx.signal };
    try {
      const out = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [p.group] }), opts);
      const g = out.AutoScalingGroups?.[0];
      if (!g) return { ok: false, summary: `Auto Scaling group ${p.group} not found` };
      const current = g.DesiredCapacity ?? 0;
      const wanted = p.capacity ?? current + (p.increaseBy ?? 0);
      const desired = Math.min(g.MaxSize ?? wanted, Math.max(g.MinSize ?? 0, wanted));
      await client.send(
        new SetDesiredCapacityCommand({
          AutoScalingGroupName: p.group,
          DesiredCapacity: desired,
          HonorCooldown: false,
        }),
        opts,
      );
      const clamped = desired !== wanted ? ` (asked ${wanted}, kept within min ${g.MinSize} / max ${g.MaxSize})` : '';
      return {
        ok: true,
        summary: `desired capacity of ${p.group}: ${current} -> ${desired}${clamped}`,
        data: { previous: current, desired },
      };
    } catch (err) {
      return { ok: false, summary: `setting the capacity of ${p.group} failed: ${awsReason(err)}` };
    } finally {
      client.destroy();
    }
  },
};
