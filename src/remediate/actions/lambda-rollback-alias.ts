/**
 * lambda.rollback-alias: points a Lambda alias back at the version before the one it serves.
 * Inputs: functionName, alias. Effects: GetAlias, ListVersionsByFunction (all pages),
 * then UpdateAlias to the highest numbered version below the current one (routing
 * config cleared). IAM: lambda:GetAlias, lambda:ListVersionsByFunction, lambda:UpdateAlias.
 * Failure modes: alias on $LATEST or no earlier version, AWS errors: ok=false with the reason.
 */
import { z } from 'zod';
import type { Action } from '../types.js';
import { awsOptions, awsReason } from './aws.js';
import { ident } from './params.js';

const params = z
  .object({
    functionName: ident(/^[A-Za-z0-9_-]{1,64}$/, 'functionName', 64),
    alias: z
      .string()
      .regex(/^(?!^[0-9]+$)[A-Za-z0-9_-]{1,128}$/, { message: 'letters, digits, - and _ (not only digits)' }),
  })
  .strict();
type Params = z.output<typeof params>;

export const lambdaRollbackAlias: Action<Params> = {
  name: 'lambda.rollback-alias',
  effect: 'write',
  params,
  plan: (p) => [
    `point alias ${p.alias} of Lambda function ${p.functionName} at the version before the one it serves now`,
  ],
  async run(p, ctx) {
    const { GetAliasCommand, LambdaClient, ListVersionsByFunctionCommand, UpdateAliasCommand } =
      await import('@aws-sdk/client-lambda');
    const client = new LambdaClient(awsOptions(ctx));
    const opts = { abortSignal: ctx.signal };
    try {
      const alias = await client.send(new GetAliasCommand({ FunctionName: p.functionName, Name: p.alias }), opts);
      const current = Number(alias.FunctionVersion);
      if (!Number.isInteger(current))
        return {
          ok: false,
          summary: `alias ${p.alias} serves ${alias.FunctionVersion ?? 'nothing'}, not a numbered version`,
        };
      const versions: number[] = [];
      let marker: string | undefined;
      do {
        const page = await client.send(
          new ListVersionsByFunctionCommand({ FunctionName: p.functionName, ...(marker ? { Marker: marker } : {}) }),
          opts,
        );
        for (const v of page.Versions ?? []) if (/^\d+$/.test(v.Version ?? '')) versions.push(Number(v.Version));
        marker = page.NextMarker;
      } while (marker);
      const previous = versions.filter((v) => v < current).sort((a, b) => b - a)[0];
      if (previous === undefined) return { ok: false, summary: `no version of ${p.functionName} before ${current}` };
      await client.send(
        new UpdateAliasCommand({
          FunctionName: p.functionName,
          Name: p.alias,
          FunctionVersion: String(previous),
          RoutingConfig: { AdditionalVersionWeights: {} },
        }),
        opts,
      );
      return {
        ok: true,
        summary: `alias ${p.functionName}:${p.alias} moved from version ${current} to ${previous}`,
        data: { from: current, to: previous },
      };
    } catch (err) {
      return { ok: false, summary: `rolling back ${p.functionName}:${p.alias} failed: ${awsReason(err)}` };
    } finally {
      client.destroy();
    }
  },
};
