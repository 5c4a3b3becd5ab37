/**
 * The Bolt app: `/vigil` commands, @mentions and the incident buttons.
 * HTTP mode: events arrive through receiver.ts (Vigil's fastify server);
 * Socket Mode (an app-level token) connects out to Slack instead.
 * Effects: Slack Web API calls (replies) and operations.ts's store writes.
 * Failure modes: a listener error is logged by app.error and answered with
 * a short message, never a stack trace.
 */
import bolt from '@slack/bolt';
import { z } from 'zod';
import { wrapError } from '../../domain/errors.js';
import { decideRun, postingPlans, runButtonValue } from './approval.js';
import { parseCommand } from './commands.js';
import { boltLogger } from './logger.js';
import * as ops from './operations.js';
import { answer } from './replies.js';
import { ACTIONS } from './types.js';

const { App } = bolt;
export type BoltApp = InstanceType<typeof App>;
type BoltReceiver = ConstructorParameters<typeof App>[0] extends infer O
  ? O extends { receiver?: infer R }
    ? R
    : never
  : never;

export interface BotDeps extends ops.OperationDeps {
  readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface BotOptions {
  readonly token: string;
  /** Web API base URL ending in /api/ (tests use a loopback fake). */
  readonly apiUrl?: string;
  /** Socket Mode when given (xapp-...). */
  readonly appToken?: string | null;
  /** HTTP mode: the receiver that Vigil's HTTP route feeds. */
  readonly receiver?: BoltReceiver;
  /** The bot's ids (auth.test, checked once at startup); without them Bolt asks auth.test per event. */
  readonly identity?: SlackIdentity | null;
}

export interface SlackIdentity {
  readonly botId: string;
  readonly botUserId: string;
}

const buttonValue = z.object({
  incidentId: z.string().min(1),
  playbook: z.string().min(1).optional(),
  feedbackId: z.string().min(1).optional(),
});

export function createBoltApp(o: BotOptions, d: BotDeps): BoltApp {
  // Never Bolt's eager auth.test in the constructor: its rejection (a revoked token) would be unhandled and end the process.
  const common = {
    token: o.token,
    clientOptions: { slackApiUrl: o.apiUrl ?? 'https://slack.com/api/' },
    logger: boltLogger(d.log),
    ...(o.identity
      ? { botId: o.identity.botId, botUserId: o.identity.botUserId }
      : { tokenVerificationEnabled: false }),
  };
  const app = o.appToken
    ? // installerOptions.clientOptions: Socket Mode's apps.connections.open goes to the same Web API URL.
      new App({
        ...common,
        appToken: o.appToken,
        socketMode: true,
        installerOptions: { clientOptions: common.clientOptions },
      })
    : new App({ ...common, ...(o.receiver ? { receiver: o.receiver } : {}) });
  // Planned runs are posted into the incident's thread with Approve / Reject (approval.ts).
  const approvals = { client: app.client, store: d.store, log: d.log };
  d = { ...d, runner: postingPlans(d.runner, approvals) };

  app.command('/vigil', async ({ command, ack, respond }) => {
    await ack();
    const reply = await answer(parseCommand(command.text), command.user_id, d);
    await respond({
      response_type: 'ephemeral',
      text: reply.text,
      ...(reply.blocks ? { blocks: [...reply.blocks] } : {}),
    });
  });

  app.event('app_mention', async ({ event, say }) => {
    const reply = await answer(parseCommand(event.text), event.user ?? 'unknown', d);
    await say({
      text: reply.text,
      ...(reply.blocks ? { blocks: [...reply.blocks] } : {}),
      thread_ts: event.thread_ts ?? event.ts,
    });
  });

  for (const [actionId, decision] of [
    [ACTIONS.approveRun, 'approve'],
    [ACTIONS.rejectRun, 'reject'],
  ] as const) {
    app.action(actionId, async ({ ack, action, body, respond }) => {
      await ack();
      const v =
        action.type === 'button' && 'value' in action ? runButtonValue.safeParse(safeJson(action.value ?? '')) : null;
      if (!v?.success) {
        d.log.warn({ action: actionId }, 'Slack button with an unreadable value ignored');
        return;
      }
      const where =
        'message' in body && body.message?.ts && body.channel?.id
          ? { channel: body.channel.id, ts: body.message.ts }
          : null;
      const outcome = await decideRun(approvals, d.runner, decision, v.data.runId, body.user.id, where);
      await respond({ response_type: 'ephemeral', replace_original: false, text: outcome.text });
    });
  }

  app.action(/^vigil_(?!approve_run$|reject_run$)/, async ({ ack, action, body, respond }) => {
    await ack();
    const user = body.user.id;
    const actionId = 'action_id' in action ? action.action_id : '';
    const parsed =
      action.type === 'button' && 'value' in action ? buttonValue.safeParse(safeJson(action.value ?? '')) : null;
    if (!parsed?.success) {
      d.log.warn({ action: actionId || action.type }, 'Slack button with an unreadable value ignored');
      return;
    }
    const v = parsed.data;
    let outcome: ops.Outcome;
    switch (actionId) {
      case ACTIONS.ack:
        outcome = await ops.ack(d, v.incidentId, user);
        break;
      case ACTIONS.resolve:
        outcome = await ops.resolve(d, v.incidentId, user);
        break;
      case ACTIONS.silence: {
        const i = await d.store.getIncident(v.incidentId);
        outcome = i
          ? await ops.silence(d, { kind: 'service', value: i.service }, 3_600_000, 'Silence 1h button', user, i.id)
          : { ok: false, text: `No incident \`${v.incidentId}\`.` };
        break;
      }
      case ACTIONS.notAnomaly:
        outcome = await ops.notAnomaly(d, v.incidentId, user);
        break;
      case ACTIONS.unfeedback:
        outcome = v.feedbackId
          ? await ops.unfeedback(d, v.feedbackId, user)
          : { ok: false, text: 'This button names no feedback.' };
        break;
      case ACTIONS.runPlaybook:
        outcome = v.playbook
          ? await ops.runPlaybook(d, v.playbook, v.incidentId, user)
          : { ok: false, text: 'No playbook is recommended for this incident.' };
        break;
      default:
        return;
    }
    // The message itself is re-rendered by the operation; the clicker gets a private note.
    await respond({ response_type: 'ephemeral', replace_original: false, text: outcome.text });
  });

  app.error(async (err) => {
    d.log.error({ err: wrapError(err).message }, 'Slack listener failed');
  });
  return app;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
