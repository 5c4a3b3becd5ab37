/**
 * The playbook document (playbooks/*.yaml) as a zod schema. The committed
 * JSON Schema (playbooks/playbook.schema.json, for editor completion) is
 * generated from it by scripts/gen-playbook-schema.ts. Step params are
 * checked against each action's own schema by the loader (load.ts), which
 * needs the action implementations; this file does not.
 */
import { z } from 'zod';
import type { RunPolicy, RunVerify } from '../../domain/index.js';
import { ACTION_EFFECTS, ACTION_NAMES } from '../actions/catalog.js';
import { PLATFORMS } from '../platform.js';

export const DURATION_RE = /^[1-9]\d{0,5}(s|m|h)$/;
const duration = z.string().regex(DURATION_RE, { message: 'a duration such as "90s", "15m" or "1h"' });
const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'lowercase letters, digits and dashes (at most 63)' });
const glob = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.*?:/@-]+$/, { message: 'a name or glob (letters, digits, . _ - : / @ and * ?)' });
const slackId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'a Slack user or user group id' });

const stepCore = {
  action: z.enum(ACTION_NAMES),
  params: z.record(z.string(), z.unknown()).default({}),
};

export const stepSchema = z
  .object({
    id,
    ...stepCore,
    /** Longest the step may take; default 5m (wait-and-verify: its window plus 1m). */
    timeout: duration.optional(),
    onFailure: z.enum(['stop', 'continue', 'revert']).default('stop'),
    /** What undoes this step, run in reverse order when a later step or verification says revert. */
    revert: z.object(stepCore).strict().optional(),
  })
  .strict()
  .transform((s) => ({ ...s, effect: ACTION_EFFECTS[s.action] }));

export const policySchema = z
  .object({
    /** auto: read-only playbooks only; one: one person; two: two different people. */
    approval: z.enum(['auto', 'one', 'two']),
    approvers: z
      .object({
        users: z.array(slackId).default([]),
        groups: z.array(slackId).default([]),
      })
      .strict()
      .default({ users: [], groups: [] }),
    /** May the person who asked for the run count as one of its approvers? Default no. */
    selfApprove: z.boolean().default(false),
    /** An unapproved run expires after this long. */
    timeout: duration.default('30m'),
  })
  .strict();

export const playbookSchema = z
  .object({
    name: id,
    title: z.string().min(1).max(120),
    /** Markdown for people: what this is, when to use it, what to check. Shown in Slack. */
    runbook: z.string().min(1).max(20_000),
    match: z
      .object({
        services: z.array(glob).default(['*']),
        labels: z.record(z.string().regex(/^[\w.:/-]{1,100}$/), glob).default({}),
        metrics: z.array(glob).default([]),
        kinds: z.array(z.enum(['spike', 'dip', 'level_shift', 'trend', 'variance', 'seasonal_break'])).default([]),
        /** up: the matched series rose above its expected value; down: it fell below. */
        direction: z.enum(['up', 'down', 'any']).default('any'),
        minSeverity: z.enum(['low', 'medium', 'high', 'critical']).default('low'),
        deploySuspected: z.boolean().optional(),
        /** The suspect deploy ran on one of these (remediate/platform.ts); implies a suspect deploy. */
        platforms: z.array(z.enum(PLATFORMS)).default([]),
      })
      .strict(),
    policy: policySchema,
    steps: z.array(stepSchema).min(1).max(20),
    verify: z
      .object({
        window: duration,
        /** Metric globs watched; empty means every series of the incident. */
        metrics: z.array(glob).default([]),
        ifRecovered: z.enum(['resolve', 'report']).default('report'),
        ifNot: z.enum(['revert', 'escalate']).default('escalate'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.steps.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `step id "${s.id}" is used twice` });
      seen.add(s.id);
      if (s.revert && ACTION_EFFECTS[s.revert.action] === 'read')
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'revert', 'action'],
          message: 'a revert must be a write action',
        });
    });
    if (p.policy.approval === 'auto') {
      p.steps.forEach((s, i) => {
        if (s.effect === 'write')
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'action'],
            message: `auto approval is only for read-only playbooks; ${s.action} writes`,
          });
      });
    } else if (p.policy.approvers.users.length + p.policy.approvers.groups.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['policy', 'approvers'],
        message: 'name at least one approving user or group',
      });
    }
  });

export type Playbook = z.output<typeof playbookSchema>;
export type PlaybookStep = Playbook['steps'][number];
export type Policy = Playbook['policy'];

// A stored run keeps its playbook's policy and verify as domain/ types; these
// fail to compile when the schema's output drifts from them.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _policyIsRunPolicy: Same<Policy, RunPolicy> = true;
const _verifyIsRunVerify: Same<NonNullable<Playbook['verify']>, RunVerify> = true;
void _policyIsRunPolicy;
void _verifyIsRunVerify;

/** The JSON Schema committed for editors (input shape: defaults optional). */
export function playbookJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(playbookSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
