/**
 * codedeploy.redeploy-last-good: redeploys the last succeeded revision of a deployment group.
 * Inputs: applicationName, deploymentGroupName.
 * Effects: ListDeployments (Succeeded; first page) + BatchGetDeployments to pick the one
 * that completed last and read its revision, then CreateDeployment with that revision.
 * IAM: codedeploy:ListDeployments, codedeploy:BatchGetDeployments, codedeploy:CreateDeployment
 * (CreateDeployment also needs codedeploy:GetApplicationRevision and GetDeploymentConfig).
 * Failure modes: no succeeded deployment, or an AWS error: ok=false with the reason.
 */
import { z } from 'zod';
import type { Action } from '../types.js';
import { awsOptions, awsReason } from './aws.js';
import { AWS_NAME, ident } from './params.js';

const params = z
  .object({
    applicationName: ident(AWS_NAME, 'applicationName', 100),
    deploymentGroupName: ident(AWS_NAME, 'deploymentGroupName', 100),
  })
  .strict();
type Params = z.output<typeof params>;

export const codedeployRedeploy: Action<Params> = {
  name: 'codedeploy.redeploy-last-good',
  effect: 'write',
  params,
  plan: (p) => [
    `find the deployment of ${p.applicationName}/${p.deploymentGroupName} that succeeded last`,
    'create a new deployment of its revision',
  ],
  async run(p, ctx) {
    const { BatchGetDeploymentsCommand, CodeDeployClient, CreateDeploymentCommand, ListDeploymentsCommand } =
      await import('@aws-sdk/client-codedeploy');
    const client = new CodeDeployClient(awsOptions(ctx));
    const opts = { abortSignal: ctx.signal };
    try {
      const list = await client.send(
        new ListDeploymentsCommand({
          applicationName: p.applicationName,
          deploymentGroupName: p.deploymentGroupName,
          includeOnlyStatuses: ['Succeeded'],
        }),
        opts,
      );
      const ids = (list.deployments ?? []).slice(0, 25);
      if (ids.length === 0)
        return {
          ok: false,
          summary: `no succeeded deployment of ${p.applicationName}/${p.deploymentGroupName} to go back to`,
        };
      const got = await client.send(new BatchGetDeploymentsCommand({ deploymentIds: ids }), opts);
      const last = [...(got.deploymentsInfo ?? [])]
        .filter((d) => d.status === 'Succeeded' && d.revision)
        .sort((a, b) => (b.completeTime?.getTime() ?? 0) - (a.completeTime?.getTime() ?? 0))[0];
      const lastId = last?.deploymentId ?? ids[0]!;
      const revision = last?.revision;
      if (!revision) return { ok: false, summary: `deployment ${lastId} has no revision to redeploy` };
      const created = await client.send(
        new CreateDeploymentCommand({
          applicationName: p.applicationName,
          deploymentGroupName: p.deploymentGroupName,
          revision,
          description: `vigil run ${ctx.runId}: redeploy of ${lastId}`,
        }),
        opts,
      );
      return {
        ok: true,
        summary: `redeploying the revision of ${lastId} as ${created.deploymentId ?? 'a new deployment'}`,
        data: { from: lastId, deploymentId: created.deploymentId ?? null },
      };
    } catch (err) {
      return {
        ok: false,
        summary: `redeploy of ${p.applicationName}/${p.deploymentGroupName} failed: ${awsReason(err)}`,
      };
    } finally {
      client.destroy();
    }
  },
};
