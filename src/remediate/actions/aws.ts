/*
 * AWS helpers for the actions. Each action imports its SDK package when it
 * first runs (`await import` in `run`): a process that never runs a fix never
 * loads the five packages, about 40 MB and a quarter of a second at start.
 */
import type { ActionContext } from '../types.js';

/** Client options every AWS action uses: the configured region, else the SDK's default chain. */
export function awsOptions(ctx: ActionContext): { region?: string } {
  return ctx.awsRegion ? { region: ctx.awsRegion } : {};
}

/** Error text for a failed AWS call, without the stack. */
export function awsReason(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
}
