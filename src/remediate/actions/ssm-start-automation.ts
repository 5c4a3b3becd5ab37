/**
 * ssm.start-automation: starts an SSM Automation document (e.g. certificate renewal).
 * Inputs: documentName, parameters (plain values). Effects: StartAutomationExecution
 * with a ClientToken derived from (run, step), so AWS itself refuses a second start
 * of the same step. IAM: ssm:StartAutomationExecution (plus what the document does,
 * usually through its AutomationAssumeRole).
 * Failure modes: AWS errors become ok=false with the reason.
 */
import { z } from 'zod';
import type { Action } from '../types.js';
import { awsOptions, awsReason } from './aws.js';
import { documentName, documentParameters } from './ssm-params.js';
import { uuidFrom } from './uuid.js';

const params = z.object({ documentName, parameters: documentParameters }).strict();
type Params = z.output<typeof params>;

export const ssmStartAutomation: Action<Params> = {
  name: 'ssm.start-automation',
  effect: 'write',
  params,
  plan: (p) => [
    `start SSM Automation ${p.documentName}`,
    ...Object.entries(p.parameters).map(([k, v]) => `  parameter ${k} = ${JSON.stringify(v)}`),
  ],
  async run(p, ctx) {
    const { SSMClient, StartAutomationExecutionCommand } = await import('@aws-sdk/client-ssm');
    const client = new SSMClient(awsOptions(ctx));
    try {
      const out = await client.send(
        new StartAutomationExecutionCommand({
          DocumentName: p.documentName,
          Parameters: p.parameters,
          ClientToken: uuidFrom(`${ctx.runId}/${ctx.stepId}`),
        }),
        { abortSignal: ctx.signal },
      );
      return {
        ok: true,
        summary: `automation ${out.AutomationExecutionId ?? '?'} started (${p.documentName})`,
        data: { executionId: out.AutomationExecutionId ?? null },
      };
    } catch (err) {
      return { ok: false, summary: `StartAutomationExecution ${p.documentName} failed: ${awsReason(err)}` };
    } finally {
      client.destroy();
    }
  },
};
