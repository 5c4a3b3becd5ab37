/**
 * local.command: runs an allowlisted executable with an argv array (no shell).
 * Inputs: command (must be listed in remediation.localCommands exactly), args
 * (each one literal argument: `; rm -rf /` is a string, not a command).
 * Effects: one child process. Failure modes: command not allowlisted (refused
 * before anything runs), non-zero exit: ok=false with the reason.
 */
import { z } from 'zod';
import type { Action } from '../types.js';
import { runArgv } from './exec.js';

const params = z
  .object({
    command: z
      .string()
      .regex(/^[A-Za-z0-9_./-]{1,256}$/, { message: 'an executable name or path (letters, digits, _ . / -)' }),
    args: z
      .array(
        z
          .string()
          .max(4096)
          .refine((a) => !a.includes('\0'), { message: 'no NUL bytes' }),
      )
      .max(64)
      .default([]),
  })
  .strict();
type Params = z.output<typeof params>;

export const localCommand: Action<Params> = {
  name: 'local.command',
  effect: 'write',
  params,
  plan: (p, ctx) => [
    `run ${p.command} with arguments ${JSON.stringify(p.args)} (no shell)`,
    ...(ctx.localCommands.includes(p.command)
      ? []
      : [`REFUSED when run: ${p.command} is not in remediation.localCommands`]),
  ],
  async run(p, ctx) {
    if (!ctx.localCommands.includes(p.command)) {
      return { ok: false, summary: `refused: ${p.command} is not in remediation.localCommands` };
    }
    const r = await runArgv(p.command, p.args, ctx.signal);
    return {
      ok: r.ok,
      summary: `${p.command}: ${r.ok ? 'exit 0' : `failed (exit ${r.code ?? '?'})`}${r.output ? ` — ${r.output.split('\n')[0]}` : ''}`,
      data: { output: r.output },
    };
  },
};
