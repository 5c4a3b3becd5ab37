/**
 * codedeploy.stop-with-rollback: stops a CodeDeploy deployment and rolls it back.
 * Inputs: deploymentId (d-XXXXXXXXX, or {{suspect.deploymentId}}).
 * Effects: StopDeployment with autoRollbackEnabled. IAM: codedeploy:StopDeployment.
 * Failure modes: AWS errors become ok=false with the reason; never retried here.
 */
import { z } from 'zod';
import type { Action } from '../types.js';
import { awsOptions, awsReason } from './aws.js';
import { ident } from './params.js';

const params = z.object({ deploymentId: ident(/^d-[A-Z0-9]{9}$/, 'deploymentId', 11 + 30) }).strict();
type Params = z.output<typeof params>;

export const codedeployStop: Action<Params> = {
  name: 'codedeploy.stop-with-rollback',
  effect: 'write',
  params,
  plan: (p) => [`stop CodeDeploy deployment ${p.deploymentId} and roll back to the previous revision`],
  async run(p, ctx) {
    const { CodeDeployClient, StopDeploymentCommand } = await import('@aws-sdk/client-codedeploy');
    const client = new CodeDeployClient(awsOptions(ctx));
    try {
      const out = await client.send(
        new StopDeploymentCommand({ deploymentId: p.deploymentId, autoRollbackEnabled: true }),
        { abortSignal: ctx.signal },
      );
      return {
        ok: true,
        summary: `stopped ${p.deploymentId} with rollback: ${out.status ?? 'unknown'}${out.statusMessage ? ` (${out.statusMessage})` : ''}`,
        data: { status: out.status ?? null },
      };
    } catch (err) {
      return { ok: false, summary: `StopDeployment ${p.deploymentId} failed: ${awsReason(err)}` };
    } finally {
      client.destroy();
    }
  },
};
