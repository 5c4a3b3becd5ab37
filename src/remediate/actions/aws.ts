/** Client options every AWS action uses: the configured region, else the SDK's default chain. */
import type { ActionContext } from '../types.js';

export function awsOptions(ctx: ActionContext): { region?: string } {
  return ctx.awsRegion ? { region: ctx.awsRegion } : {};
}

/** Error text for a failed AWS call, without the stack. */
export function awsReason(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
}
