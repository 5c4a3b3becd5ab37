/**
 * ssm.run-command: runs a fixed SSM document on instances (by id or by tag).
 * Inputs: documentName (shell documents refused), parameters (plain values),
 * instanceIds or tag {key, values}, maxConcurrency. Effects: SendCommand.
 * IAM: ssm:SendCommand on the document and the instances.
 * Failure modes: AWS errors become ok=false; the command's own outcome is
 * asynchronous (the result carries the CommandId to follow up).
 */
import { z } from 'zod';
import type { Action } from '../types.js';
import { awsOptions, awsReason } from './aws.js';
import { ident } from './params.js';
import { documentName, documentParameters } from './ssm-params.js';

const params = z
  .object({
    documentName,
    parameters: documentParameters,
    instanceIds: z
      .array(z.string().regex(/^i-[0-9a-f]{8,17}$/, { message: 'an instance id i-...' }))
      .min(1)
      .max(50)
      .optional(),
    tag: z
      .object({
        key: z.string().regex(/^[A-Za-z0-9_.:/=+@-]{1,128}$/),
        values: z
          .array(ident(/^[A-Za-z0-9_.:/=+@-]{1,256}$/, 'tag value', 256))
          .min(1)
          .max(10),
      })
      .strict()
      .optional(),
    maxConcurrency: z
      .string()
      .regex(/^([1-9]\d{0,2}|[1-9]\d?%|100%)$/)
      .default('25%'),
  })
  .strict()
  .refine((p) => (p.instanceIds === undefined) !== (p.tag === undefined), {
    message: 'give exactly one of instanceIds or tag',
  });
type Params = z.output<typeof params>;

const targetText = (p: Params) =>
  p.instanceIds ? `instances ${p.instanceIds.join(', ')}` : `instances tagged ${p.tag!.key}=${p.tag!.values.join('|')}`;

export const ssmRunCommand: Action<Params> = {
  name: 'ssm.run-command',
  effect: 'write',
  params,
  plan: (p) => [
    `run SSM document ${p.documentName} on ${targetText(p)} (at most ${p.maxConcurrency} at once)`,
    ...Object.entries(p.parameters).map(([k, v]) => `  parameter ${k} = ${JSON.stringify(v)}`),
  ],
  async run(p, ctx) {
    const { SendCommandCommand, SSMClient } = await import('@aws-sdk/client-ssm');
    const client = new SSMClient(awsOptions(ctx));
    try {
      const out = await client.send(
        new SendCommandCommand({
          DocumentName: p.documentName,
          Parameters: p.parameters,
          ...(p.instanceIds
            ? { InstanceIds: p.instanceIds }
            : { Targets: [{ Key: `tag:${p.tag!.key}`, Values: p.tag!.values }] }),
          MaxConcurrency: p.maxConcurrency,
          Comment: `vigil run ${ctx.runId} step ${ctx.stepId}`.slice(0, 100),
        }),
        { abortSignal: ctx.signal },
      );
      const id = out.Command?.CommandId ?? null;
      return {
        ok: true,
        summary: `SSM command ${id ?? '?'} sent (${p.documentName} on ${targetText(p)})`,
        data: { commandId: id },
      };
    } catch (err) {
      return { ok: false, summary: `SendCommand ${p.documentName} failed: ${awsReason(err)}` };
    } finally {
      client.destroy();
    }
  },
};
